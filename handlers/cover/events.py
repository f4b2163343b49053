"""What cover announces. Any feature may subscribe (`bus.subscribe(ShiftFilled)`); cover's own chat messages are
subscribers too (handlers/cover/notify.py). Events carry ids; a subscriber reads what it needs in the same
session, so it sees the change as committed together with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.bus import Event
from models.cover.tables import OfferStatus, Origin


@dataclass(frozen=True)
class ShiftRequested(Event):
    shift_id: int
    request_id: int
    requester_id: int
    origin: Origin


@dataclass(frozen=True)
class OffersSent(Event):
    """These floaters were just offered the shift (or asked by the Hub: `by_hub`)."""

    shift_id: int
    floater_ids: tuple[int, ...]
    by_hub: bool = False


@dataclass(frozen=True)
class OffersClosed(Event):
    """These floaters' pending offers ended without their answer: filled by someone else, or withdrawn."""

    shift_id: int
    floater_ids: tuple[int, ...]
    why: OfferStatus  # FILLED or WITHDRAWN
    moved: bool = False  # withdrawn because the shift moved to a time she is not free
    over: bool = False  # withdrawn because the shift ended with nobody (its end timer)


@dataclass(frozen=True)
class ShiftFilled(Event):
    shift_id: int
    floater_id: int
    by_hub: bool


@dataclass(frozen=True)
class ShiftDeclined(Event):
    shift_id: int
    floater_id: int


@dataclass(frozen=True)
class ShiftDropped(Event):
    """The floater gave the shift up; it is open again and being re-offered."""

    shift_id: int
    floater_id: int


@dataclass(frozen=True)
class ShiftCancelled(Event):
    shift_id: int
    floater_id: int | None  # who had it, if it was filled
    by: int | None  # who cancelled (None: the system)


@dataclass(frozen=True)
class ShiftMoved(Event):
    """New times. `kept`: her floater still covers it; `released`: she could not, and it is re-offered."""

    shift_id: int
    old_starts_at: datetime
    old_ends_at: datetime
    by: int | None
    kept: int | None = None
    released: int | None = None


@dataclass(frozen=True)
class ShiftEscalated(Event):
    """Not filled in time: the Hub channel has been (or is being) asked to act."""

    shift_id: int


@dataclass(frozen=True)
class ShiftStartedUncovered(Event):
    """The shift's start came and nobody had accepted it."""

    shift_id: int
