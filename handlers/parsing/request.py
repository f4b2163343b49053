"""A free-text request read into shifts, age group and reason (spec/parsing.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from handlers.parsing.dates import DateGroup, read_dates
from handlers.parsing.text import Scanner, alternation, fold, normalise
from handlers.parsing.times import TimeRange, read_duration, read_times
from handlers.parsing.vocab import AGE_GROUPS, REASONS, REQUEST_WORDS


@dataclass(frozen=True)
class ShiftSpec:
    day: date
    start: time | None
    end: time | None


@dataclass(frozen=True)
class ParsedRequest:
    shifts: tuple[ShiftSpec, ...]
    age_group: str | None
    reason: str | None
    room: str | None = None
    asks: bool = False  # the message is a request even if it says no day or time

    @property
    def missing(self) -> tuple[str, ...]:
        """What the bot must still ask for: `date`, `start`, `end`."""
        if not self.shifts:
            return ("date", "start", "end") if self.asks else ()
        missing = []
        if any(shift.start is None for shift in self.shifts):
            missing.append("start")
        if any(shift.end is None for shift in self.shifts):
            missing.append("end")
        return tuple(missing)

    def as_json(self) -> dict[str, Any]:
        """The output of `alliance-bot parse` (spec/parsing.md)."""
        return {
            "shifts": [{"date": s.day.isoformat(), "start": _hhmm(s.start), "end": _hhmm(s.end)} for s in self.shifts],
            "age_group": self.age_group,
            "reason": self.reason,
            "missing": list(self.missing),
        }


def parse_request(
    text: str, *, now: datetime, zone: ZoneInfo, rooms: Mapping[str, str] | None = None, answering: bool = False
) -> ParsedRequest:
    """Read `text` as written at `now` in `zone`; `rooms` maps the site's room names to their age groups.

    `answering` says the text answers a question of the request flow ("tomorrow"), so a day alone counts.
    """
    local = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    scan = Scanner(normalise(text))
    room, age_group = _age_group(scan, rooms or {})
    reason = _reason(scan.text)
    asks = answering or bool(_request_words().search(scan.text)) or reason is not None or age_group is not None
    groups = read_dates(scan, local.date())
    duration = read_duration(scan)
    ranges = read_times(scan, duration)
    if not ranges and not (groups and asks):
        return ParsedRequest((), age_group, reason, room, asks)
    shifts = _shifts(groups, ranges, local)
    return ParsedRequest(shifts, age_group, reason, room, asks)


def _shifts(groups: list[DateGroup], ranges: list[TimeRange], local: datetime) -> tuple[ShiftSpec, ...]:
    if not groups:
        first_start = ranges[0].start
        day = local.date() if first_start > local.time().replace(tzinfo=None) else _tomorrow(local.date())
        groups = [DateGroup(0, (day,))]
    pairs: list[tuple[date, time | None, time | None]]
    if not ranges:
        pairs = [(day, None, None) for group in groups for day in group.days]
    elif _interleaved(groups, ranges):
        pairs = [(day, r.start, r.end) for group, r in zip(groups, ranges, strict=True) for day in group.days]
    else:
        pairs = [(day, r.start, r.end) for group in groups for day in group.days for r in ranges]
    unique = {(day, start, end) for day, start, end in pairs}
    ordered = sorted(unique, key=lambda item: (item[0], item[1] or time.min))
    return tuple(ShiftSpec(day, start, end) for day, start, end in ordered)


def _interleaved(groups: list[DateGroup], ranges: list[TimeRange]) -> bool:
    """`Dec 21st 8-12 and Dec 22nd 1-5`: each day is followed by its own hours."""
    if len(groups) < 2 or len(groups) != len(ranges):
        return False
    marks = sorted([(g.position, "d") for g in groups] + [(r.position, "t") for r in ranges])
    return [kind for _pos, kind in marks] == ["d", "t"] * len(groups)


def _tomorrow(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _age_group(scan: Scanner, rooms: Mapping[str, str]) -> tuple[str | None, str | None]:
    """A room of the site names its age group; otherwise the age-group words. Both are blanked."""
    for name, group in sorted(rooms.items(), key=lambda item: -len(item[0])):
        pattern = re.compile(r"\b" + re.escape(fold(name)) + r"\b")
        if scan.has(pattern):
            list(scan.take(pattern))
            return name, group
    found = None
    for group, pattern in _age_patterns().items():
        if scan.has(pattern):
            list(scan.take(pattern))
            found = found or group
    return None, found


def _reason(text: str) -> str | None:
    for reason, pattern in _reason_patterns().items():
        if pattern.search(text):
            return reason
    return None


@lru_cache(maxsize=1)
def _age_patterns() -> dict[str, re.Pattern[str]]:
    return {group: re.compile(r"(?<![\w'])" + alternation(words) + r"(?![\w'])") for group, words in AGE_GROUPS.items()}


@lru_cache(maxsize=1)
def _reason_patterns() -> dict[str, re.Pattern[str]]:
    return {reason: re.compile(r"\b" + alternation(words) + r"(?![\w'])") for reason, words in REASONS.items()}


@lru_cache(maxsize=1)
def _request_words() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(REQUEST_WORDS) + r"(?![\w'])")


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None
