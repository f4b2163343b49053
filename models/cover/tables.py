"""Cover: a request for a floater, its shifts (each filled on its own), the offers made, and what happened."""

from datetime import datetime
from enum import IntEnum, StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import EnumText, UtcDateTime


class Reason(StrEnum):
    """Why cover is needed: a code, never the story (it may name a child)."""

    SICK = "sick"
    PERSONAL = "personal"
    PLANNING = "planning"
    REFLECTION = "reflection"
    TRAINING = "training"
    OTHER = "other"


PROTECTED = frozenset({Reason.PLANNING, Reason.REFLECTION, Reason.TRAINING})  # may be shown to floaters


class Origin(StrEnum):
    """Where a request came from."""

    CHAT = "chat"  # a teacher or director asked in chat
    HUB = "hub"  # Hub staff asked on a site's behalf
    SUPERVISION = "supervision"  # a reflective-supervision booking asked for its own cover
    CLI = "cli"


class ShiftStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CANCELLED = "cancelled"


class OfferStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FILLED = "filled"  # someone else accepted first
    WITHDRAWN = "withdrawn"  # the shift was cancelled or moved


class Tier(IntEnum):
    FAVOURITES = 1  # the site's favourite floaters
    EVERYONE = 2  # every eligible floater
    HUB = 3  # asked by Hub staff


class ShiftEventKind(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DROPPED = "dropped"
    CANCELLED = "cancelled"
    ESCALATED = "escalated"
    MOVED = "moved"
    STARTED_UNCOVERED = "started_uncovered"


class PreferenceKind(StrEnum):
    FAVOURITE = "favourite"
    BLOCKED = "blocked"


class CoverRequest(SQLModel, table=True):
    """Who asked, for which room, why. The message text itself is never stored (it may name a child)."""

    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(foreign_key="person.id", index=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    room_id: int = Field(foreign_key="room.id")
    reason: Reason = Field(sa_type=EnumText(Reason, 20))
    origin: Origin = Field(default=Origin.CHAT, sa_type=EnumText(Origin, 12))
    created_at: datetime = Field(sa_type=UtcDateTime)


class Shift(SQLModel, table=True):
    """One block of cover; `status` is open → filled, or cancelled. A drop puts it back to open."""

    __table_args__ = (
        Index("ix_shift_status_start", "status", "starts_at"),
        Index("ix_shift_floater_start", "floater_id", "starts_at"),
        Index("ix_shift_starts", "starts_at"),  # the digest reads a week of shifts by start time
        Index("ix_shift_room_start", "room_id", "starts_at"),  # who asked for a room then (every request)
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="coverrequest.id", index=True)
    site_id: int = Field(foreign_key="site.id")
    room_id: int = Field(foreign_key="room.id")
    age_group: str = Field(max_length=20)
    reason: Reason = Field(sa_type=EnumText(Reason, 20))
    starts_at: datetime = Field(sa_type=UtcDateTime)
    ends_at: datetime = Field(sa_type=UtcDateTime)
    status: ShiftStatus = Field(default=ShiftStatus.OPEN, sa_type=EnumText(ShiftStatus, 12))
    floater_id: int | None = Field(default=None, foreign_key="person.id")
    requested_at: datetime = Field(sa_type=UtcDateTime)
    first_offered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    assigned_by_hub: bool = False
    escalated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Offer(SQLModel, table=True):
    """A shift offered to one floater: sent → accepted | declined | filled (by someone else) | withdrawn."""

    __table_args__ = (UniqueConstraint("shift_id", "floater_id"),)

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)
    floater_id: int = Field(foreign_key="person.id", index=True)
    tier: int  # a Tier
    status: OfferStatus = Field(default=OfferStatus.SENT, sa_type=EnumText(OfferStatus, 12))
    offered_at: datetime = Field(sa_type=UtcDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ShiftEvent(SQLModel, table=True):
    """The history of a shift for the metrics: requested, offered, accepted, declined, dropped, cancelled, …"""

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)
    kind: ShiftEventKind = Field(sa_type=EnumText(ShiftEventKind, 20))
    person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime = Field(sa_type=UtcDateTime)


class SitePreference(SQLModel, table=True):
    """A site's favourite floaters (offered first) and blocked ones (never offered)."""

    site_id: int = Field(foreign_key="site.id", primary_key=True)
    floater_id: int = Field(foreign_key="person.id", primary_key=True)
    kind: PreferenceKind = Field(sa_type=EnumText(PreferenceKind, 10))
