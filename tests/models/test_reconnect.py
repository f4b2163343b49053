"""A PostgreSQL server that cut this process's connections (a restart, a failover): no message is lost to it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.contract import Incoming
from handlers.service import Core
from models import db
from models.db import make_engine
from tests.conftest import START as NOW


def _pooled_backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _cut(url: str, pid: int) -> None:
    """End that server process as a restart would, waiting until it is gone."""
    admin = make_engine(url)
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid}).scalar_one()
    admin.dispose()


def test_a_connection_idle_a_while_is_checked_and_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(postgres_url)
    first = _pooled_backend(engine)
    _cut(postgres_url, first)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has been idle long enough
    assert _pooled_backend(engine) != first  # the ping found it gone: a new connection, and nothing failed
    engine.dispose()


def test_a_message_whose_connection_was_cut_a_moment_ago_is_answered(postgres_demo_url: str) -> None:
    engine = make_engine(postgres_demo_url)
    core = Core(engine, ManualClock(NOW), CoreConfig())
    hello = Incoming("telegram", "4242", "4242", NOW, text="/help", event_id="e1")
    assert core.handle(hello)
    _cut(postgres_demo_url, _pooled_backend(engine))  # given back a moment ago: not pinged before the next use
    again = Incoming("telegram", "4242", "4242", NOW, text="/help", event_id="e2")
    assert core.handle(again)  # the first try met the dead connection; the pool connected afresh, and it ran again
    engine.dispose()
