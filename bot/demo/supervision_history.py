"""Past reflective-supervision sessions for the demo: each supervisor's weekly sessions of the last weeks, booked
by her teachers, each with its classroom cover — mostly covered and held, a few not held for lack of cover."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.cover import writes as cover_writes
from models.cover.tables import Origin, Reason, ShiftEvent, ShiftEventKind, ShiftStatus
from models.roster.tables import Person, PersonRole, Room
from models.supervision import writes
from models.supervision.tables import BookingStatus, Repeat, SupervisionBooking

HELD_SHARE = 0.8


def seed_supervision(
    session: Session, rng: random.Random, *, monday: date, weeks: int, zone: ZoneInfo, floaters: list[int]
) -> None:
    """For each past week: every supervisor meets each of her teachers once (a one-hour session)."""
    supervisors = session.exec(select(PersonRole.person_id).where(PersonRole.role == "supervisor")).all()
    for supervisor_id in sorted(supervisors):
        teachers = session.exec(
            select(Person).where(Person.supervisor_id == supervisor_id).order_by(col(Person.id))
        ).all()
        for week in range(weeks, 0, -1):
            for n, teacher in enumerate(teachers):
                day = monday - timedelta(weeks=week) + timedelta(days=1 + n % 4)
                _one(session, rng, supervisor_id, teacher, day, zone, floaters)


def _one(
    session: Session,
    rng: random.Random,
    supervisor_id: int,
    teacher: Person,
    day: date,
    zone: ZoneInfo,
    floaters: list[int],
) -> None:
    room = session.get(Room, teacher.room_id) if teacher.room_id is not None else None
    if room is None or not floaters:
        return
    starts = datetime.combine(day, time(rng.choice((10, 13, 14))), tzinfo=zone)
    ends, booked = starts + timedelta(hours=1), starts - timedelta(days=rng.randint(2, 6))
    (sitting,) = writes.publish(
        session,
        supervisor_id=supervisor_id,
        times=[(starts, ends)],
        capacity=1,
        site_id=None,
        room_id=None,
        repeat=Repeat.NONE,
        until=None,
        at=booked,
    )
    _request, (shift,) = cover_writes.create_request(
        session,
        requester_id=teacher.id or 0,
        site_id=room.site_id,
        room_id=room.id or 0,
        age_group=room.age_group,
        reason=Reason.REFLECTION,
        windows=[(starts, ends)],
        at=booked,
        origin=Origin.SUPERVISION,
    )
    held = rng.random() < HELD_SHARE
    if held:
        floater = rng.choice(floaters)
        shift.status, shift.floater_id = ShiftStatus.FILLED, floater
        shift.first_offered_at, shift.accepted_at = booked, booked + timedelta(hours=rng.randint(1, 20))
        session.add(
            ShiftEvent(shift_id=shift.id or 0, kind=ShiftEventKind.ACCEPTED, person_id=floater, at=shift.accepted_at)
        )
    else:
        shift.status, shift.cancelled_at = ShiftStatus.CANCELLED, starts
        session.add(
            ShiftEvent(shift_id=shift.id or 0, kind=ShiftEventKind.STARTED_UNCOVERED, person_id=None, at=starts)
        )
    session.add(shift)
    session.add(
        SupervisionBooking(
            session_id=sitting.id or 0,
            teacher_id=teacher.id or 0,
            status=BookingStatus.CONFIRMED if held else BookingStatus.NOT_HELD,
            shift_id=shift.id,
            booked_at=booked,
            changed_at=shift.accepted_at if held and shift.accepted_at else starts,
        )
    )
