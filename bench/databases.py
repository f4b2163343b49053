"""The database a bench runs on: a file in a temporary folder (SQLite), or a PostgreSQL database the bench creates
for itself — dropped when the bench ends, or kept for the next run when building it takes minutes. A database that
already holds tables is never dropped: the bench refuses it, or (keeping) uses it as it is."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


@contextmanager
def bench_database(url: str | None, file_name: str, *, keep: bool = False) -> Iterator[str]:
    """`url`, or `sqlite:///` a new `file_name` in a temporary folder. On PostgreSQL, the URL's database is
    created if it is missing (through the server's `postgres` database) and, unless `keep`, dropped when the
    bench ends — only one this run created. An existing one is used if it is empty, or with `keep` as it is;
    otherwise the bench stops and says why (it may be someone's real data)."""
    if url is None or not url.startswith("postgresql"):
        yield url or f"sqlite:///{Path(tempfile.mkdtemp()) / file_name}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    name = target.database
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    created = False
    try:
        with admin.connect() as connection:
            there = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if there.first() is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
                created = True
        if not created and not keep and _holds_tables(target):
            raise SystemExit(
                f'bench: the database "{name}" already holds tables. The bench builds its own Alliance: name a '
                "database that does not exist yet (the bench creates it and drops it afterwards), or drop this "
                "one yourself if it is a bench's leftover."
            )
        yield url
    finally:
        if created and not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _holds_tables(target: URL) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(target)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            )
            return bool(found.scalar())
    finally:
        engine.dispose()
