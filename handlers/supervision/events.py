"""What supervision announces; its own messages (handlers/supervision/notify.py) are subscribers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from handlers.bus import Event


class Why(StrEnum):
    TEACHER = "teacher"  # she cancelled (or gave up a seat from the waitlist)
    SUPERVISOR = "supervisor"  # the session was cancelled
    DIRECTOR = "director"  # no cover, and the director cancelled it
    DIRECTOR_MOVE = "director_move"  # no cover, and the director asked her to pick another time
    COVER_CANCELLED = "cover_cancelled"  # someone cancelled the classroom cover


@dataclass(frozen=True)
class SessionBooked(Event):
    booking_id: int
    waitlisted: bool


@dataclass(frozen=True)
class BookingConfirmed(Event):
    booking_id: int
    in_house: bool = False


@dataclass(frozen=True)
class CoverLost(Event):
    """Her floater dropped the cover: the booking waits for cover again (cover re-offers it)."""

    booking_id: int


@dataclass(frozen=True)
class BookingCancelled(Event):
    booking_id: int
    why: Why
    seat_to: int | None = None  # the booking that got the seat it freed (the supervisor hears both at once)


@dataclass(frozen=True)
class DirectorAsked(Event):
    """Nobody covers her room close to the start: the site's director chooses."""

    booking_id: int


@dataclass(frozen=True)
class NotHeld(Event):
    """The start came with no cover: the session did not happen for her."""

    booking_id: int


@dataclass(frozen=True)
class SeatGiven(Event):
    """A seat freed and went to the first on the waitlist."""

    booking_id: int
    freed_by: int | None = None  # the booking whose cancel freed it (its message names her to the supervisor)


@dataclass(frozen=True)
class SessionCancelled(Event):
    session_id: int
    booking_ids: tuple[int, ...]
    waitlisted: tuple[int, ...] = ()  # those of booking_ids that had no seat (nor cover)


@dataclass(frozen=True)
class SessionMoved(Event):
    session_id: int
    old_starts_at: datetime
    old_ends_at: datetime
    booking_ids: tuple[int, ...]


@dataclass(frozen=True)
class SeriesCancelled(Event):
    """The supervisor cancelled a series from one session on: each teacher and director told once for all."""

    session_ids: tuple[int, ...]
    booking_ids: tuple[int, ...]
    waitlisted: tuple[int, ...] = ()


@dataclass(frozen=True)
class SeriesLeft(Event):
    """A teacher cancelled her bookings of a series from one session on: she and the supervisor told once."""

    booking_ids: tuple[int, ...]
