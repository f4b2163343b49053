"""Reading the hours of a request: ranges, single starts, durations, in child-care hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

from handlers.parsing.text import Scanner, alternation
from handlers.parsing.vocab import NUMBER_WORDS


@dataclass(frozen=True)
class TimeRange:
    """One time range read at `position`; `end` is None when only the start was given."""

    position: int
    start: time
    end: time | None


_AMPM = r"(?:\s*(?P<ap{n}>a\.?m\.?|p\.?m\.?)(?![a-z])|(?P<apx{n}>[ap])\b)"
_ATOM = r"(?:(?P<h{n}>\d{{1,2}})(?::(?P<m{n}>[0-5]\d))?" + _AMPM + r"?|(?P<noon{n}>noon|midday|mediodia|medio dia))"
_START = r"(?:(?:from|between|de\s+las?|desde\s+las?|desde|de|entre\s+las?|entre)\s+)?"
_SEP = r"\s*(?:-|to|till|til|until|thru|through|hasta(?:\s+las?)?|a(?:\s+las?)?|and|y)\s*"
_RANGE = re.compile(r"\b" + _START + _ATOM.format(n=1) + _SEP + _ATOM.format(n=2) + r"(?![\d/:])")
_LEAD = r"(?:at|starting at|start at|starting|from|desde las?|desde|de las?|a las?|a partir de las?|a)\s+"
_SINGLE = re.compile(r"\b(?:" + _LEAD + _ATOM.format(n=1) + r"|(?P<bare>" + _ATOM.format(n=2) + r"))(?![\d/:])")
_NUMBER = alternation(list(NUMBER_WORDS)) + r"|\d+(?:\.\d+)?"
_DURATION = re.compile(
    rf"\b(?:(?:for|por|durante)\s+)?(?P<n>{_NUMBER})\s*(?P<unit>hours?|hrs?|h|horas?|minutes?|mins?|minutos?)\b"
    r"(?:\s+y\s+media)?"
)
_COUNTS = re.compile(
    r"\b\d+\s+(?:floaters?|subs?|teachers?|people|persons?|staff|flotantes?|maestras?|maestros?|personas?|kids|ninos)\b"
    r"|\b(?:room|salon|rm) ?#?\d+\b(?![-:/\d])"
)


def read_duration(scan: Scanner) -> timedelta | None:
    """`for an hour`, `for 2 hrs`, `por media hora`: the first duration named, blanked in `scan`."""
    found = None
    for match in scan.take(_DURATION):
        word = match["n"]
        amount = NUMBER_WORDS[word] if word in NUMBER_WORDS else float(word)
        minutes = amount * (1 if match["unit"].startswith("min") else 60)
        if match.group(0).endswith("y media"):
            minutes += 30
        if found is None and 0 < minutes <= 12 * 60:
            found = timedelta(minutes=minutes)
    return found


def read_times(scan: Scanner, duration: timedelta | None) -> list[TimeRange]:
    """Every time range, then lone starts (`at 3`, `9am`) when there is no range; blanked in `scan`."""
    list(scan.take(_COUNTS))  # "need 2 floaters", "room 3" are not hours
    ranges = [r for m in scan.take(_RANGE) if (r := _range(m)) is not None]
    if ranges:
        return ranges
    for match in scan.take(_SINGLE):
        start = _atom(match, 1) if match["bare"] is None else _atom(match, 2, bare=True)
        if start is not None:
            end = _add(start, duration) if duration else None
            return [TimeRange(match.start(), start, end)]
    return []


def _range(match: re.Match[str]) -> TimeRange | None:
    start, end = _atom(match, 1), _atom(match, 2)
    if start is None or end is None:
        return None
    if match.group(0).strip().split()[0] not in ("between", "entre") and re.search(r"\s(?:and|y)\s", match.group(0)):
        return None  # "7-11 and 1-5" is two ranges, not "11 to 1"
    if end <= start:
        shifted = _add(end, timedelta(hours=12))
        if shifted is None or shifted <= start:
            return None
        end = shifted
    return TimeRange(match.start(), start, end)


def _atom(match: re.Match[str], n: int, *, bare: bool = False) -> time | None:
    """One clock time in child-care hours: 6–11 morning, 12 noon, 1–5 afternoon, unless am/pm says."""
    if match[f"noon{n}"]:
        return time(12, 0)
    hour, minute = int(match[f"h{n}"]), int(match[f"m{n}"] or 0)
    marker = (match[f"ap{n}"] or match[f"apx{n}"] or "")[:1]
    if bare and not marker and match[f"m{n}"] is None:
        return None  # a lone number is not a time unless it says so ("9am", "9:30")
    if hour > 23 or (marker and not 1 <= hour <= 12):
        return None
    if marker == "p" and hour < 12:
        hour += 12
    elif marker == "a" and hour == 12:
        hour = 0
    elif not marker and 1 <= hour <= 5:
        hour += 12
    return time(hour, minute)


def _add(start: time, delta: timedelta) -> time | None:
    minutes = start.hour * 60 + start.minute + int(delta.total_seconds() // 60)
    return time(minutes // 60, minutes % 60) if minutes < 24 * 60 else None


_CLOCK = re.compile(r"^\s*(?:at|until|till|to|hasta(?:\s+las?)?|a\s+las?)?\s*" + _ATOM.format(n=1) + r"\s*$")


def read_clock(text: str) -> time | None:
    """One clock time typed alone ("12", "3:30", "noon", "hasta las 4"), in child-care hours."""
    match = _CLOCK.match(text)
    return _atom(match, 1) if match else None
