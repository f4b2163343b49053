"""What one round of the dispatcher picks: each row that starts, how it goes, under which fence; and the Web API
method a row goes out by (what a rate limit pauses)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dispatch.senders import Outgoing
from models.messaging import outbox
from models.messaging.leases import Fence
from models.messaging.tables import OutboxKind, OutboxMessage


@dataclass(frozen=True)
class Plan:
    platform: str
    message: Outgoing


@dataclass(frozen=True)
class Start:
    """A row picked and claimed for sending now, how, and under which fence."""

    row: OutboxMessage
    plan: Plan
    fence: Fence


@dataclass(frozen=True)
class Round:
    """What one look at the outbox picked, and how soon a held row may go (None: nothing is held)."""

    starts: list[Start]
    retry_in: float | None


def method_of(head: outbox.Head) -> str:
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
