"""One dispatcher and scheduler at a time: on PostgreSQL the holder of the lease, fenced by its token; SQLite
always leads. These tests play two replicas as two engines with their own process names."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import col, select

from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import TELEGRAM, Limiter
from bot.leader import Leadership
from handlers.clock import ManualClock
from models.db import make_engine, session_scope
from models.messaging import due, leases, outbox
from models.messaging.tables import OutboxMessage
from tests.bot.dispatch.test_dispatcher import FakePlatform
from tests.conftest import SqliteTemplates


@dataclass
class Replica:
    engine: Engine
    leadership: Leadership

    def dies(self) -> None:
        """Its process ends: every connection closes, nothing is handed back — and the server has seen them
        go (a backend leaves pg_stat_activity a moment after its client hangs up)."""
        self.leadership._drop_connection()
        self.engine.dispose()
        if self.leadership._lease_engine is not None:
            self.leadership._lease_engine.dispose()
        witness = make_engine(self.engine.url.render_as_string(hide_password=False))
        gone = "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE :holder || '%'"
        deadline = time.monotonic() + 10
        with witness.connect() as connection:
            while connection.execute(text(gone), {"holder": self.leadership.holder}).scalar():
                assert time.monotonic() < deadline, "its connections never closed"
                connection.rollback()  # a fresh snapshot of pg_stat_activity
        witness.dispose()


# pg_stat_activity shows the whole server's sessions, other test processes' replicas too: names of their own.
A, B = (f"replica-{letter}-{secrets.token_hex(4)}" for letter in "ab")


@pytest.fixture
def replicas(postgres_url: str) -> Iterator[list[Replica]]:
    made = []
    for name in (A, B):
        replica_engine = make_engine(postgres_url, application_name=name)
        made.append(Replica(replica_engine, Leadership(replica_engine, name)))
    yield made
    for replica in made:
        replica.leadership.release()
        replica.engine.dispose()


def test_sqlite_always_leads(tmp_path: Path, sqlite_templates: SqliteTemplates) -> None:
    engine = make_engine(sqlite_templates.copy(tmp_path / "one.db"))
    first, second = Leadership(engine), Leadership(engine)
    assert first.try_acquire()
    assert second.try_acquire()
    assert first.keep()
    assert first.fence() is not None
    engine.dispose()


def test_one_leader_until_it_hands_the_lease_back(replicas: list[Replica]) -> None:
    a, b = (r.leadership for r in replicas)
    assert a.try_acquire()
    assert a.held
    assert not b.try_acquire()
    assert not b.held
    assert a.keep()
    a.release()
    assert not a.held
    assert b.try_acquire()
    assert not a.try_acquire()


def test_a_follower_takes_over_an_expired_lease_and_the_old_leader_claims_nothing(
    replicas: list[Replica], clock: ManualClock
) -> None:
    a, b = replicas[0].leadership, replicas[1].leadership
    a.ttl = timedelta(0)  # expires the moment it is written: a leader that froze right after renewing
    assert a.try_acquire()
    old = a._fence
    assert old is not None
    assert b.try_acquire()
    assert b._fence is not None
    assert b._fence.token == old.token + 1
    with session_scope(replicas[0].engine) as session:
        outbox.enqueue_many(session, [{"platform": "telegram", "chat_id": "1", "text": "hi"}], at=clock.now())
    with session_scope(replicas[0].engine) as session:
        row_id = session.exec(select(OutboxMessage.id)).one() or 0
        assert due.claim(session, ids=[row_id], fence=old, at=clock.now()) == {}  # fenced out
    assert not a.keep()
    assert not a.held  # it notices and steps down


def test_losing_the_lease_connection_steps_down_and_the_follower_leads_at_once(replicas: list[Replica]) -> None:
    a, b = replicas[0].leadership, replicas[1].leadership
    assert a.try_acquire()
    with replicas[1].engine.connect() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": f"{A}/lease"},
        )
    assert not a.keep()
    assert not a.held
    assert b.try_acquire()


def test_a_leader_whose_process_died_is_replaced_before_its_lease_expires(replicas: list[Replica]) -> None:
    a, b = replicas[0].leadership, replicas[1].leadership
    assert a.try_acquire()
    assert not b.try_acquire()
    replicas[0].dies()
    assert b.try_acquire()


def test_a_stalled_leader_stops_acting_before_it_renews(replicas: list[Replica]) -> None:
    now = [100.0]
    a = Leadership(replicas[0].engine, A, monotonic=lambda: now[0])
    assert a.try_acquire()
    assert a.held
    now[0] += 6  # more than half the lease without renewing: the process or its clock stalled
    assert a.fence() is None
    assert not a.keep()  # it does not renew its way back in: it steps down


async def test_rows_a_live_leader_is_sending_are_left_to_it_and_taken_over_when_it_dies(
    replicas: list[Replica], clock: ManualClock
) -> None:
    a, b = replicas[0].leadership, replicas[1].leadership
    assert a.try_acquire()
    with session_scope(replicas[0].engine) as session:
        rows = [{"platform": "telegram", "chat_id": str(n), "text": f"m{n}"} for n in range(3)]
        outbox.enqueue_many(session, rows, at=clock.now())
    with session_scope(replicas[0].engine) as session:
        first = session.exec(select(OutboxMessage.id).order_by(col(OutboxMessage.id))).first() or 0
        fence = a.fence()
        assert fence is not None
        assert due.claim(session, ids=[first], fence=fence, at=clock.now()).keys() == {first}  # a's send under way
    a.release()
    assert b.try_acquire()
    fake = FakePlatform()
    dispatcher = Dispatcher(
        replicas[1].engine, clock, {"telegram": fake}, {"telegram": Limiter(TELEGRAM)}, fence=b.fence
    )
    assert await dispatcher.run_once() == 2
    assert sorted(m.text for m in fake.sent) == ["m1", "m2"]  # m0 is a's: alive, it may be sending it
    replicas[0].dies()
    assert await dispatcher.run_once() == 1
    assert sorted(m.text for m in fake.sent) == ["m0", "m1", "m2"]
    with session_scope(replicas[1].engine) as session:
        assert {r.claimed_by for r in session.exec(select(OutboxMessage)).all()} == {B}


def test_each_lease_is_taken_over_by_whether_its_own_holder_is_gone(postgres_url: str) -> None:
    """Two leases: one whose holder has no connection any more, one whose holder is connected. Only the first is
    taken before it expires (the "is its holder connected" test looks at each lease's own holder, not at any)."""
    alive, dead = (f"holder-{kind}-{secrets.token_hex(4)}" for kind in ("alive", "dead"))
    engine = make_engine(postgres_url, application_name=alive)
    try:
        with engine.connect() as held_open:  # the live holder's connection, open throughout
            with engine.connect() as connection:
                for name, holder in (("lease-of-dead", dead), ("lease-of-alive", alive)):
                    assert leases.take(connection, holder=holder, ttl=timedelta(minutes=5), name=name) is not None
                newcomer = f"holder-new-{secrets.token_hex(4)}"
                assert leases.take(connection, holder=newcomer, ttl=timedelta(minutes=5), name="lease-of-dead") == 2
                assert leases.take(connection, holder=newcomer, ttl=timedelta(minutes=5), name="lease-of-alive") is None
                connection.execute(text("DELETE FROM lease WHERE name LIKE 'lease-of-%'"))
                connection.commit()
            held_open.rollback()
    finally:
        engine.dispose()
