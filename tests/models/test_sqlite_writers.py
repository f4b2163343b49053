"""SQLite's writers in one process queue on a lock of their own: taken by each writing transaction, never by a
reading one, and given back however the transaction ends; a unit of work waits for its turn before it takes a
connection."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from models.db import Engine, make_engine, read_scope, session_scope, upgrade, writer_lock


def fail_inside(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.execute(text("UPDATE lease SET token = 2"))
        raise RuntimeError("rolled back")


def test_the_writer_lock_is_held_while_writing_and_given_back_however_it_ends(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade(url)
    engine = make_engine(url)
    lock = writer_lock(engine)
    assert lock is not None
    with session_scope(engine) as session:
        session.execute(text("INSERT INTO lease (name, holder, token, expires_at) VALUES ('a', 'x', 1, '2026-12-01')"))
        assert lock.locked()
    assert not lock.locked()
    with pytest.raises(RuntimeError, match="rolled back"):
        fail_inside(engine)
    assert not lock.locked()
    with read_scope(engine) as session:
        session.execute(text("SELECT count(*) FROM lease")).one()
        assert not lock.locked()  # a reader never waits for writers (WAL)
    with engine.connect() as connection:  # commit as you go: two transactions on one connection
        connection.execute(text("UPDATE lease SET token = 3"))
        connection.commit()
        connection.execute(text("UPDATE lease SET token = 4"))
        connection.commit()
    assert not lock.locked()
    with session_scope(engine) as session:
        assert session.execute(text("SELECT token FROM lease")).scalar_one() == 4


def test_writers_of_several_threads_take_turns_on_one_connection(tmp_path: Path) -> None:
    """Each waits for its turn before it takes a connection, and takes the one the last gave back: its page cache
    holds what was written before it (a writer on a connection of its own would read those pages again)."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.execute(text("INSERT INTO lease (name, holder, token, expires_at) VALUES ('a', 'x', 0, '2026-12-01')"))
    used: set[int] = set()
    ready = threading.Barrier(4)

    def writer() -> None:
        ready.wait()
        for _ in range(25):
            with session_scope(engine) as session:
                session.execute(text("UPDATE lease SET token = token + 1"))
                used.add(id(session.connection().connection.dbapi_connection))

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with read_scope(engine) as session:
        assert session.execute(text("SELECT token FROM lease")).scalar_one() == 100
    assert len(used) == 1
