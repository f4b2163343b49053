"""Waking the leading replica's dispatcher when another replica has written to the outbox: PostgreSQL's LISTEN and
NOTIFY. Only the replica that leads sends; without a word from the others, what they write (a person's reply, when
her message reached a replica that does not lead) waits for the leader's next idle round, up to half a second.
SQLite has one process, which wakes its own dispatcher: nothing here is used there."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from sqlalchemy import Engine, bindparam, func, select

CHANNEL = "alliance_outbox"  # a name of this database's: replicas of another Alliance's database never hear it
# A listening connection only receives: one a network dropped without a word (a NAT's forgotten mapping, a split)
# would stay deaf for hours. TCP keepalives, and a statement of its own after this long without a notification,
# find it lost within a minute; connecting gives up after CONNECT_TIMEOUT seconds.
HEARTBEAT_SECONDS = 30.0
CONNECT_TIMEOUT = 5
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
    event loop. Ends with an error when the connection is lost (see `HEARTBEAT_SECONDS`)."""
    import psycopg  # only a leader on PostgreSQL listens

    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connecting = psycopg.AsyncConnection.connect(
        conninfo,
        autocommit=True,
        application_name=name,
        connect_timeout=CONNECT_TIMEOUT,
        keepalives=1,
        keepalives_idle=30,
        keepalives_interval=10,
        keepalives_count=3,
    )
    async with await connecting as connection:
        await connection.execute(f"LISTEN {CHANNEL}")
        yield
        while True:
            async for _ in connection.notifies(timeout=HEARTBEAT_SECONDS):
                yield
            await connection.execute("SELECT 1")  # quiet for a while: still there?
