"""The dispatcher's side of the outbox: the due rows a round chooses from (each with its recipient's chat), the
rows it starts, read whole, and the claims that keep two dispatchers from sending one row."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Select,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    true,
    update,
)
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from models.messaging.leases import Fence, connected, still_held_by_bound
from models.messaging.tables import OutboxFile, OutboxKind, OutboxMessage, OutboxStatus, Priority
from models.roster.people import reached_account
from models.roster.tables import ChatIdentity

ANY_PRIORITY = 2**31 - 1  # "priority <= this" for every row, whatever priorities there are
_t = OutboxMessage.__table__.c  # type: ignore[attr-defined]

CLAIM_GIVE_UP = timedelta(minutes=10)  # a claim this old is taken over even if its process still seems alive


class Head(NamedTuple):
    """What the dispatcher needs of a pending row to choose it: no text, buttons or files (read for the few that
    start, by the `claim` that takes them). A row addressed to a person with no chat of its own comes with where
    she is reached now (`reached_platform`, `reached_chat`: her most recent account on one of the dispatcher's
    platforms — its direct chat, else its user id; None when she has none)."""

    id: int
    person_id: int | None
    platform: str | None
    chat_id: str | None
    to_hub: bool
    priority: int
    kind: OutboxKind
    edit_of_id: int | None
    ephemeral_user: str | None
    reached_platform: str | None = None
    reached_chat: str | None = None


# The dispatcher's statements run several times a second: built once, with their values bound at each run.
def _claimable(postgresql: bool) -> ColumnElement[bool]:
    """Unclaimed, claimed by the fence's own :holder, long ago, or by a process that is gone — on PostgreSQL one
    with no connection to the database (`leases.connected`, the test a lease's takeover uses too); on SQLite, with
    its one process, any other holder."""
    gone = ~connected(_t.claimed_by) if postgresql else true()
    return or_(
        _t.claimed_by.is_(None),
        _t.claimed_by == bindparam("holder"),
        _t.claimed_at < bindparam("given_up", type_=_t.claimed_at.type),
        gone,
    )


_DUE_ROWS = (  # the next rows due, in order: a round looks at `limit` of them
    select_columns(_t.id, _t.person_id, _t.platform, _t.chat_id, _t.to_hub, _t.priority, _t.kind)
    .add_columns(_t.edit_of_id, _t.ephemeral_user)
    .where(
        _t.status == OutboxStatus.PENDING.value, _t.next_attempt_at <= bindparam("now", type_=_t.next_attempt_at.type)
    )
    .where(_t.priority <= bindparam("lowest"), _t.id.not_in(bindparam("skip", expanding=True)))
    .order_by(_t.priority, _t.id)
    .limit(bindparam("limit"))
)
_reached = ChatIdentity.__table__.alias("reached")  # type: ignore[attr-defined]


def _with_recipients(rows: Select[Any]) -> Select[Any]:
    """`rows`, each one to a person with no chat of its own joined to her account to reach (`Head`): the `limit`
    rows first, then the join, so a backlog of thousands costs the same as one of a few hundred, and a row that
    has its chat looks nothing up."""
    due = rows.subquery("due")
    wanted = or_(due.c.platform.is_(None), due.c.chat_id.is_(None), due.c.chat_id == "")
    account = case((wanted, reached_account(due.c.person_id, "platforms")), else_=None)
    chat = func.coalesce(func.nullif(_reached.c.chat_id, ""), _reached.c.platform_user_id)
    return (
        select_columns(*due.c, _reached.c.platform, chat)
        .select_from(due.outerjoin(_reached, _reached.c.id == account))
        .order_by(due.c.priority, due.c.id)
    )


_DUE = _with_recipients(_DUE_ROWS)
_DUE_CLAIMABLE = {postgresql: _with_recipients(_DUE_ROWS.where(_claimable(postgresql))) for postgresql in (False, True)}


def pending_heads(
    session: Session,
    *,
    now: datetime,
    limit: int = 100,
    skip: Collection[int] = (),
    fence: Fence | None = None,
    replies_only: bool = False,
    platforms: Collection[str] = (),
) -> list[Head]:
    """Messages ready to send, replies to the person who just wrote first, then urgent ones, each oldest first, as
    plain tuples of the few columns a choice needs (a round looks at up to a few hundred rows and starts a
    handful); `replies_only`: those to the person who just wrote; `skip`: ids already being sent. A row to a
    person comes with her account on one of `platforms` she used last (see `Head`), looked up in the same query.
    With a `fence`, only those it may claim (`_claimable`). Nothing is locked: `claim` takes the ones that
    start."""
    values: dict[str, Any] = {
        "now": now,
        "lowest": Priority.REPLY if replies_only else ANY_PRIORITY,
        "skip": list(skip),
        "limit": limit,
        "platforms": list(platforms),
    }
    statement = _DUE
    if fence is not None:
        statement = _DUE_CLAIMABLE[_postgresql(session)]
        values |= {"holder": fence.holder, "given_up": now - CLAIM_GIVE_UP}
    return [Head(*row) for row in session.execute(statement, values)]


class Picked(NamedTuple):
    """What a round reads of a row it starts, as plain values (no ORM row for the session to track), returned by
    the `claim` that takes it; `has_files`: whether it carries files (read for those only)."""

    id: int
    kind: OutboxKind
    person_id: int | None
    text: str
    buttons: list[list[str]]
    edit_of_id: int | None
    ephemeral_user: str | None
    parts_sent: int
    platform_message_id: str | None
    attempts: int
    created_at: datetime
    has_files: bool


_f = OutboxFile.__table__.c  # type: ignore[attr-defined]
# The row's own id named with its table: SQLite's RETURNING names columns bare, and a bare `id` inside the
# subquery would be the file's own.
_OWN_ID: ColumnClause[int] = literal_column(f"{OutboxMessage.__tablename__}.id")
_PICKED = (*(_t[name] for name in Picked._fields[:-1]), exists().where(_f.message_id == _OWN_ID))


def _claimed(with_lease: bool, postgresql: bool) -> Any:
    return (
        update(OutboxMessage.__table__)  # type: ignore[attr-defined]
        .where(
            _t.id.in_(
                select_columns(_t.id)
                .where(_t.id.in_(bindparam("ids", expanding=True)), _t.status == OutboxStatus.PENDING.value)
                .where(_claimable(postgresql))
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            ),
            still_held_by_bound() if with_lease else true(),
        )
        .values(claim_token=bindparam("token"), claimed_by=bindparam("holder"), claimed_at=bindparam("at"))
        .returning(*_PICKED)
    )


# By whether the fence has a lease to check (PostgreSQL's replicas) or not (one process), and the database.
_CLAIMED = {(lease, postgresql): _claimed(lease, postgresql) for lease in (False, True) for postgresql in (False, True)}


def claim(session: Session, *, ids: Collection[int], fence: Fence, at: datetime) -> dict[int, Picked]:
    """Mark these rows as being sent by the fence's holder — only while its lease is still held and while they
    are still claimable — and return those it now has, read whole, by id (the same statement); a row it has no
    claim on must not be sent.

    The rows are locked FOR UPDATE SKIP LOCKED: a row another dispatcher is claiming at this moment (or was, when
    its process froze inside that transaction) is passed over, never waited for."""
    if not ids:
        return {}
    values: dict[str, Any] = {
        "ids": list(ids),
        "given_up": at - CLAIM_GIVE_UP,
        "token": fence.token,
        "holder": fence.holder,
        "at": at,
    }
    if fence.lease is not None:
        values |= {"lease": fence.lease, "lease_token": fence.token}
    statement = _CLAIMED[fence.lease is not None, _postgresql(session)]
    return {row.id: Picked(*row) for row in session.execute(statement, values)}


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def release(session: Session, *, message_id: int, holder: str) -> None:
    """Give up a claim without sending (the lease was lost before the send began)."""
    statement = (
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == holder)
        .values(claim_token=None, claimed_by=None, claimed_at=None)
    )
    session.execute(statement)
