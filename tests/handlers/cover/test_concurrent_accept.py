"""Twenty floaters press [Accept] on the same shift at the same moment, each on its own connection."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, event
from sqlmodel import select

from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.contract import Incoming
from handlers.service import Core
from models.cover.tables import Offer, Shift, ShiftEvent
from models.db import make_engine, session_scope
from models.messaging.tables import OutboxMessage
from models.roster.apply import import_roster
from models.roster.files import read_people, read_sites

FLOATERS = 20
NOW = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)


def roster() -> tuple[str, str]:
    sites = "site,timezone,opens,closes,rooms\nHill,America/New_York,07:00,18:00,Owls:preschool\n"
    people = ["name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id"]
    people.append("Tess,Hill,teacher,Owls,,,en,,,,t-tess")
    people += [
        f"Floater {n:02},,floater,,,,en,preschool,background_check;cpr_first_aid:2027-12-31,,t-f{n}"
        for n in range(FLOATERS)
    ]
    return sites, "\n".join(people) + "\n"


@pytest.mark.twin
def test_exactly_one_of_twenty_simultaneous_accepts_wins(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=FLOATERS + 5)
    sites, people = roster()
    with session_scope(engine) as session:
        import_roster(session, sites=read_sites(sites), people=read_people(people), at=NOW)
    core = Core(engine, ManualClock(NOW), CoreConfig())

    def say(user: str, *, text_: str | None = None, payload: str | None = None) -> None:
        core.handle(
            Incoming("telegram", user, user, NOW, text=text_, payload=payload, event_id=f"{user}:{text_}{payload}")
        )

    say("t-tess", text_="need a floater tomorrow 8-12 planning")
    say("t-tess", payload="cv:send")
    with session_scope(engine) as session:
        shift_id = session.exec(select(Shift.id)).one()
        assert len(session.exec(select(Offer)).all()) == FLOATERS

    barrier = threading.Barrier(FLOATERS)
    backends: set[int] = set()
    errors: list[BaseException] = []
    if engine.dialect.name == "postgresql":
        # Every accept's transaction waits here until all twenty are open, each on its own server connection.
        in_transaction = threading.Barrier(FLOATERS)

        @event.listens_for(engine, "begin")
        def _all_at_once(connection: Connection) -> None:
            backends.add(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
            in_transaction.wait(timeout=30)

    def accept(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            say(f"t-f{n}", payload=f"acc:{shift_id}")
        except BaseException as problem:  # collected and re-raised in the test thread
            errors.append(problem)

    threads = [threading.Thread(target=accept, args=(n,)) for n in range(FLOATERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if engine.dialect.name == "postgresql":
        event.remove(engine, "begin", _all_at_once)
    assert errors == []

    with session_scope(engine) as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        assert shift.status == "filled"
        accepted = session.exec(select(ShiftEvent).where(ShiftEvent.kind == "accepted")).all()
        assert len(accepted) == 1
        assert accepted[0].person_id == shift.floater_id
        texts = [m.text for m in session.exec(select(OutboxMessage)).all()]
    assert sum(t.startswith("Confirmed — thank you!") for t in texts) == 1
    assert sum(t.startswith("Sorry — this shift has just been filled") for t in texts) == FLOATERS - 1
    if engine.dialect.name == "postgresql":
        assert len(backends) >= FLOATERS
    engine.dispose()
