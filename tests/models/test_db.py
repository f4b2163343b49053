"""The database: migrations match the tables, SQLite is tuned, single-statement helpers work on both."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select, text
from sqlmodel import col

from models.db import SQLITE_MMAP_BYTES, make_engine, read_scope, session_scope
from models.messaging import inbox
from models.messaging.tables import DueTask
from models.messaging.tasks import Timer, claim, next_due_id, schedule, schedule_many
from models.tables import metadata
from tests.conftest import PostgresTemplates

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
CLI = str(Path(sys.executable).with_name("alliance-bot"))


def test_migrations_create_exactly_the_tables_of_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_foreign_keys_and_a_memory_map(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert (connection.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA mmap_size")).scalar() == SQLITE_MMAP_BYTES


def test_a_report_reads_sqlite_without_the_memory_map_and_every_other_unit_of_work_with_it(tmp_path: object) -> None:
    """One pooled connection, used in turn: a report (`read_scope(unmapped=True)`) maps nothing of the file; a
    message after it (session_scope) and a plain read have the map."""
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    for _ in range(2):
        with read_scope(engine, unmapped=True) as session:
            assert session.execute(text("PRAGMA mmap_size")).scalar() == 0
        with session_scope(engine) as session:
            assert session.execute(text("PRAGMA mmap_size")).scalar() == SQLITE_MMAP_BYTES
        with read_scope(engine) as session:
            assert session.execute(text("PRAGMA mmap_size")).scalar() == SQLITE_MMAP_BYTES


def test_a_task_key_is_scheduled_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert schedule(session, kind="digest", due_at=NOW, key="digest:2026-W49")
        assert not schedule(session, kind="digest", due_at=NOW, key="digest:2026-W49")


def test_several_timers_go_in_at_once_and_a_key_already_there_is_left_as_it_is(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert schedule(session, kind="remind", due_at=NOW, key="a")
        schedule_many(session, [Timer("remind", NOW, {"n": 1}, "a"), Timer("remind", NOW, {"n": 2}, "b")])
        rows = session.execute(select(col(DueTask.key), col(DueTask.payload)).order_by(col(DueTask.key))).all()
    assert [tuple(row) for row in rows] == [("a", {}), ("b", {"n": 2})]


def test_event_ids_older_than_a_week_are_forgotten_and_newer_ones_still_count(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n, age in enumerate((timedelta(days=30), timedelta(days=8), timedelta(days=6), timedelta(0))):
            assert inbox.record_event(session, platform="slack", event_id=f"Ev{n}", at=NOW - age)
    with session_scope(engine) as session:
        assert inbox.prune(session, now=NOW) == 2
        assert inbox.prune(session, now=NOW) == 0
    with session_scope(engine) as session:
        assert not inbox.record_event(session, platform="slack", event_id="Ev2", at=NOW)  # six days old: a retry
        assert inbox.record_event(session, platform="slack", event_id="Ev1", at=NOW)  # forgotten


def test_a_due_task_is_claimed_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        schedule(session, kind="remind", due_at=NOW)
    with session_scope(engine) as session:
        assert next_due_id(session, now=NOW - timedelta(seconds=1)) is None
        task_id = next_due_id(session, now=NOW)
        assert task_id is not None
        first = claim(session, task_id=task_id, now=NOW)
        assert first is not None
        assert first.status == "done"
        assert claim(session, task_id=task_id, now=NOW) is None


def test_replicas_starting_together_migrate_one_at_a_time(postgres_templates: PostgresTemplates) -> None:
    url = postgres_templates.create(f"{postgres_templates.prefix}_race")  # empty: nothing migrated yet
    env = {**os.environ, "DATABASE_URL": url}
    try:
        starting = [
            subprocess.Popen([CLI, "db", "upgrade"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)
        ]
        results = [(p.communicate(timeout=120)[1].decode(), p.returncode) for p in starting]
        assert [code for _, code in results] == [0, 0, 0], [err[-300:] for err, _ in results]
        engine = make_engine(url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        engine.dispose()
    finally:
        postgres_templates.drop(f"{postgres_templates.prefix}_race")
