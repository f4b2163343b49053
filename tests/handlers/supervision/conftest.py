"""Sessions for the supervision dialogs: published as a supervisor would, at fixed times of the tests' week."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import delete
from sqlmodel import col, select

from models.db import session_scope
from models.roster.tables import Person
from models.supervision import writes
from models.supervision.tables import Repeat, SupervisionBooking, SupervisionSeries, SupervisionSession
from tests.dialog import Dialog, Sent

NY = ZoneInfo("America/New_York")
THURSDAY_2PM = datetime(2026, 12, 3, 14, tzinfo=NY)  # the tests start on Monday 30 Nov, 06:05


def person_id(demo: Dialog, name: str) -> int:
    with session_scope(demo.engine) as session:
        return session.exec(select(Person.id).where(col(Person.name).startswith(name))).one() or 0


def publish(
    demo: Dialog,
    *,
    at: datetime = THURSDAY_2PM,
    capacity: int = 1,
    weeks: int = 0,
    site: int | None = None,
    supervisor: str = "Olivia",
) -> list[int]:
    """Sessions of an hour, weekly for `weeks` more weeks; their ids."""
    starts = [at + timedelta(weeks=n) for n in range(weeks + 1)]
    with session_scope(demo.engine) as session:
        sessions = writes.publish(
            session,
            supervisor_id=person_id(demo, supervisor),
            times=[(s, s + timedelta(hours=1)) for s in starts],
            capacity=capacity,
            site_id=site,
            room_id=None,
            repeat=Repeat.WEEKLY if weeks else Repeat.NONE,
            until=starts[-1] if weeks else None,
            at=demo.clock.now(),
        )
        return [s.id or 0 for s in sessions]


def booking(demo: Dialog, teacher: str, session_id: int) -> SupervisionBooking:
    with session_scope(demo.engine) as session:
        return session.exec(
            select(SupervisionBooking).where(
                SupervisionBooking.teacher_id == person_id(demo, teacher), SupervisionBooking.session_id == session_id
            )
        ).one()


def calendar_of(message: Sent) -> tuple[str, str, int, str]:
    """(METHOD, UID, SEQUENCE, DTSTART) of the one .ics file a message carries, read with icalendar."""
    ((name, content),) = message.files
    assert name.endswith(".ics")
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    return str(calendar["METHOD"]), str(event["UID"]), int(str(event["SEQUENCE"])), event.decoded("DTSTART").isoformat()


@pytest.fixture(autouse=True)
def no_demo_sessions(demo: Dialog) -> None:
    """These dialogs publish their own sessions: the demo's weekly ones are taken away first."""
    with session_scope(demo.engine) as session:
        session.execute(delete(SupervisionSession))
        session.execute(delete(SupervisionSeries))


@pytest.fixture
def olivia_thursday(demo: Dialog) -> int:
    return publish(demo)[0]
