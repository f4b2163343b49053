"""The neutral conversation contract: what an adapter hands in, and what handlers hand back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from handlers.i18n import Msg

MAX_PAYLOAD_BYTES = 64  # Telegram's callback_data limit; Slack allows more.


@dataclass(frozen=True)
class Incoming:
    """One thing a person did in a chat: typed text, or a button press (payload)."""

    platform: str
    user_id: str
    chat_id: str
    at: datetime
    text: str | None = None
    payload: str | None = None
    event_id: str | None = None
    language_hint: str | None = None
    # What a platform vouches for, used to link an unknown account: a shared contact, a profile e-mail.
    contact_phone: str | None = None
    contact_user_id: str | None = None
    email: str | None = None
    # A one-to-one chat with the bot; False in a group or channel, where nothing personal may be posted.
    private: bool = True
    # Her own IANA zone as her chat profile gives it (Slack's `tz`), shown to her when she has no site.
    timezone: str | None = None

    @property
    def chat_key(self) -> str:
        return f"{self.platform}:{self.chat_id}"


@dataclass(frozen=True)
class Choice:
    """A button: the label shown and the short payload sent back when pressed."""

    label: Msg
    payload: str

    def __post_init__(self) -> None:
        if len(self.payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload over {MAX_PAYLOAD_BYTES} bytes: {self.payload!r}")


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (the digest's chart and tables)."""

    name: str
    content: bytes = field(repr=False)


class RecipientKind(StrEnum):
    SENDER = "sender"  # the chat the message came from
    PERSON = "person"  # a person of the roster, on her most recently used account
    HUB = "hub"  # every Alliance channel
    CHANNEL = "channel"  # one Alliance channel


@dataclass(frozen=True)
class Recipient:
    """Who a reply goes to: the sender's chat, another person of the roster, or the Hub channel(s)."""

    kind: RecipientKind
    person_id: int | None = None
    channel: tuple[str | None, str | None] = (None, None)  # (platform, chat id) for kind CHANNEL


SENDER = Recipient(RecipientKind.SENDER)
HUB = Recipient(RecipientKind.HUB)


@dataclass(frozen=True)
class Reply:
    """A message as a value: lines of text, buttons, and a recipient. Rendered per recipient's language."""

    lines: tuple[Msg, ...]
    choices: tuple[Choice, ...] = ()
    to: Recipient = SENDER
    urgent: bool = False  # offers and escalations go out before everything else
    ref: str | None = None  # names this message so a later reply can edit it, e.g. "offer:12"
    edits: str | None = None  # edit the recipient's message of this ref instead of sending a new one
    ephemeral: bool = False  # only the sender sees it, where the platform can (Slack); a plain message elsewhere
    routine: bool = False  # reminders and surveys go out after everything else
    files: tuple[Attachment, ...] = ()


def reply(*lines: Msg, choices: tuple[Choice, ...] = (), ephemeral: bool = False) -> Reply:
    return Reply(lines=lines, choices=choices, ephemeral=ephemeral)


def tell(
    person_id: int,
    *lines: Msg,
    choices: tuple[Choice, ...] = (),
    urgent: bool = False,
    ref: str | None = None,
    edits: str | None = None,
    routine: bool = False,
    files: tuple[Attachment, ...] = (),
) -> Reply:
    to = Recipient(RecipientKind.PERSON, person_id)
    return Reply(lines, choices, to, urgent, ref, edits, routine=routine, files=files)


def tell_hub(*lines: Msg, choices: tuple[Choice, ...] = (), urgent: bool = False, ref: str | None = None) -> Reply:
    return Reply(lines=lines, choices=choices, to=HUB, urgent=urgent, ref=ref)


# A person's surfaces: what a platform shows her outside the conversation, drawn afresh in her language each time
# they are sent (handlers/surfaces.py), so a change never shows a stale copy.


@dataclass(frozen=True)
class CommandMenu:
    """Telegram's command menu for one chat: (command without the slash, description), in her language."""

    commands: tuple[tuple[str, str], ...]
    language: str


@dataclass(frozen=True)
class HomeSection:
    """A block of the Home tab: mrkdwn text and the (label, payload) buttons under it, pressed like the chat's."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class HomeView:
    """The Slack Home tab of one person, by her role, in her language."""

    sections: tuple[HomeSection, ...]
    language: str


Surface = CommandMenu | HomeView
