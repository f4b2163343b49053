"""The outbox: messages written with the change they report, sent later by a dispatcher."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.messaging import OutboxMessage

URGENT, NORMAL, ROUTINE = 0, 5, 9


def enqueue(
    session: Session,
    *,
    text: str,
    at: datetime,
    buttons: Sequence[tuple[str, str]] = (),
    person_id: int | None = None,
    platform: str | None = None,
    chat_id: str | None = None,
    to_hub: bool = False,
    priority: int = NORMAL,
    ref: str | None = None,
    edit_of_id: int | None = None,
) -> OutboxMessage:
    """Add one message; it becomes visible to the dispatcher when the transaction commits."""
    if person_id is None and chat_id is None and not to_hub:
        raise ValueError("a message needs a person, a chat or the Hub channel")
    row = OutboxMessage(
        person_id=person_id,
        platform=platform,
        chat_id=chat_id,
        to_hub=to_hub,
        text=text,
        buttons=[[label, payload] for label, payload in buttons],
        priority=priority,
        created_at=at,
        next_attempt_at=at,
        ref=ref,
        edit_of_id=edit_of_id,
    )
    session.add(row)  # flushed with the transaction (or by the next query), not one by one
    return row


def pending(session: Session, *, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """Messages ready to send, urgent first, then oldest first."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", col(OutboxMessage.next_attempt_at) <= now)
        .order_by(col(OutboxMessage.priority), col(OutboxMessage.id))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def mark_sent(session: Session, *, message_id: int, at: datetime, platform_message_id: str | None = None) -> None:
    row = session.get(OutboxMessage, message_id)
    if row is not None and row.status == "pending":
        row.status, row.sent_at, row.platform_message_id = "sent", at, platform_message_id
        row.attempts += 1
        session.add(row)


def latest_with_ref(session: Session, *, ref: str, person_id: int | None) -> OutboxMessage | None:
    """The newest message of this ref to this person (None: to the Hub channel), the one an edit replaces."""
    statement = select(OutboxMessage).where(OutboxMessage.ref == ref, OutboxMessage.edit_of_id == None)  # noqa: E711
    statement = statement.where(
        OutboxMessage.person_id == person_id if person_id is not None else col(OutboxMessage.to_hub).is_(True)
    )
    return session.exec(statement.order_by(col(OutboxMessage.id).desc())).first()
