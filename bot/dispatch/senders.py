"""What the dispatcher needs of a platform: send and edit, with failures sorted into retry-later or never."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from handlers.contract import Surface
from models.messaging.tables import OutboxKind


@dataclass(frozen=True)
class Outgoing:
    """One message ready for a platform: where, what, which buttons; `message_id` when it edits one."""

    chat_id: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    message_id: str | None = None
    ephemeral_user: str | None = None  # only this user sees it (Slack); others send it as usual
    files: tuple[tuple[str, bytes], ...] = ()  # (name, content), sent after the text
    done: int = 0  # parts (text chunks, then files) already sent by an earlier try
    sent_id: str | None = None  # then: the platform's id of the text part that carries the buttons
    kind: OutboxKind = OutboxKind.MESSAGE  # or a surface of `person_id`, drawn when it starts (handlers/surfaces.py)
    person_id: int | None = None


@dataclass(frozen=True)
class Delivered:
    """The platform's id for the message, and the chat it is in (Slack answers a user id with a DM channel)."""

    message_id: str
    chat_id: str


class RetryLater(Exception):
    """Try again after `seconds`; `failure` is False for a rate limit (429), True for 5xx and network errors.

    `pause` is what a rate limit stops for those seconds, as the platform means it: ALL for Telegram (every
    call of the bot), a Web API method's name for Slack; None when only this message waits."""

    def __init__(self, seconds: float, *, failure: bool, reason: str, pause: str | None = None) -> None:
        super().__init__(reason)
        self.seconds, self.failure, self.reason, self.pause = seconds, failure, reason, pause


ALL = "*"  # a pause of every call of the bot on that platform


class PartlySent(Exception):
    """Some parts went out, then one failed (`cause`): the dispatcher keeps `parts` and retries the rest only."""

    def __init__(self, parts: int, delivered: Delivered | None, cause: RetryLater) -> None:
        super().__init__(cause.reason)
        self.parts, self.delivered, self.cause = parts, delivered, cause


class Permanent(Exception):
    """Never deliverable (blocked, chat not found, not in channel); the reason is kept for the Hub."""


class Sender(Protocol):
    platform: str

    async def send(self, message: Outgoing) -> Delivered:
        """Send a new message; says where it went, for later edits."""
        ...

    async def edit(self, message: Outgoing) -> None:
        """Replace the text (and buttons) of `message.message_id`."""
        ...

    async def show(self, chat_id: str, surface: Surface) -> None:
        """Draw a person's surface (Home tab, command menu) where she sees it; one the platform has not is
        skipped."""
        ...
