"""Reading the days of a request: relative words, weekdays, month names, numeric and ordinal dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.parsing.text import Scanner, alternation
from handlers.parsing.vocab import DAY_AFTER_TOMORROW, MONTHS, NEXT_WEEK, TODAY, TOMORROW, WEEKDAYS


@dataclass(frozen=True)
class DateGroup:
    """Days read from one place in the message (a range or a single day), with where it was."""

    position: int
    days: tuple[date, ...]


_WD = alternation(list(WEEKDAYS))
_MON = alternation(list(MONTHS))
_ORD = r"(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|to|through|thru|till|until|a|al|hasta(?:\s+el)?)\s*"
_TO_DAY = r"\s*(?:-|to|through|thru|till|until)\s*"  # "dic 9 a 11" is more often hours than days

_PERIOD_WORDS = re.compile(r"\b(?:(?:de|por|en|esta) la manana|esta manana|this morning|in the morning)\b")
_NEXT_WEEK = re.compile(r"\b" + alternation(NEXT_WEEK) + r"\b")
_DAY_AFTER = re.compile(r"\b" + alternation(DAY_AFTER_TOMORROW) + r"\b")
_TODAY = re.compile(r"\b" + alternation(TODAY) + r"\b")
_TOMORROW = re.compile(r"\b" + alternation(TOMORROW) + r"\b")
_NUMERIC_RANGE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/\d{2,4})?\s*-\s*(\d{1,2})/(\d{1,2})(?:/\d{2,4})?\b")
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_MONTH_RANGE = re.compile(
    rf"\b(?P<m1>{_MON})\.?\s*(?P<d1>\d{{1,2}}){_ORD}{_TO_DAY}(?:(?P<m2>{_MON})\.?\s*)?(?P<d2>\d{{1,2}}){_ORD}\b(?![:/])"
)
_SPANISH_RANGE = re.compile(rf"\b(?:del?\s+)?(?P<d1>\d{{1,2}})\s+al?\s+(?P<d2>\d{{1,2}})\s+de\s+(?P<m>{_MON})\b")
_DAY_OF_MONTH = re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of|de)\s+(?P<m>{_MON})\b")
_MONTH_DAY = re.compile(rf"\b(?P<m>{_MON})\.?\s*(?P<d>\d{{1,2}}){_ORD}\b(?![:/])")
_DAY_MONTH = re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?(?P<m>{_MON})\b")
_ORDINAL = re.compile(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b")
_EL_DAY = re.compile(r"\bel\s+(?:dia\s+)?(\d{1,2})\b(?!\s*(?::|/|am\b|pm\b|a\.m|p\.m|hours?|hrs?|horas?))")
_WEEKDAY_RANGE = re.compile(rf"\b(?:de\s+)?(?P<a>{_WD}){_TO}(?P<b>{_WD})\b")
_WEEKDAY = re.compile(rf"\b(?P<a>{_WD})\b")


def read_dates(scan: Scanner, today: date) -> list[DateGroup]:
    """Every day the message names, in groups by position; the matched words are blanked in `scan`."""
    list(scan.take(_PERIOD_WORDS))  # "de la mañana" is a time of day, not tomorrow
    next_week = any(True for _ in scan.take(_NEXT_WEEK))
    groups: list[DateGroup] = []
    groups += [DateGroup(m.start(), (today + timedelta(days=2),)) for m in scan.take(_DAY_AFTER)]
    groups += [DateGroup(m.start(), (today,)) for m in scan.take(_TODAY)]
    groups += [DateGroup(m.start(), (today + timedelta(days=1),)) for m in scan.take(_TOMORROW)]
    for m in scan.take(_NUMERIC_RANGE):
        first, last = _on_or_after(today, int(m[1]), int(m[2])), _on_or_after(today, int(m[3]), int(m[4]))
        groups.append(DateGroup(m.start(), _span(first, last)))
    for m in scan.take(_NUMERIC):
        groups.append(DateGroup(m.start(), _maybe(_on_or_after(today, int(m[1]), int(m[2]), m[3]))))
    for m in scan.take(_SPANISH_RANGE):
        first = _on_or_after(today, MONTHS[m["m"]], int(m["d1"]))
        groups.append(DateGroup(m.start(), _span(first, _on_or_after(first or today, MONTHS[m["m"]], int(m["d2"])))))
    for m in scan.take(_DAY_OF_MONTH):
        groups.append(DateGroup(m.start(), _maybe(_on_or_after(today, MONTHS[m["m"]], int(m["d"])))))
    for m in scan.take(_MONTH_RANGE):
        first = _on_or_after(today, MONTHS[m["m1"]], int(m["d1"]))
        last = _on_or_after(first or today, MONTHS[m["m2"] or m["m1"]], int(m["d2"]))
        groups.append(DateGroup(m.start(), _span(first, last)))
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for m in scan.take(pattern):
            groups.append(DateGroup(m.start(), _maybe(_on_or_after(today, MONTHS[m["m"]], int(m["d"])))))
    for pattern in (_ORDINAL, _EL_DAY):
        for m in scan.take(pattern):
            groups.append(DateGroup(m.start(), _maybe(_day_of_month(today, int(m[1])))))
    for m in scan.take(_WEEKDAY_RANGE):
        first = _weekday(today, WEEKDAYS[m["a"]], next_week)
        last = first + timedelta(days=(WEEKDAYS[m["b"]] - first.weekday()) % 7)
        groups.append(DateGroup(m.start(), _span(first, last)))
    for m in scan.take(_WEEKDAY):
        groups.append(DateGroup(m.start(), (_weekday(today, WEEKDAYS[m["a"]], next_week),)))
    return sorted((group for group in groups if group.days), key=lambda group: group.position)


def _weekday(today: date, weekday: int, next_week: bool) -> date:
    """Its first occurrence strictly after today, or that day of the coming Monday-to-Sunday week."""
    if next_week:
        return today + timedelta(days=7 - today.weekday() + weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _on_or_after(today: date, month: int, day: int, year: str | None = None) -> date | None:
    """The next month/day on or after today (rolling into next year), or the given year's."""
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return _valid(full, month, day)
    for candidate_year in (today.year, today.year + 1):
        candidate = _valid(candidate_year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _day_of_month(today: date, day: int) -> date | None:
    """The next date with this day of the month, on or after today."""
    year, month = today.year, today.month
    for _ in range(13):
        candidate = _valid(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _maybe(day: date | None) -> tuple[date, ...]:
    return (day,) if day is not None else ()


def _span(first: date | None, last: date | None) -> tuple[date, ...]:
    if first is None or last is None or not first <= last <= first + timedelta(days=31):
        return ()
    return tuple(first + timedelta(days=offset) for offset in range((last - first).days + 1))
