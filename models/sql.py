"""Single-statement helpers that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert
from sqlmodel import Session


def insert_ignore(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when a row was inserted."""
    statement = _insert_ignoring(session.get_bind().dialect.name, table)
    return session.execute(statement, values).first() is not None


def insert_ignore_many(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING of several rows in one statement; a row whose key is there is left out."""
    if rows:
        session.execute(_insert_ignoring_all(session.get_bind().dialect.name, table), list(rows))


def dialect_insert(dialect: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    """The INSERT of this database's dialect: the one with `on_conflict_do_nothing` / `on_conflict_do_update`."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


@lru_cache(maxsize=32)
def _insert_ignoring_all(dialect: str, table: Table) -> Insert:
    """The statement for a table, built once (it runs on every message): the rows come as its parameters."""
    return dialect_insert(dialect, table).on_conflict_do_nothing()


@lru_cache(maxsize=32)
def _insert_ignoring(dialect: str, table: Table) -> Insert:
    """The same, telling whether the row went in (its key, returned)."""
    return _insert_ignoring_all(dialect, table).returning(next(iter(table.primary_key.columns)))
