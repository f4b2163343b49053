"""Reading the hours of a request: ranges and single starts, in child-care hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

from handlers.parsing.text import Scanner


@dataclass(frozen=True)
class TimeRange:
    """One time range read from `position` to `stop` in the text; `end` is None when only the start was given."""

    position: int
    start: time
    end: time | None
    stop: int = -1


_AMPM = r"(?:\s*(?P<ap{n}>a\.?m\.?|p\.?m\.?)(?![a-z])|(?P<apx{n}>[ap])\b)"
_MILITARY = r"(?P<mh{n}>[01]?\d|2[0-3])(?P<mm{n}>[0-5]\d)(?!\d)"  # 0800, 1530 (and 830)
_CLOCK = r"(?P<h{n}>\d{{1,2}})(?:(?:[:.]|h)(?P<m{n}>[0-5]\d)|h\b)?"  # 8, 8:30, 8.30, 8h30, 8h
_NOON = r"(?P<noon{n}>noon|midday|mediodia|medio dia)"
_ATOM = r"(?:(?:" + _MILITARY + "|" + _CLOCK + ")" + _AMPM + r"?(?:\s*(?:hrs|hs)\b\.?)?|" + _NOON + ")"
_START = r"(?:(?:from|between|de\s+las?|desde\s+las?|desde|de|entre\s+las?|entre)\s+)?"
_SEP = r"\s*(?:-|to|till|til|until|thru|through|hasta(?:\s+las?)?|a(?:\s+las?)?|and|y(?:\s+las?)?)\s*"
_RANGE = re.compile(r"\b" + _START + _ATOM.format(n=1) + _SEP + _ATOM.format(n=2) + r"(?![\d/:])")
_LEAD = r"(?:at|starting at|start at|starting|from|desde las?|desde|de las?|a las?|a partir de las?|a)\s+"
_SINGLE = re.compile(r"\b(?:" + _LEAD + _ATOM.format(n=1) + r"|(?P<bare>" + _ATOM.format(n=2) + r"))(?![\d/:])")
_COUNTS = re.compile(
    r"\b\d+\s+(?:floaters?|subs?|teachers?|people|persons?|staff|flotantes?|maestras?|maestros?|personas?|kids|ninos)\b"
    r"|\b(?:room|salon|rm) ?#?\d+\b(?![-:/\d])"
)


def read_times(scan: Scanner, duration: timedelta | None) -> list[TimeRange]:
    """Every time range, else the first lone start (`at 3`, `9am`) ended by the duration; blanked in `scan`."""
    list(scan.take(_COUNTS))  # "need 2 floaters", "room 3" are not hours
    ranges = [r for m in scan.take(_RANGE) if (r := _range(m)) is not None]
    if ranges:
        return ranges
    for match in scan.take(_SINGLE):
        start = _atom(match, 1) if match["bare"] is None else _atom(match, 2, bare=True)
        if start is not None:
            end = add(start, duration) if duration else None
            return [TimeRange(match.start(), start, end, match.end())]
    return []


def _range(match: re.Match[str]) -> TimeRange | None:
    start, end = _atom(match, 1), _atom(match, 2)
    if start is None or end is None:
        return None
    if match.group(0).strip().split()[0] not in ("between", "entre") and re.search(r"\s(?:and|y)\s", match.group(0)):
        return None  # "7-11 and 1-5" is two ranges, not "11 to 1"
    if _marker(match, 2) == "p" and not _marker(match, 1) and start.hour + 12 < end.hour:
        start = time(start.hour + 12, start.minute)  # "6-8pm" is 18:00-20:00
    if end <= start:
        if _literal(match, 2):
            return None  # "10:00-02:00": an hour written as on a 24-hour clock is never moved
        shifted = add(end, timedelta(hours=12))
        if shifted is None or shifted <= start:
            return None
        end = shifted
    return TimeRange(match.start(), start, end, match.end())


def _marker(match: re.Match[str], n: int) -> str:
    return (match[f"ap{n}"] or match[f"apx{n}"] or "")[:1]


def _atom(match: re.Match[str], n: int, *, bare: bool = False) -> time | None:
    """One clock time in child-care hours: 6–11 morning, 12 noon, 1–5 afternoon, unless am/pm says.

    Four digits (`0800`, `1530`) and an hour written with a leading zero (`05:00`, `07:30`, `05`) are a 24-hour
    clock and are read as written; `5` and `5:00` are read in child-care hours.
    """
    if match[f"noon{n}"]:
        return time(12, 0)
    marker, military = _marker(match, n), match[f"mh{n}"] is not None
    if bare and not marker and (military or match[f"m{n}"] is None):
        return None  # a lone number is not a time unless it says so ("9am", "9:30")
    if military:
        hour, minute = int(match[f"mh{n}"]), int(match[f"mm{n}"])
    else:
        hour, minute = int(match[f"h{n}"]), int(match[f"m{n}"] or 0)
    literal = _literal(match, n)
    if hour > 23 or (marker and not 1 <= hour <= 12):
        return None
    if marker == "p" and hour < 12:
        hour += 12
    elif marker == "a" and hour == 12:
        hour = 0
    elif not marker and not literal and 1 <= hour <= 5:
        hour += 12
    return time(hour, minute)


def _literal(match: re.Match[str], n: int) -> bool:
    """A leading zero (`05:00`, `0730`, `05`): a 24-hour clock, never moved into child-care hours."""
    written = match[f"mh{n}"] or match[f"h{n}"] or ""
    return len(written) == 2 and written.startswith("0")


def add(start: time, delta: timedelta) -> time | None:
    """`start` + `delta` on the same day, or None past midnight."""
    minutes = start.hour * 60 + start.minute + int(delta.total_seconds() // 60)
    return time(minutes // 60, minutes % 60) if minutes < 24 * 60 else None


_ALONE = re.compile(r"^\s*(?:at|until|till|to|hasta(?:\s+las?)?|a\s+las?)?\s*" + _ATOM.format(n=1) + r"\s*$")


def read_clock(text: str) -> time | None:
    """One clock time typed alone ("12", "3:30", "noon", "hasta las 4"), in child-care hours."""
    match = _ALONE.match(text)
    return _atom(match, 1) if match else None
