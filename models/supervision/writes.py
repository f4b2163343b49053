"""Write-side functions for supervision: publishing sessions, booking a seat, and each change of a booking —
one conditional statement each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from models.supervision.tables import (
    SEATED,
    BookingStatus,
    Repeat,
    SessionStatus,
    SupervisionBooking,
    SupervisionSeries,
    SupervisionSession,
)

STEP = {Repeat.WEEKLY: timedelta(weeks=1), Repeat.BIWEEKLY: timedelta(weeks=2)}
TERM = timedelta(weeks=12)  # how long a series runs when no last day is given


def series_days(first: date, repeat: Repeat, last: date | None = None) -> list[date]:
    """The days of a series — the first, then every week (or two) while on or before `last` (by default the
    end of a twelve-week term) — the one rule for chat's /slots and for SLOTS.csv."""
    if repeat == Repeat.NONE:
        return [first]
    last = last or first + TERM - timedelta(days=1)
    days = [first]
    while days[-1] + STEP[repeat] <= last:
        days.append(days[-1] + STEP[repeat])
    return days


def publish(
    session: Session,
    *,
    supervisor_id: int,
    times: Sequence[tuple[datetime, datetime]],
    capacity: int,
    site_id: int | None,
    room_id: int | None,
    repeat: Repeat,
    until: datetime | None,
    at: datetime,
) -> list[SupervisionSession]:
    """Store one session per (start, end), as one series when they repeat."""
    series_id = None
    if repeat != Repeat.NONE:
        series = SupervisionSeries(supervisor_id=supervisor_id, repeat=repeat, until=until, created_at=at)
        session.add(series)
        session.flush()
        series_id = series.id
    sessions = [
        SupervisionSession(
            supervisor_id=supervisor_id,
            series_id=series_id,
            starts_at=start,
            ends_at=end,
            capacity=capacity,
            site_id=site_id,
            room_id=room_id,
            created_at=at,
        )
        for start, end in times
    ]
    session.add_all(sessions)
    session.flush()
    return sessions


def book(session: Session, *, session_id: int, teacher_id: int, at: datetime) -> SupervisionBooking:
    """A seat if one is free, else a place on the waitlist. The session's row is locked first, so twenty
    teachers taking the last seat at once are seated one after the other and the capacity always holds."""
    statement = select(SupervisionSession).where(SupervisionSession.id == session_id)
    locked = session.exec(statement.with_for_update(key_share=True)).one()  # NO KEY UPDATE: see claim_shift
    seated = session.exec(
        select(func.count())
        .select_from(SupervisionBooking)
        .where(SupervisionBooking.session_id == session_id, col(SupervisionBooking.status).in_(SEATED))
    ).one()
    status = BookingStatus.AWAITING_COVER if seated < locked.capacity else BookingStatus.WAITLISTED
    booking = SupervisionBooking(
        session_id=session_id, teacher_id=teacher_id, status=status, booked_at=at, changed_at=at
    )
    session.add(booking)
    session.flush()
    return booking


def change_booking(
    session: Session,
    *,
    booking_id: int,
    to: BookingStatus,
    at: datetime,
    only_from: Sequence[BookingStatus],
    **values: object,
) -> bool:
    """`only_from` → `to` (with other columns, e.g. shift_id) in one statement; False when it was not in one of
    those states (someone else changed it first)."""
    statement = (
        update(SupervisionBooking)
        .where(col(SupervisionBooking.id) == booking_id, col(SupervisionBooking.status).in_(only_from))
        .values(status=to, changed_at=at, **values)
        .returning(col(SupervisionBooking.id))
    )
    return session.execute(statement).first() is not None


def set_shift(session: Session, *, booking_id: int, shift_id: int | None) -> None:
    session.execute(
        update(SupervisionBooking).where(col(SupervisionBooking.id) == booking_id).values(shift_id=shift_id)
    )


def raise_sequence(session: Session, *, booking_id: int) -> None:
    """The calendar file changes: calendar apps take the one with the higher SEQUENCE."""
    session.execute(
        update(SupervisionBooking)
        .where(col(SupervisionBooking.id) == booking_id)
        .values(sequence=SupervisionBooking.sequence + 1)
    )


def raise_session_sequence(session: Session, *, session_id: int) -> None:
    """The supervisor's event of the session changes (or is cancelled): a higher SEQUENCE."""
    session.execute(
        update(SupervisionSession)
        .where(col(SupervisionSession.id) == session_id)
        .values(sequence=SupervisionSession.sequence + 1)
    )


def cancel_session(session: Session, *, session_id: int) -> bool:
    statement = (
        update(SupervisionSession)
        .where(col(SupervisionSession.id) == session_id, col(SupervisionSession.status) == SessionStatus.OPEN)
        .values(status=SessionStatus.CANCELLED, sequence=SupervisionSession.sequence + 1)
        .returning(col(SupervisionSession.id))
    )
    return session.execute(statement).first() is not None


def move_session(session: Session, *, session_id: int, starts_at: datetime, ends_at: datetime) -> bool:
    statement = (
        update(SupervisionSession)
        .where(col(SupervisionSession.id) == session_id, col(SupervisionSession.status) == SessionStatus.OPEN)
        .values(starts_at=starts_at, ends_at=ends_at, sequence=SupervisionSession.sequence + 1)
        .returning(col(SupervisionSession.id))
    )
    return session.execute(statement).first() is not None
