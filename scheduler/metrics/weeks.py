"""Weeks run Monday to Sunday in the Alliance's time zone; a week across a clock change is 167 or 169 hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Week:
    """Bounds in UTC: Python compares and subtracts datetimes that share a tzinfo by wall clock, which is
    an hour off across a clock change."""

    start: datetime  # Monday 00:00 local, as UTC
    end: datetime  # the next Monday 00:00 local, as UTC
    label: str  # 2026-W49
    zone: ZoneInfo

    def previous(self) -> Week:
        return week_of(self.start.astimezone(self.zone) - timedelta(days=1), self.zone)


def week_of(when: datetime | date, zone: ZoneInfo) -> Week:
    """The week holding `when` (a datetime is read in `zone`)."""
    day = when.astimezone(zone).date() if isinstance(when, datetime) else when
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone).astimezone(UTC)
    year, number, _weekday = monday.isocalendar()
    return Week(start, end, f"{year}-W{number:02}", zone)


def parse_week(label: str, zone: ZoneInfo) -> Week:
    """`2026-W49` → that week; ValueError for anything else."""
    year, _sep, number = label.upper().partition("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return week_of(monday, zone)
