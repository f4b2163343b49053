"""Calendar arithmetic for the day rules: the next weekday, month/day with its year, spans of days."""

from __future__ import annotations

from datetime import date, timedelta

RECENT_PAST = timedelta(days=7)  # a month/day this far back is the past, not next year


def next_weekday(today: date, weekday: int, next_week: bool = False) -> date:
    """Its first occurrence strictly after today, or that day of the coming Monday-to-Sunday week."""
    if next_week:
        return today + timedelta(days=7 - today.weekday() + weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def last_weekday(today: date, weekday: int) -> date:
    """`last Monday`, `el lunes pasado`: its latest occurrence strictly before today."""
    return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)


def month_day(today: date, month: int, day: int, year: str | None = None) -> date | None:
    """A month/day: the given year's; else up to 7 days back (the past); else the next on or after today.

    None when no year has that date (`Feb 30`, `13/5`; `Feb 29` when no leap year is near).
    """
    if year:
        return valid(int(year) + (2000 if len(year) == 2 else 0), month, day)
    for candidate_year in (today.year, today.year - 1):
        candidate = valid(candidate_year, month, day)
        if candidate is not None and timedelta(0) < today - candidate <= RECENT_PAST:
            return candidate
    for candidate_year in (today.year, today.year + 1):
        candidate = valid(candidate_year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def day_of_month(today: date, day: int) -> date | None:
    """The next date with this day of the month, on or after today (`the 3rd`, `el 3`)."""
    year, month = today.year, today.month
    for _ in range(13):
        candidate = valid(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def span(first: date | None, last: date | None) -> tuple[date, ...]:
    """Every day from first to last (at most a month); nothing when the range makes no sense."""
    if first is None or last is None or not first <= last <= first + timedelta(days=31):
        return ()
    return tuple(first + timedelta(days=offset) for offset in range((last - first).days + 1))


def maybe(day: date | None) -> tuple[date, ...]:
    return (day,) if day is not None else ()
