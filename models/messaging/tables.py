"""The conversation state, the outbox (messages waiting to be sent) and the inbox (events already seen)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import EnumText, UtcDateTime


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # can never be delivered; the reason is kept for the Hub


class OutboxKind(StrEnum):
    """What an outbox row puts on the platform: a chat message, or one of a person's surfaces, drawn afresh when
    it is sent (handlers/surfaces.py): the Slack Home tab, Telegram's command menu."""

    MESSAGE = "message"
    HOME = "home"
    COMMANDS = "commands"


class Priority(IntEnum):
    """Lower goes first."""

    REPLY = 0  # to the person who just wrote: she is waiting for it
    URGENT = 1  # offers, escalations
    NORMAL = 5
    ROUTINE = 9  # reminders, surveys


class TaskStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class Conversation(SQLModel, table=True):
    """Where a person is in a multi-step flow, per chat; absent when no flow is under way."""

    __table_args__ = (UniqueConstraint("person_id", "chat_key"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    chat_key: str = Field(max_length=100)
    flow: str = Field(max_length=40)
    step: str = Field(max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=UtcDateTime)


class OutboxMessage(SQLModel, table=True):
    """A message to deliver, written in the same transaction as the change it reports."""

    __table_args__ = (
        Index("ix_outbox_due", "status", "priority", "next_attempt_at"),
        Index("ix_outbox_surface", "kind", "chat_id"),  # a surface's waiting or last drawn row (outbox.py)
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: OutboxKind = Field(default=OutboxKind.MESSAGE, sa_type=EnumText(OutboxKind, 12))
    # Either a person (the dispatcher picks their chat account) or an explicit chat, or the Hub channel.
    person_id: int | None = Field(default=None, foreign_key="person.id")
    platform: str | None = Field(default=None, max_length=20)
    chat_id: str | None = Field(default=None, max_length=64)
    to_hub: bool = False
    text: str
    buttons: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    priority: int = Priority.NORMAL
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=EnumText(OutboxStatus, 12))
    attempts: int = 0
    created_at: datetime = Field(sa_type=UtcDateTime)
    next_attempt_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    platform_message_id: str | None = Field(default=None, max_length=64)
    # Of a message sent in parts (text in chunks, then files): how many went out, so a retry sends only the rest.
    parts_sent: int = 0
    error: str | None = None
    # A name for this message so a later one can edit it ("offer:12"), and the message it edits.
    ref: str | None = Field(default=None, max_length=40, index=True)
    edit_of_id: int | None = Field(default=None, foreign_key="outboxmessage.id")
    # Set for a message only this platform user should see (Slack's ephemeral messages).
    ephemeral_user: str | None = Field(default=None, max_length=64)
    # While a dispatcher sends it: which one (its process name and lease token) and since when. Another leader
    # takes it over only once that process is gone or the claim is very old (models/messaging/claims.py).
    claim_token: int | None = None
    claimed_by: str | None = Field(default=None, max_length=63)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Lease(SQLModel, table=True):
    """Who leads (dispatches and runs the scheduler) until when, by the database's clock. `token` grows by one
    at every change of holder: a write fenced by it fails for a leader that has been replaced."""

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=63)
    token: int
    expires_at: datetime = Field(sa_type=UtcDateTime)


class OutboxFile(SQLModel, table=True):
    """A file sent with an outbox message."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outboxmessage.id", index=True)
    name: str = Field(max_length=120)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class InboxEvent(SQLModel, table=True):
    """A platform event id already processed: a retried delivery is acknowledged and ignored."""

    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    event_id: str = Field(max_length=100)
    received_at: datetime = Field(sa_type=UtcDateTime, index=True)  # pruned by age (inbox.prune)


class DueTask(SQLModel, table=True):
    """Time-driven work: run by the scheduler's tick once `due_at` has passed."""

    __table_args__ = (Index("ix_due_task_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    # Idempotency key: a second task with the same key is not created (e.g. "digest:2026-W49:slack").
    key: str | None = Field(default=None, unique=True, max_length=120)
    due_at: datetime = Field(sa_type=UtcDateTime)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: TaskStatus = Field(default=TaskStatus.PENDING, sa_type=EnumText(TaskStatus, 12))
    attempts: int = 0
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    error: str | None = None
