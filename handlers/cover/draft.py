"""A request being put together in chat: what was understood so far, stored between the steps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from handlers.parsing import ParsedRequest


@dataclass(frozen=True)
class Window:
    day: date
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class Draft:
    """Stored in the conversation state between steps (as JSON)."""

    windows: tuple[Window, ...] = ()
    room_id: int | None = None
    reason: str | None = None
    confirmed_once: bool = False  # after the first summary, each change goes straight back to it

    @classmethod
    def from_parsed(cls, parsed: ParsedRequest, room_id: int | None) -> Draft:
        windows = tuple(Window(s.day, s.start, s.end) for s in parsed.shifts)
        return cls(windows=windows, room_id=room_id, reason=parsed.reason)

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
        return cls(windows, data.get("room_id"), data.get("reason"), bool(data.get("confirmed_once")))

    def dump(self) -> dict[str, Any]:
        return {
            "windows": [{"day": w.day.isoformat(), "start": _iso(w.start), "end": _iso(w.end)} for w in self.windows],
            "room_id": self.room_id,
            "reason": self.reason,
            "confirmed_once": self.confirmed_once,
        }

    def with_days(self, days: list[date]) -> Draft:
        """New days; times already known carry over to them."""
        start, end = (self.windows[0].start, self.windows[0].end) if self.windows else (None, None)
        return replace(self, windows=tuple(Window(day, start, end) for day in sorted(set(days))))

    def with_times(self, ranges: list[tuple[time, time | None]]) -> Draft:
        """New times for every day (two ranges make two shifts a day)."""
        days = sorted({w.day for w in self.windows})
        return replace(self, windows=tuple(Window(day, start, end) for day in days for start, end in ranges))

    def with_end(self, end: time) -> Draft:
        return replace(self, windows=tuple(replace(w, end=end) for w in self.windows))

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


def _iso(value: time | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None
