"""What one round of the dispatcher picks: each row that starts, where and how it goes (its chat, the message the
platform gets), under which fence, with its files; and the Web API method a row goes out by (what a rate limit
pauses)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.dispatch.senders import Outgoing
from models.messaging import due, outbox
from models.messaging.leases import Fence
from models.messaging.tables import OutboxKind, OutboxMessage

EDIT_WAIT = timedelta(seconds=2)  # an edit waits for its original to be sent


@dataclass(frozen=True)
class Plan:
    platform: str
    message: Outgoing


@dataclass(frozen=True)
class Start:
    """A row picked and claimed for sending now, how, and under which fence."""

    row: due.Picked
    plan: Plan
    fence: Fence


@dataclass(frozen=True)
class Round:
    """What one look at the outbox picked, and how soon a held row may go (None: nothing is held)."""

    starts: list[Start]
    retry_in: float | None


def method_of(head: due.Head) -> str:
    """The Web API method a row goes out by (what a Slack rate limit pauses; Telegram pauses them all)."""
    if head.kind == OutboxKind.HOME:
        return "views.publish"
    if head.kind == OutboxKind.COMMANDS:
        return "setMyCommands"
    if head.edit_of_id is not None:
        return "chat.update"
    if head.ephemeral_user is not None:
        return "chat.postEphemeral"
    return "chat.postMessage"


def with_files(session: Session, starts: list[Start]) -> list[Start]:
    """These starts, each new message among them with its files (read for all of them in one query, and only
    when one has files)."""
    new = [s.row.id for s in starts if s.row.has_files and s.plan.message.message_id is None]
    files = outbox.files_for(session, new)
    return [
        replace(s, plan=replace(s.plan, message=replace(s.plan.message, files=files[s.row.id or 0])))
        if s.row.id in files
        else s
        for s in starts
    ]


def address_of(session: Session, head: due.Head, *, enabled: Collection[str]) -> tuple[str, str] | None:
    """The platform and chat the row goes to; a row that cannot go anywhere is marked dead."""
    platform, chat_id = head.platform, head.chat_id
    if head.person_id is not None and (platform is None or not chat_id):
        if head.reached_platform is None or not head.reached_chat:
            reason = "no linked chat account on an enabled platform"
            outbox.mark_dead(session, message_id=head.id, reason=reason)
            return None
        platform, chat_id = head.reached_platform, head.reached_chat
    if platform is None or platform not in enabled or chat_id is None:
        reason = "no Hub channel configured" if head.to_hub else f"platform {platform!r} is not enabled"
        outbox.mark_dead(session, message_id=head.id, reason=reason)
        return None
    return platform, chat_id


def plan_of(session: Session, row: due.Picked, platform: str, chat_id: str, *, now: datetime) -> Plan | None:
    """The message as the platform gets it (an edit names the message it replaces, once that is sent; until
    then the edit waits, unclaimed: None)."""
    buttons = tuple((label, payload) for label, payload in row.buttons)
    message_id = None
    if row.edit_of_id is not None:
        original = session.get(OutboxMessage, row.edit_of_id)
        if original is not None and original.status == "pending":
            outbox.defer(
                session, message_id=row.id or 0, until=now + EDIT_WAIT, error="waiting for the original", failure=False
            )
            return None
        if original is not None and original.status == "sent" and original.platform == platform:
            message_id, chat_id = original.platform_message_id, original.chat_id or chat_id
    outgoing = Outgoing(chat_id, row.text, buttons, message_id, row.ephemeral_user)  # files: when it starts
    if row.kind != OutboxKind.MESSAGE:
        outgoing = replace(outgoing, kind=row.kind, person_id=row.person_id)
    if row.parts_sent and message_id is None:  # an earlier try sent some parts: only the rest now
        outgoing = replace(outgoing, done=row.parts_sent, sent_id=row.platform_message_id)
    return Plan(platform, outgoing)
