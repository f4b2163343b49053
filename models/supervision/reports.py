"""Read-side queries of supervision for the digest: the bookings of a period, with their teacher's site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models.roster.tables import Person, PersonRole, Site
from models.supervision.tables import BookingStatus, SupervisionBooking, SupervisionSession

COUNTED = (BookingStatus.AWAITING_COVER, BookingStatus.CONFIRMED, BookingStatus.NOT_HELD)


@dataclass(frozen=True)
class BookingRow:
    teacher_id: int
    site: str
    status: str
    in_house: bool
    starts_at: datetime
    minutes: int


def booking_rows(session: Session, *, start: datetime, end: datetime) -> list[BookingRow]:
    """Every booking that held a seat in a session starting in [start, end) (not cancelled, not waitlisted), with
    its teacher's site — one query."""
    statement = (
        select_columns(  # six columns: more than sqlmodel's select() is typed for
            col(SupervisionBooking.teacher_id),
            col(Site.name),
            col(SupervisionBooking.status),
            col(SupervisionBooking.covered_in_house),
            col(SupervisionSession.starts_at),
            col(SupervisionSession.ends_at),
        )
        .join(SupervisionSession, col(SupervisionSession.id) == col(SupervisionBooking.session_id))
        .join(Person, col(Person.id) == col(SupervisionBooking.teacher_id))
        .join(Site, col(Site.id) == col(Person.site_id))
        .where(col(SupervisionSession.starts_at) >= start, col(SupervisionSession.starts_at) < end)
        .where(col(SupervisionBooking.status).in_(COUNTED))
    )
    return [
        BookingRow(teacher, site, str(status), in_house, starts, int((ends - starts).total_seconds() // 60))
        for teacher, site, status, in_house, starts, ends in session.execute(statement).all()
    ]


def teachers_by_site(session: Session) -> dict[str, int]:
    """Active teachers per site (the denominator of "behind the yearly pace")."""
    rows = session.exec(
        select(Site.name, Person.id)
        .join(Person, col(Person.site_id) == col(Site.id))
        .where(col(Person.active).is_(True))
        .where(col(Person.id).in_(select(PersonRole.person_id).where(PersonRole.role == "teacher")))
    ).all()
    counts: dict[str, int] = {}
    for site, _person in rows:
        counts[site] = counts.get(site, 0) + 1
    return counts
