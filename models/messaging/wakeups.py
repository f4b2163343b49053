"""Waking the leading replica's dispatcher when another replica has written to the outbox: PostgreSQL's LISTEN and
NOTIFY. Only the replica that leads sends; without a word from the others, what they write (a person's reply, when
her message reached a replica that does not lead) waits for the leader's next idle round, up to half a second.
SQLite has one process, which wakes its own dispatcher: nothing here is used there."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from sqlalchemy import Engine, bindparam, func, select

CHANNEL = "alliance_outbox"  # a name of this database's: replicas of another Alliance's database never hear it
_NOTIFY = select(func.pg_notify(bindparam("channel"), ""))


def notify(engine: Engine) -> None:
    """Tell whoever listens on this database (the leader) that rows were committed: one NOTIFY, on a connection of
    the pool, after the unit of work that wrote them (a notification is delivered when its transaction commits)."""
    with engine.connect() as connection:
        connection.execute(_NOTIFY, {"channel": CHANNEL})
        connection.commit()


async def notifications(engine: Engine, *, name: str) -> AsyncGenerator[None, None]:
    """Once as soon as this listens (what was committed before it listened was announced to nobody), then each time
    another process notifies: on a connection of its own (`name` in pg_stat_activity), outside the pool, in the
    event loop. Ends with an error when the connection is lost."""
    import psycopg  # only a leader on PostgreSQL listens

    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True, application_name=name) as connection:
        await connection.execute(f"LISTEN {CHANNEL}")
        yield
        async for _ in connection.notifies():
            yield
