"""Read-side queries of supervision: what a teacher may book, who is booked, what is coming."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.roster.tables import Person, Site
from models.supervision.tables import (
    SEATED,
    BookingStatus,
    SessionStatus,
    SupervisionBooking,
    SupervisionSession,
)


@dataclass(frozen=True)
class Offered:
    """A session a teacher may book, with its seats taken."""

    session: SupervisionSession
    taken: int

    @property
    def full(self) -> bool:
        return self.taken >= self.session.capacity


def bookable(
    session: Session,
    *,
    teacher_id: int,
    own_supervisor_id: int | None,
    start: datetime,
    end: datetime,
    limit: int,
    left_before: datetime | None = None,
) -> list[Offered]:
    """Open sessions starting in [start, end) that she has not booked — nor left, when they start before
    `left_before`: her own supervisor's first, then by time. One query for the sessions and one for the seats,
    whatever their number."""
    mine = select(SupervisionBooking.session_id).where(
        SupervisionBooking.teacher_id == teacher_id,
        col(SupervisionBooking.status).in_((*SEATED, BookingStatus.WAITLISTED)),
    )
    if left_before is not None:
        left = (
            select(SupervisionBooking.session_id)
            .join(SupervisionSession, col(SupervisionSession.id) == col(SupervisionBooking.session_id))
            .where(SupervisionBooking.teacher_id == teacher_id, col(SupervisionSession.starts_at) <= left_before)
        )
        mine = mine.union(left)  # type: ignore[assignment]
    own_first = (col(SupervisionSession.supervisor_id) != (own_supervisor_id or 0)).label("own_first")
    statement = (
        select(SupervisionSession)
        .where(col(SupervisionSession.status) == SessionStatus.OPEN)
        .where(col(SupervisionSession.starts_at) >= start, col(SupervisionSession.starts_at) < end)
        .where(col(SupervisionSession.id).not_in(mine))
        .order_by(own_first, col(SupervisionSession.starts_at), col(SupervisionSession.id))
        .limit(limit)
    )
    sessions = list(session.exec(statement).all())
    taken = seats_taken(session, session_ids=[s.id for s in sessions if s.id is not None])
    return [Offered(s, taken.get(s.id or 0, 0)) for s in sessions]


def seats_taken(session: Session, *, session_ids: list[int]) -> dict[int, int]:
    if not session_ids:
        return {}
    rows = session.exec(
        select(SupervisionBooking.session_id, func.count())
        .where(col(SupervisionBooking.session_id).in_(session_ids), col(SupervisionBooking.status).in_(SEATED))
        .group_by(col(SupervisionBooking.session_id))
    ).all()
    return {session_id: number for session_id, number in rows}


def booking_of_shift(session: Session, *, shift_id: int) -> SupervisionBooking | None:
    return session.exec(select(SupervisionBooking).where(SupervisionBooking.shift_id == shift_id)).first()


def bookings_of_session(
    session: Session, *, session_id: int, statuses: tuple[BookingStatus, ...]
) -> list[SupervisionBooking]:
    """In the waitlist's order (first booked first)."""
    statement = (
        select(SupervisionBooking)
        .where(SupervisionBooking.session_id == session_id, col(SupervisionBooking.status).in_(statuses))
        .order_by(col(SupervisionBooking.booked_at), col(SupervisionBooking.id))
        .execution_options(populate_existing=True)  # their states may have changed by one statement just now
    )
    return list(session.exec(statement).all())


def upcoming_of_teacher(
    session: Session, *, teacher_id: int, now: datetime
) -> list[tuple[SupervisionBooking, SupervisionSession]]:
    statement = (
        select(SupervisionBooking, SupervisionSession)
        .join(SupervisionSession, col(SupervisionSession.id) == col(SupervisionBooking.session_id))
        .where(SupervisionBooking.teacher_id == teacher_id, col(SupervisionSession.ends_at) > now)
        .where(col(SupervisionBooking.status).in_((*SEATED, BookingStatus.WAITLISTED)))
        .order_by(col(SupervisionSession.starts_at))
    )
    return [(b, s) for b, s in session.exec(statement).all()]


def upcoming_of_site(
    session: Session, *, site_id: int, now: datetime, until: datetime
) -> list[tuple[SupervisionBooking, SupervisionSession]]:
    """The live bookings of a site's teachers in sessions not ended by `now` and starting before `until`."""
    statement = (
        select(SupervisionBooking, SupervisionSession)
        .join(SupervisionSession, col(SupervisionSession.id) == col(SupervisionBooking.session_id))
        .join(Person, col(Person.id) == col(SupervisionBooking.teacher_id))
        .where(Person.site_id == site_id, col(SupervisionSession.ends_at) > now)
        .where(col(SupervisionSession.starts_at) < until)
        .where(col(SupervisionBooking.status).in_((*SEATED, BookingStatus.WAITLISTED)))
        .order_by(col(SupervisionSession.starts_at), col(SupervisionBooking.id))
    )
    return [(b, s) for b, s in session.exec(statement).all()]


def upcoming_of_supervisor(session: Session, *, supervisor_id: int, now: datetime) -> list[SupervisionSession]:
    statement = (
        select(SupervisionSession)
        .where(SupervisionSession.supervisor_id == supervisor_id, col(SupervisionSession.ends_at) > now)
        .where(col(SupervisionSession.status) == SessionStatus.OPEN)
        .order_by(col(SupervisionSession.starts_at))
    )
    return list(session.exec(statement).all())


def series_from(session: Session, *, series_id: int, start: datetime) -> list[SupervisionSession]:
    """The open sessions of a series starting at or after `start`, in order."""
    statement = (
        select(SupervisionSession)
        .where(SupervisionSession.series_id == series_id, col(SupervisionSession.status) == SessionStatus.OPEN)
        .where(col(SupervisionSession.starts_at) >= start)
        .order_by(col(SupervisionSession.starts_at))
    )
    return list(session.exec(statement).all())


def sessions_between(session: Session, *, start: datetime, end: datetime) -> list[SupervisionSession]:
    statement = (
        select(SupervisionSession)
        .where(col(SupervisionSession.status) == SessionStatus.OPEN)
        .where(col(SupervisionSession.starts_at) >= start, col(SupervisionSession.starts_at) < end)
        .order_by(col(SupervisionSession.starts_at))
    )
    return list(session.exec(statement).all())


def held_minutes(session: Session, *, teacher_id: int, start: datetime, end: datetime) -> int:
    """Minutes of reflective supervision she had in [start, end): confirmed sessions that have ended."""
    rows = session.exec(
        select(SupervisionSession.starts_at, SupervisionSession.ends_at)
        .join(SupervisionBooking, col(SupervisionBooking.session_id) == col(SupervisionSession.id))
        .where(SupervisionBooking.teacher_id == teacher_id, SupervisionBooking.status == BookingStatus.CONFIRMED)
        .where(col(SupervisionSession.starts_at) >= start, col(SupervisionSession.ends_at) <= end)
    ).all()
    return sum(int((e - s).total_seconds() // 60) for s, e in rows)


def overlapping(
    session: Session,
    *,
    supervisor_id: int,
    times: list[tuple[datetime, datetime]],
    moving: int | None = None,
) -> SupervisionSession | None:
    """One of her open sessions that overlaps any of these times. When publishing, one starting at the very same
    time is the same session published again, not an overlap; when `moving` a session, every other one counts."""
    for start, end in times:
        statement = (
            select(SupervisionSession)
            .where(SupervisionSession.supervisor_id == supervisor_id)
            .where(col(SupervisionSession.status) == SessionStatus.OPEN)
            .where(col(SupervisionSession.starts_at) < end, col(SupervisionSession.ends_at) > start)
        )
        if moving is None:
            statement = statement.where(col(SupervisionSession.starts_at) != start)
        else:
            statement = statement.where(col(SupervisionSession.id) != moving)
        found = session.exec(statement).first()
        if found is not None:
            return found
    return None


def already_published(session: Session, *, supervisor_id: int, starts: Sequence[datetime]) -> SupervisionSession | None:
    """One of her open sessions that starts at one of these very times (publishing it again would make two)."""
    if not starts:
        return None
    statement = (
        select(SupervisionSession)
        .where(SupervisionSession.supervisor_id == supervisor_id)
        .where(col(SupervisionSession.status) == SessionStatus.OPEN, col(SupervisionSession.starts_at).in_(starts))
        .order_by(col(SupervisionSession.starts_at))
    )
    return session.exec(statement.limit(1)).first()


def outside_hours(site: Site, times: list[tuple[datetime, datetime]], fallback: ZoneInfo) -> bool:
    """True when a session at this site would start before it opens or end after it closes (nobody could book it:
    a teacher's room is covered only while her site is open)."""
    zone = site.zone(fallback)
    return any(
        s.astimezone(zone).time() < site.opens
        or e.astimezone(zone).time() > site.closes
        or s.astimezone(zone).date() != e.astimezone(zone).date()
        for s, e in times
    )
