"""Alembic environment: the URL comes from the config built in models.db, never from the environment."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from models.db import make_engine
from models.tables import metadata

config = context.config
MIGRATION_LOCK = 0x41_6C_6C_6D  # "Allm": one migration at a time, whichever replica starts first
LOCK_TIMEOUT = "10s"  # a migration waiting longer for a table's lock fails, rather than stalling every query


def _one_at_a_time(connection: Connection) -> None:
    """On PostgreSQL, inside the migration's transaction: wait for any other migration to finish (the next one
    then finds the database already at head), and give up on a table lock held too long by someone else."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(str(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            _one_at_a_time(connection)
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
