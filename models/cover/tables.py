"""Cover: a request for a floater, its shifts (each filled on its own), the offers made, and what happened."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime


class CoverRequest(SQLModel, table=True):
    """Who asked, for which room, why. The message text itself is never stored (it may name a child)."""

    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(foreign_key="person.id", index=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    room_id: int = Field(foreign_key="room.id")
    reason: str = Field(max_length=20)  # sick | personal | planning | reflection | training | other
    created_at: datetime = Field(sa_type=UtcDateTime)


class Shift(SQLModel, table=True):
    """One block of cover; `status` is open → filled, or cancelled. A drop puts it back to open."""

    __table_args__ = (
        Index("ix_shift_status_start", "status", "starts_at"),
        Index("ix_shift_floater_start", "floater_id", "starts_at"),
        Index("ix_shift_starts", "starts_at"),  # the digest reads a week of shifts by start time
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="coverrequest.id", index=True)
    site_id: int = Field(foreign_key="site.id")
    room_id: int = Field(foreign_key="room.id")
    age_group: str = Field(max_length=20)
    reason: str = Field(max_length=20)
    starts_at: datetime = Field(sa_type=UtcDateTime)
    ends_at: datetime = Field(sa_type=UtcDateTime)
    status: str = Field(default="open", max_length=12)
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
    tier: int  # 1 the site's favourites, 2 every eligible floater, 3 asked by the Hub
    status: str = Field(default="sent", max_length=12)
    offered_at: datetime = Field(sa_type=UtcDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ShiftEvent(SQLModel, table=True):
    """The history of a shift for the metrics: requested, offered, accepted, declined, dropped, cancelled, …"""

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)
    kind: str = Field(max_length=20)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime = Field(sa_type=UtcDateTime)


class SitePreference(SQLModel, table=True):
    """A site's favourite floaters (offered first) and blocked ones (never offered)."""

    site_id: int = Field(foreign_key="site.id", primary_key=True)
    floater_id: int = Field(foreign_key="person.id", primary_key=True)
    kind: str = Field(max_length=10)  # favourite | blocked
