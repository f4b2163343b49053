"""The leader's lease and the fence every claim of an outbox row goes through.

On PostgreSQL several replicas share one database and one of them leads — dispatches the outbox and runs the
scheduler — while it holds the lease row. Times are the database's (`now()`), so replicas' clocks do not matter.
Each change of holder adds one to the row's `token`: a claim is written only while the lease still carries the
claimer's token and has not expired, so a leader that was replaced (frozen, cut off) can claim nothing more.
SQLite has one process: it leads without a lease (`LOCAL`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Column,
    ColumnClause,
    ColumnElement,
    Connection,
    Exists,
    Select,
    bindparam,
    exists,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from models.messaging.tables import Lease

LEADER = "leader"  # the one lease: the dispatcher and the scheduler go together


@dataclass(frozen=True)
class Fence:
    """Who claims outbox rows, and under which lease token (`lease` None: one process, no lease to check)."""

    holder: str
    token: int = 0
    lease: str | None = None


def local(holder: str) -> Fence:
    return Fence(holder)


_l = Lease.__table__.c  # type: ignore[attr-defined]


def still_held_by_bound() -> ColumnElement[bool]:
    """True in SQL while the lease named `lease` still carries `lease_token` and has not expired (both bound at
    each run of the statement, which is built once). Of core columns, as the claim it goes into: an ORM
    attribute here would send every claim down the ORM's bulk-update path, which builds the statement's cache
    key afresh at each run (a tenth of a millisecond, several times a second)."""
    return exists(
        select(_l.name).where(
            _l.name == bindparam("lease"), _l.token == bindparam("lease_token"), _l.expires_at > func.now()
        )
    )


def connected(holder: Column[str]) -> Exists:
    """True in SQL (PostgreSQL) while a connection to the database carries this holder's name: each process names
    its connections after itself (`make_engine`'s application name), so a holder with none has died. The holder
    is a column of the statement's own table (a lease, a claimed outbox row)."""
    # The holder named as SQL text (table.column), not as a column object: in a lease's INSERT … ON CONFLICT there
    # is no enclosing SELECT to correlate to, and a column object would add its table to this subquery's FROM.
    named: ColumnClause[Any] = literal_column(f"{holder.table.name}.{holder.name}")
    activity: Select[Any] = select(literal_column("1")).select_from(text("pg_stat_activity"))
    return exists(activity.where(func.starts_with(literal_column("application_name"), named)))


def take(connection: Connection, *, holder: str, ttl: timedelta, name: str = LEADER) -> int | None:
    """Become the holder when the lease is new, expired, or its holder has no connection to the database any
    more (its process died); returns the new token, or None while someone else holds it."""
    gone = ~connected(Lease.__table__.c.holder)  # type: ignore[attr-defined]
    statement = (
        insert(Lease)
        .values(name=name, holder=holder, token=1, expires_at=func.now() + ttl)
        .on_conflict_do_update(
            index_elements=[col(Lease.name)],
            set_={"holder": holder, "token": Lease.token + 1, "expires_at": func.now() + ttl},
            where=(col(Lease.expires_at) <= func.now()) | gone,
        )
        .returning(col(Lease.token))
    )
    token = connection.execute(statement).scalar_one_or_none()
    connection.commit()
    return token


def renew(connection: Connection, *, fence: Fence, ttl: timedelta) -> bool:
    """Push the expiry on while the lease still carries our token; False: it has passed to someone else."""
    statement = (
        update(Lease)
        .where(col(Lease.name) == fence.lease, col(Lease.token) == fence.token)
        .values(expires_at=func.now() + ttl)
        .returning(col(Lease.token))
    )
    renewed = connection.execute(statement).scalar_one_or_none() is not None
    connection.commit()
    return renewed


def give_up(connection: Connection, *, fence: Fence) -> None:
    """Let a follower take over at once rather than after the expiry (a clean stop, or a lost connection)."""
    statement = (
        update(Lease)
        .where(col(Lease.name) == fence.lease, col(Lease.token) == fence.token)
        .values(expires_at=func.now())
    )
    connection.execute(statement)
    connection.commit()
