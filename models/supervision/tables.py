"""Reflective supervision: a supervisor's sessions and the teachers' bookings. Only times, people and states are
kept — nothing said in a session is ever asked for or stored."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.types import EnumText, UtcDateTime


class Repeat(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"


class SessionStatus(StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"


class BookingStatus(StrEnum):
    AWAITING_COVER = "awaiting_cover"  # booked; her classroom's cover not yet accepted
    CONFIRMED = "confirmed"  # a floater covers her room (or the site does, in-house)
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    NOT_HELD = "not_held"  # nobody covered her room in time


SEATED = (BookingStatus.AWAITING_COVER, BookingStatus.CONFIRMED)  # these take a seat
LIVE = (*SEATED, BookingStatus.WAITLISTED)  # not ended


class SupervisionSeries(SQLModel, table=True):
    """How sessions repeat: weekly or every two weeks until a date. Its sessions are rows of their own."""

    id: int | None = Field(default=None, primary_key=True)
    supervisor_id: int = Field(foreign_key="person.id", index=True)
    repeat: Repeat = Field(sa_type=EnumText(Repeat, 10))
    until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)


class SupervisionSession(SQLModel, table=True):
    """One session a supervisor offers: when, how many seats, where (a room, a site, or a video call)."""

    __table_args__ = (Index("ix_supervisionsession_starts", "status", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    supervisor_id: int = Field(foreign_key="person.id", index=True)
    series_id: int | None = Field(default=None, foreign_key="supervisionseries.id", index=True)
    starts_at: datetime = Field(sa_type=UtcDateTime)
    ends_at: datetime = Field(sa_type=UtcDateTime)
    capacity: int = 1
    site_id: int | None = Field(default=None, foreign_key="site.id")  # None: a video call
    room_id: int | None = Field(default=None, foreign_key="room.id")
    status: SessionStatus = Field(default=SessionStatus.OPEN, sa_type=EnumText(SessionStatus, 12))
    sequence: int = 0  # the supervisor's calendar event of the session: raised at every move and cancel
    created_at: datetime = Field(sa_type=UtcDateTime)


class SupervisionBooking(SQLModel, table=True):
    """A teacher's seat (or place on the waitlist) in a session, and the cover shift it asked for."""

    __table_args__ = (Index("ix_supervisionbooking_session", "session_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervisionsession.id")
    teacher_id: int = Field(foreign_key="person.id", index=True)
    status: BookingStatus = Field(sa_type=EnumText(BookingStatus, 16))
    shift_id: int | None = Field(default=None, foreign_key="shift.id", index=True)
    covered_in_house: bool = False
    sequence: int = 0  # the calendar file's SEQUENCE: raised at every move, so calendar apps update
    invited: bool = False  # she got the calendar file (at her first confirmation): moves and cancels update it
    booked_at: datetime = Field(sa_type=UtcDateTime)  # the waitlist's order
    changed_at: datetime = Field(sa_type=UtcDateTime)
