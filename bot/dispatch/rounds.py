"""What one round of the dispatcher picks: each row that starts, how it goes, under which fence, with its files;
and the Web API method a row goes out by (what a rate limit pauses)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session

from bot.dispatch.senders import Outgoing
from models.messaging import due, outbox
from models.messaging.leases import Fence
from models.messaging.tables import OutboxKind


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
