"""One dispatcher and scheduler at a time on PostgreSQL (an advisory lock); SQLite always leads."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.leader import Leadership
from models.db import make_engine


def test_only_one_process_leads(engine: Engine, database_url: str) -> None:
    other_engine = make_engine(database_url)
    first, second = Leadership(engine), Leadership(other_engine)
    try:
        assert first.try_acquire()
        if engine.dialect.name == "postgresql":
            assert not second.try_acquire()
            first.release()
            assert second.try_acquire()
            assert not first.try_acquire()
        else:
            assert second.try_acquire()  # one process per SQLite file
    finally:
        first.release()
        second.release()
        other_engine.dispose()
