"""No lock-outs: the weekly digest is built holding no write lock, so people who write meanwhile are answered;
and a message that meets a busy database waits for it and is processed, never dropped.

Each test runs the real pieces in two threads on one database file, ordered by events (never by sleeping).
SQLite's busy timeout is cut to a fifth of a second so that a regression fails fast instead of waiting 5 s.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

import models.db
from bot.demo.seed import seed_demo
from handlers.clock import ManualClock
from handlers.context import CoreConfig, Ctx
from handlers.contract import Reply
from handlers.service import Core
from models.db import make_engine, session_scope
from models.messaging.tables import OutboxMessage
from models.roster.tables import Site
from scheduler.digest.schedule import SEND, ensure_now
from scheduler.tasks import TaskFn, TaskRegistry
from scheduler.tasks import tasks as real_tasks
from scheduler.ticker import tick
from tests.dialog import Dialog

NY = ZoneInfo("America/New_York")
CHANNELS = CoreConfig(hub_channels=(("slack", "C0HUB"),))
WAIT = 30  # seconds: only a broken build ever waits this long


@pytest.fixture
def quick_engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setattr(models.db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def site(name: str) -> Site:
    return Site(name=name, timezone="America/New_York", opens=time(7), closes=time(18))


def pausing(run: TaskFn, started: threading.Event, go_on: threading.Event) -> TaskFn:
    """The real runner, which then waits (its transaction still open) until the test lets it finish."""

    def paused(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        replies = run(ctx, payload)
        started.set()
        assert go_on.wait(WAIT), "the test never let the digest finish"
        return replies

    return paused


def test_people_who_write_while_the_digest_is_built_are_answered(quick_engine: Engine) -> None:
    clock = ManualClock(datetime(2026, 12, 6, 20, 0, tzinfo=NY))
    seed_demo(quick_engine, at=clock.now(), history=False)  # the events order the threads; size is no matter
    clock.set(datetime(2026, 12, 7, 8, 0, tzinfo=NY))
    ensure_now(quick_engine, clock, CHANNELS)
    building, messages_done = threading.Event(), threading.Event()
    registry = TaskRegistry(dict(real_tasks.kinds), set(real_tasks.reports))
    registry.kinds[SEND] = pausing(real_tasks.kinds[SEND], building, messages_done)
    digest = threading.Thread(target=tick, args=(quick_engine, clock, CHANNELS, registry))
    digest.start()
    try:
        assert building.wait(WAIT)
        dialog = Dialog(Core(quick_engine, clock, CHANNELS), quick_engine, clock)
        answers = [dialog.as_(name).says(text) for name, text in [("Alice", "/help"), ("María", "/ayuda")]]
        with session_scope(quick_engine) as session:
            session.add(site("Written meanwhile"))  # any write goes through
    finally:
        messages_done.set()
        digest.join()
    assert [len(a) for a in answers] == [1, 1]
    assert answers[0][0].text.startswith("You are on the roster as: teacher")
    assert answers[1][0].text.startswith("Estás en la lista como: docente")
    with session_scope(quick_engine) as session:
        texts = session.exec(select(OutboxMessage.text).where(col(OutboxMessage.to_hub).is_(True))).all()
    assert [t.splitlines()[0] for t in texts] == ["Alliance digest — week 2026-W49 (Mon 30 Nov – Sun 6 Dec)"]


class Flag(logging.Handler):
    """Notes a record at WARNING or above (the retry's), and wakes whoever waits for it."""

    def __init__(self, event: threading.Event) -> None:
        super().__init__(logging.WARNING)
        self.event = event
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True
        self.event.set()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL locks rows, not the database
def test_a_message_that_meets_a_locked_database_waits_and_is_answered(quick_engine: Engine, database_url: str) -> None:
    clock = ManualClock(datetime(2026, 12, 7, 8, 0, tzinfo=NY))
    seed_demo(quick_engine, at=clock.now(), history=False)
    dialog = Dialog(Core(quick_engine, clock, CoreConfig()), quick_engine, clock).as_("Alice")
    locked, waiting, release = threading.Event(), threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with session_scope(quick_engine) as session:
            session.add(site("A long write"))
            session.flush()
            locked.set()
            assert release.wait(WAIT)

    answers: list[Any] = []

    def write() -> None:
        try:
            answers.append(dialog.says("/help"))
        finally:
            waiting.set()  # (also when it failed, so that a broken build fails at once)

    writer, person = threading.Thread(target=hold_the_write_lock), threading.Thread(target=write)
    flag = Flag(waiting)
    logging.getLogger("handlers.service").addHandler(flag)
    writer.start()
    try:
        assert locked.wait(WAIT)
        person.start()
        assert waiting.wait(WAIT)
        assert flag.seen, "the message was never tried again"
    finally:
        release.set()
        writer.join()
        person.join()
        logging.getLogger("handlers.service").removeHandler(flag)
    assert len(answers) == 1
    assert answers[0][0].text.startswith("You are on the roster as: teacher")
