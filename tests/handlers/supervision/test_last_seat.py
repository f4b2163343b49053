"""Twenty teachers press [Join] on the last seat of a session at the same instant, each on its own connection:
the capacity holds, and the others are waitlisted in the order they came."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, event
from sqlmodel import col, select

from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.contract import Incoming
from handlers.service import Core
from models.db import make_engine, session_scope
from models.roster.apply import import_roster
from models.roster.files import read_people, read_sites
from models.roster.tables import Person
from models.supervision import writes
from models.supervision.tables import BookingStatus, Repeat, SupervisionBooking

TEACHERS = 20
NOW = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)
START = datetime(2026, 12, 3, 19, tzinfo=UTC)  # Thursday 14:00 in New York


def roster() -> tuple[str, str]:
    rooms = ";".join(f"Room {n:02}:preschool" for n in range(TEACHERS))
    sites = f"site,timezone,opens,closes,rooms\nHill,America/New_York,07:00,18:00,{rooms}\n"
    people = ["name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id"]
    people.append("Sage,,supervisor,,,,en,,,,t-sage")
    people += [f"Teacher {n:02},Hill,teacher,Room {n:02},,,en,,,,t-{n}" for n in range(TEACHERS)]
    return sites, "\n".join(people) + "\n"


@pytest.mark.twin
def test_the_last_seat_goes_to_one_and_the_rest_wait_in_order(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=TEACHERS + 5)
    sites, people = roster()
    with session_scope(engine) as session:
        import_roster(session, sites=read_sites(sites), people=read_people(people), at=NOW)
        sage = session.exec(select(Person.id).where(Person.name == "Sage")).one() or 0
        (sitting,) = writes.publish(
            session,
            supervisor_id=sage,
            times=[(START, START + timedelta(hours=1))],
            capacity=1,
            site_id=None,
            room_id=None,
            repeat=Repeat.NONE,
            until=None,
            at=NOW,
        )
        session_id = sitting.id or 0
    core = Core(engine, ManualClock(NOW), CoreConfig())
    postgres = engine.dialect.name == "postgresql"
    barrier, in_transaction = threading.Barrier(TEACHERS), threading.Barrier(TEACHERS)
    errors: list[BaseException] = []

    def _all_open(connection: Connection) -> None:
        in_transaction.wait(timeout=30)  # every press is inside its transaction before any takes the seat

    if postgres:  # SQLite takes the write lock at BEGIN: there they simply go one after the other
        event.listen(engine, "begin", _all_open)

    def join(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            core.handle(Incoming("telegram", f"t-{n}", f"t-{n}", NOW, payload=f"rsw:{session_id}", event_id=f"e{n}"))
        except BaseException as problem:  # re-raised in the test thread
            errors.append(problem)

    threads = [threading.Thread(target=join, args=(n,)) for n in range(TEACHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if postgres:
        event.remove(engine, "begin", _all_open)
    assert errors == []
    with session_scope(engine) as session:
        bookings = session.exec(select(SupervisionBooking).order_by(col(SupervisionBooking.id))).all()
    statuses = [b.status for b in bookings]
    assert len(bookings) == TEACHERS
    assert statuses.count(BookingStatus.AWAITING_COVER) == 1
    assert statuses.count(BookingStatus.WAITLISTED) == TEACHERS - 1
    assert statuses[0] == BookingStatus.AWAITING_COVER  # the first to get the lock is seated; the rest queue after
    engine.dispose()
