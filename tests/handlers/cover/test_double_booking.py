"""One floater, two linked accounts, two overlapping shifts, [Accept] on both at the same instant: never two
bookings. Twenty rounds, each on its own connections."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, event
from sqlmodel import col, select

from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.contract import Incoming
from handlers.service import Core
from models.cover.tables import Shift, ShiftStatus
from models.db import make_engine, session_scope
from models.messaging.tables import OutboxMessage
from models.roster.apply import import_roster
from models.roster.files import read_people, read_sites

ROUNDS = 20
NOW = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York
SITES = "site,timezone,opens,closes,rooms\nHill,America/New_York,07:00,18:00,Owls:preschool;Bears:preschool\n"
PEOPLE = (
    "name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id\n"
    "Tess,Hill,teacher,Owls,,,en,,,,t-tess\n"
    "Tom,Hill,teacher,Bears,,,en,,,,t-tom\n"
    "Flo,,floater,,,,en,preschool,background_check;cpr_first_aid,s-flo,t-flo\n"
)


def two_overlapping_shifts(core: Core, engine: Engine, day: int) -> tuple[int, int]:
    """Tess asks for 8-12 and Tom for 10-14 on the same day; both are offered to Flo."""
    for teacher, times in (("t-tess", "8-12"), ("t-tom", "10-14")):
        for step in (f"need a floater dec {day} {times} planning", None):
            incoming = Incoming(
                "telegram", teacher, teacher, NOW, text=step, payload=None if step else "cv:send", event_id=None
            )
            core.handle(incoming)
    with session_scope(engine) as session:
        ids = session.exec(select(Shift.id).order_by(col(Shift.id).desc()).limit(2)).all()
    return ids[1] or 0, ids[0] or 0


def at_once(core: Core, presses: list[tuple[str, str, int]]) -> list[BaseException]:
    """Each (platform, account, shift) presses [Accept] in its own thread, released together; their errors."""
    barrier, errors = threading.Barrier(len(presses)), []

    def press(platform: str, user: str, shift_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            payload, event_id = f"acc:{shift_id}", f"{user}:{shift_id}"
            core.handle(Incoming(platform, user, user, NOW, payload=payload, event_id=event_id))
        except BaseException as problem:  # re-raised in the test thread
            errors.append(problem)

    threads = [threading.Thread(target=press, args=args) for args in presses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.twin
def test_two_accounts_of_one_floater_never_hold_two_overlapping_shifts(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=6)
    with session_scope(engine) as session:
        import_roster(session, sites=read_sites(SITES), people=read_people(PEOPLE), at=NOW)
    core = Core(engine, ManualClock(NOW), CoreConfig())
    postgres = engine.dialect.name == "postgresql"
    for day in range(2, 2 + ROUNDS):
        first, second = two_overlapping_shifts(core, engine, day)
        in_transaction, opened = threading.Barrier(2), set[int]()

        def _both_open(
            connection: Connection, waiting: threading.Barrier = in_transaction, seen: set[int] = opened
        ) -> None:
            """Both accepts are inside their transactions before either claims (the first transaction of each:
            the one refused begins another to answer)."""
            if threading.get_ident() not in seen:
                seen.add(threading.get_ident())
                waiting.wait(timeout=30)

        if postgres:  # SQLite takes the write lock at BEGIN, so there the two simply go one after the other
            event.listen(engine, "begin", _both_open)
        errors = at_once(core, [("telegram", "t-flo", first), ("slack", "s-flo", second)])
        if postgres:
            event.remove(engine, "begin", _both_open)
        assert errors == []
        with session_scope(engine) as session:
            statuses = [session.get(Shift, shift_id).status for shift_id in (first, second)]  # type: ignore[union-attr]
        assert sorted(statuses) == [ShiftStatus.FILLED, ShiftStatus.OPEN], f"round {day}: {statuses}"
    with session_scope(engine) as session:
        texts = [m.text for m in session.exec(select(OutboxMessage)).all()]
    assert sum(t.startswith("Confirmed — thank you!") for t in texts) == ROUNDS
    assert sum(t == "You already have a shift at that time, so you can't take this one too." for t in texts) == ROUNDS
    engine.dispose()
