"""The outbox: messages written with the change they report, sent later by a dispatcher."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models.messaging import due
from models.messaging.tables import OutboxFile, OutboxKind, OutboxMessage, OutboxStatus, Priority

REPLY, URGENT, NORMAL, ROUTINE = Priority.REPLY, Priority.URGENT, Priority.NORMAL, Priority.ROUTINE
_t = OutboxMessage.__table__.c  # type: ignore[attr-defined]


def enqueue_many(
    session: Session, rows: Sequence[dict[str, Any]], *, at: datetime, files: Sequence[Sequence[tuple[str, bytes]]] = ()
) -> None:
    """Add messages in one statement (hundreds of offers at once), visible to the dispatcher on commit.

    Each row names its recipient — `person_id` (the dispatcher picks her chat account), `platform` + `chat_id`,
    or `to_hub` — and has `text`, optional `buttons` [(label, payload)], `priority`, `ref`, `edit_of_id`.
    """
    if not rows:
        return
    defaults = {
        "kind": OutboxKind.MESSAGE,
        "person_id": None,
        "platform": None,
        "chat_id": None,
        "to_hub": False,
        "priority": NORMAL,
        "ref": None,
        "edit_of_id": None,
        "ephemeral_user": None,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
    }
    values = [
        {
            **defaults,
            **row,
            "created_at": at,
            "next_attempt_at": at,
            "buttons": [[label, payload] for label, payload in row.get("buttons", ())],
        }
        for row in rows
    ]
    if not any(files):
        session.execute(insert(OutboxMessage.__table__), values)  # type: ignore[attr-defined]  # core: no ORM rows
        return
    statement = insert(OutboxMessage).returning(col(OutboxMessage.id), sort_by_parameter_order=True)
    ids = session.execute(statement, values).scalars().all()
    attached = [
        {"message_id": message_id, "name": name, "content": content}
        for message_id, row_files in zip(ids, files, strict=False)
        for name, content in row_files
    ]
    if attached:
        session.execute(insert(OutboxFile), attached)


def request_surfaces(
    session: Session,
    *,
    kind: OutboxKind,
    platform: str,
    targets: Mapping[str, int],
    at: datetime,
    throttle: timedelta = timedelta(0),
) -> None:
    """Rows asking for the `kind` surface of each target chat (→ its person) to be drawn; they carry no content:
    the dispatcher draws each when it sends it. Nothing is written for a chat whose row is already waiting and
    not yet claimed; the others are due `throttle` after their last one went out, or now. Three statements."""
    if not targets:
        return
    waiting = (
        select_columns(_t.chat_id)
        .where(_t.kind == kind.value, _t.platform == platform, _t.chat_id.in_(list(targets)))
        .where(_t.status == OutboxStatus.PENDING.value, _t.claimed_by.is_(None))
    )
    wanted = set(targets) - set(session.execute(waiting).scalars().all())
    if not wanted:
        return
    latest = (
        select_columns(_t.chat_id, func.max(_t.sent_at))
        .where(_t.kind == kind.value, _t.platform == platform, _t.chat_id.in_(list(wanted)))
        .where(_t.status == OutboxStatus.SENT.value)
        .group_by(_t.chat_id)
    )
    last: dict[str, datetime] = {chat: sent for chat, sent in session.execute(latest).all() if sent is not None}
    rows: list[dict[str, Any]] = [
        {
            "kind": kind,
            "person_id": targets[chat_id],
            "platform": platform,
            "chat_id": chat_id,
            "text": "",
            "priority": NORMAL,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "buttons": [],
            "created_at": at,
            "next_attempt_at": max(at, last[chat_id] + throttle) if chat_id in last else at,
        }
        for chat_id in sorted(wanted)
    ]
    session.execute(insert(OutboxMessage.__table__), rows)  # type: ignore[attr-defined]


def files_of(session: Session, *, message_id: int) -> list[tuple[str, bytes]]:
    return list(files_for(session, [message_id]).get(message_id, ()))


_f = OutboxFile.__table__.c  # type: ignore[attr-defined]
_FILES = (
    select_columns(_f.message_id, _f.name, _f.content)
    .where(_f.message_id.in_(bindparam("ids", expanding=True)))
    .order_by(_f.id)
)


def files_for(session: Session, ids: Collection[int]) -> dict[int, tuple[tuple[str, bytes], ...]]:
    """The files of these messages, by message (the rows a round starts), in one query."""
    found: dict[int, list[tuple[str, bytes]]] = {}
    if ids:
        for message_id, name, content in session.execute(_FILES, {"ids": list(ids)}):
            found.setdefault(message_id, []).append((name, content))
    return {message_id: tuple(files) for message_id, files in found.items()}


def pending(session: Session, *, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """The whole rows `due.pending_heads` picks, in its order (the console prints them all)."""
    heads = due.pending_heads(session, now=now, limit=limit)
    found = session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_([head.id for head in heads])))
    rows = {row.id: row for row in found.all()}
    return [rows[head.id] for head in heads]


class SentRow(NamedTuple):
    """A message the platform took: where it went, and the platform's id for it."""

    id: int
    platform_message_id: str | None = None
    platform: str | None = None
    chat_id: str | None = None


_MARK_SENT = (
    update(OutboxMessage.__table__)  # type: ignore[attr-defined]
    .where(_t.id == bindparam("row_id"), _t.status == OutboxStatus.PENDING.value)
    .values(
        status=OutboxStatus.SENT.value,
        sent_at=bindparam("at", type_=_t.sent_at.type),
        platform_message_id=bindparam("message_id"),
        platform=func.coalesce(bindparam("to_platform"), _t.platform),
        chat_id=func.coalesce(bindparam("to_chat"), _t.chat_id),
        attempts=_t.attempts + 1,
    )
)


def mark_sent_many(session: Session, rows: Sequence[SentRow], *, at: datetime) -> None:
    """Sent, each of them (one statement for a round's sends): keep where each went and the platform's id for
    it, so a later edit can find it. A row no longer pending is left as it is."""
    if rows:
        values = [
            {"row_id": r.id, "at": at, "message_id": r.platform_message_id, "to_platform": r.platform or None}
            | {"to_chat": r.chat_id or None}
            for r in rows
        ]
        session.execute(_MARK_SENT, values)


def mark_sent(
    session: Session,
    *,
    message_id: int,
    at: datetime,
    platform_message_id: str | None = None,
    platform: str | None = None,
    chat_id: str | None = None,
) -> None:
    """Sent: `mark_sent_many` for one."""
    mark_sent_many(session, [SentRow(message_id, platform_message_id, platform, chat_id)], at=at)


def defer(session: Session, *, message_id: int, until: datetime, error: str, failure: bool) -> None:
    """Try again at `until`; a failure (network, 5xx) counts an attempt, a rate limit (429) does not."""
    row = session.get(OutboxMessage, message_id)
    if row is not None and row.status == OutboxStatus.PENDING:
        row.next_attempt_at, row.error = until, error[:500]
        row.attempts += 1 if failure else 0
        row.claim_token = row.claimed_by = row.claimed_at = None  # anyone who leads then may send it
        session.add(row)


def record_parts(
    session: Session, *, message_id: int, parts: int, platform_message_id: str | None, chat_id: str | None
) -> None:
    """Some parts of a message went out before one failed: remember how many, and where, for the retry."""
    row = session.get(OutboxMessage, message_id)
    if row is not None and row.status == OutboxStatus.PENDING:
        row.parts_sent = max(row.parts_sent, parts)
        row.platform_message_id = platform_message_id or row.platform_message_id
        row.chat_id = row.chat_id or chat_id
        session.add(row)


def mark_dead(session: Session, *, message_id: int, reason: str) -> None:
    """It can never be delivered (bot blocked, chat not found, no linked account); the Hub sees why."""
    row = session.get(OutboxMessage, message_id)
    if row is not None and row.status == OutboxStatus.PENDING:
        row.status, row.error = OutboxStatus.DEAD, reason[:500]
        session.add(row)


def dead_letters(session: Session, *, limit: int = 20) -> list[OutboxMessage]:
    statement = (
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD).order_by(col(OutboxMessage.id).desc())
    )
    return list(session.exec(statement.limit(limit)).all())


def latest_with_ref(
    session: Session, *, ref: str, person_id: int | None, platform: str | None = None
) -> OutboxMessage | None:
    """The newest message of this ref to this person (None: to the Hub channel on `platform`), the one an edit
    replaces."""
    statement = select(OutboxMessage).where(OutboxMessage.ref == ref, col(OutboxMessage.edit_of_id).is_(None))
    if person_id is not None:
        statement = statement.where(OutboxMessage.person_id == person_id)
    else:
        statement = statement.where(col(OutboxMessage.to_hub).is_(True), OutboxMessage.platform == platform)
    return session.exec(statement.order_by(col(OutboxMessage.id).desc())).first()
