"""A request being put together in chat: what was understood so far, stored between the steps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from handlers.parsing import ParsedRequest

Range = tuple[time | None, time | None]


@dataclass(frozen=True)
class Window:
    day: date
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class Draft:
    """Stored in the conversation state between steps (as JSON) until [Send] or /cancel."""

    windows: tuple[Window, ...] = ()
    room_id: int | None = None
    reason: str | None = None
    confirmed_once: bool = False  # after the first summary, each change goes straight back to it
    check_year: bool = False  # a day is over 8 weeks ahead or in another year: echo it with its year first
    hours: tuple[Range, ...] = ()  # typed before any day could be read: they go with the days she names next
    # A room she named that her site does not have: the room question says whose it is, whenever it comes.
    unknown_room: str | None = None
    week: date | None = None  # the Monday of the week she named without its day, while its day is asked
    # (start asked, start she typed) when today's hours had begun (`ask.under_way`): another day gets hers back.
    moved_start: tuple[time, time] | None = None

    @classmethod
    def from_parsed(cls, parsed: ParsedRequest, room_id: int | None) -> Draft:
        """What one message said; when all its days are over, or none could be read (`Feb 30 8-12`), the hours
        it gave are kept for the day she names next."""
        shifts = parsed.shifts or parsed.past_shifts
        windows = tuple(Window(s.day, s.start, s.end) for s in shifts)
        hours = () if windows else parsed.loose_hours
        return cls(
            windows=windows,
            room_id=room_id,
            reason=parsed.reason,
            check_year=parsed.far_ahead,
            hours=hours,
            unknown_room=parsed.unknown_room,
            week=parsed.week_unread,
        )

    @classmethod
    def load(cls, data: dict[str, Any]) -> Draft:
        windows = tuple(
            Window(
                date.fromisoformat(w["day"]),
                time.fromisoformat(w["start"]) if w.get("start") else None,
                time.fromisoformat(w["end"]) if w.get("end") else None,
            )
            for w in data.get("windows", [])
        )
        hours = tuple(
            (time.fromisoformat(start) if start else None, time.fromisoformat(end) if end else None)
            for start, end in data.get("hours", [])
        )
        return cls(
            windows,
            data.get("room_id"),
            data.get("reason"),
            bool(data.get("confirmed_once")),
            bool(data.get("check_year")),
            hours,
            data.get("unknown_room"),
            date.fromisoformat(data["week"]) if data.get("week") else None,
            _moved(data.get("moved_start")),
        )

    def dump(self) -> dict[str, Any]:
        return {
            "windows": [{"day": w.day.isoformat(), "start": _iso(w.start), "end": _iso(w.end)} for w in self.windows],
            "room_id": self.room_id,
            "reason": self.reason,
            "confirmed_once": self.confirmed_once,
            "check_year": self.check_year,
            "hours": [[_iso(start), _iso(end)] for start, end in self.hours],
            "unknown_room": self.unknown_room,
            "week": self.week.isoformat() if self.week else None,
            "moved_start": [_iso(t) for t in self.moved_start] if self.moved_start else None,
        }

    @property
    def days(self) -> list[date]:
        return sorted({w.day for w in self.windows})

    @property
    def ranges(self) -> list[Range]:
        """The distinct time ranges, in the order of the windows (two ranges a day make two shifts a day)."""
        seen: list[Range] = []
        for w in self.windows:
            if (w.start, w.end) not in seen:
                seen.append((w.start, w.end))
        return seen

    def with_days(self, days: list[date], *, check_year: bool = False) -> Draft:
        """New days; the time ranges already known (or typed before any day was read) carry over to each."""
        ranges = self.ranges or list(self.hours) or [(None, None)]
        if self.moved_start is not None:  # today's begun hours asked from now: another day has her own start
            asked, typed = self.moved_start
            ranges = list(dict.fromkeys((typed if start == asked else start, end) for start, end in ranges))
        windows = tuple(Window(day, start, end) for day in sorted(set(days)) for start, end in ranges)
        return replace(self, windows=windows, check_year=check_year, hours=(), moved_start=None)

    def with_times(self, ranges: list[tuple[time, time | None]]) -> Draft:
        """New times for every day (two ranges make two shifts a day)."""
        windows = tuple(Window(day, start, end) for day in self.days for start, end in ranges)
        return replace(self, windows=windows, moved_start=None)

    def with_room(self, room_id: int | None) -> Draft:
        """A room of her site: the one she named that it does not have is answered."""
        return replace(self, room_id=room_id, unknown_room=None)

    def with_end(self, end: time) -> Draft:
        return replace(self, windows=tuple(replace(w, end=end) for w in self.windows))

    def without_times(self) -> Draft:
        """The days only, to ask the times again."""
        return replace(self, windows=tuple(Window(day) for day in self.days))

    @property
    def missing(self) -> str | None:
        """The next thing to ask: days, times, end, room, reason — or None when complete."""
        if not self.windows:
            return "day"
        if any(w.start is None for w in self.windows):
            return "times"
        if any(w.end is None for w in self.windows):
            return "end"
        if self.room_id is None:
            return "room"
        if self.reason is None:
            return "reason"
        return None


def utc_windows(draft: Draft, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """Each window as aware datetimes (the site's wall-clock times, converted by the zone)."""
    windows = []
    for w in draft.windows:
        assert w.start is not None
        assert w.end is not None
        windows.append((datetime.combine(w.day, w.start, tzinfo=zone), datetime.combine(w.day, w.end, tzinfo=zone)))
    return windows


def _moved(value: list[str] | None) -> tuple[time, time] | None:
    return (time.fromisoformat(value[0]), time.fromisoformat(value[1])) if value else None


def _iso(value: time | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None
