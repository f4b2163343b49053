"""The database a bench runs on: a file in a temporary folder (SQLite), or a PostgreSQL database the bench creates
for itself — fresh, and dropped when the bench ends, or kept for the next run when building it takes minutes."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def bench_database(url: str | None, file_name: str, *, keep: bool = False) -> Iterator[str]:
    """`url`, or `sqlite:///` a new `file_name` in a temporary folder. On PostgreSQL, the URL's database is
    created if it is missing (through the server's `postgres` database); unless `keep`, it is made afresh (dropped
    first if it is there) and dropped, connections and all, when the bench ends."""
    if url is None or not url.startswith("postgresql"):
        yield url or f"sqlite:///{Path(tempfile.mkdtemp()) / file_name}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = target.database
    try:
        with admin.connect() as connection:
            if not keep:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            there = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if there.first() is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
