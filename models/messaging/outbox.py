"""The outbox: messages written with the change they report, sent later by a dispatcher."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.messaging.tables import OutboxFile, OutboxMessage, OutboxStatus, Priority

REPLY, URGENT, NORMAL, ROUTINE = Priority.REPLY, Priority.URGENT, Priority.NORMAL, Priority.ROUTINE


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


def files_of(session: Session, *, message_id: int) -> list[tuple[str, bytes]]:
    statement = select(OutboxFile).where(OutboxFile.message_id == message_id).order_by(col(OutboxFile.id))
    return [(f.name, f.content) for f in session.exec(statement).all()]


def pending(session: Session, *, now: datetime, limit: int = 100, skip: Collection[int] = ()) -> list[OutboxMessage]:
    """Messages ready to send, replies to the person who just wrote first, then urgent ones, each oldest first;
    `skip`: ids already being sent."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, col(OutboxMessage.next_attempt_at) <= now)
        .order_by(col(OutboxMessage.priority), col(OutboxMessage.id))
        .limit(limit)
    )
    if skip:
        statement = statement.where(col(OutboxMessage.id).not_in(skip))
    return list(session.exec(statement).all())


def mark_sent(
    session: Session,
    *,
    message_id: int,
    at: datetime,
    platform_message_id: str | None = None,
    platform: str | None = None,
    chat_id: str | None = None,
) -> None:
    """Sent: keep where it went and the platform's id for it, so a later edit can find it."""
    row = session.get(OutboxMessage, message_id)
    if row is not None and row.status == OutboxStatus.PENDING:
        row.status, row.sent_at, row.platform_message_id = OutboxStatus.SENT, at, platform_message_id
        row.platform, row.chat_id = platform or row.platform, chat_id or row.chat_id
        row.attempts += 1
        session.add(row)


def defer(session: Session, *, message_id: int, until: datetime, error: str, failure: bool) -> None:
    """Try again at `until`; a failure (network, 5xx) counts an attempt, a rate limit (429) does not."""
    row = session.get(OutboxMessage, message_id)
    if row is not None and row.status == OutboxStatus.PENDING:
        row.next_attempt_at, row.error = until, error[:500]
        row.attempts += 1 if failure else 0
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
