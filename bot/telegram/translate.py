"""Telegram ↔ the neutral contract: an Update becomes an Incoming; buttons become keyboards, a command menu
BotCommands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)

from handlers.contract import CommandMenu, Incoming
from handlers.linking import SHARE_CONTACT
from models.roster.vocab import Platform

MAX_TEXT = 4096
SHORT_LABEL = 18  # two buttons fit on a row below this


def to_incoming(update: Update, received_at: datetime) -> Incoming | None:
    """A text message, a button press or a shared contact; anything else (edits, joins) is not for us."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    common = {
        "platform": Platform.telegram.value,
        "user_id": str(user.id),
        "chat_id": str(chat.id),
        "at": received_at,
        "event_id": str(update.update_id),
        "language_hint": user.language_code,
        "private": chat.type == "private",
    }
    if update.callback_query is not None:
        return Incoming(**common, payload=update.callback_query.data or "")  # type: ignore[arg-type]
    message = update.message
    if message is None:
        return None
    if chat.type != "private" and not (message.text or "").startswith("/"):
        return None  # in a group (the Alliance channel) only commands are for the bot, not the conversation
    if message.contact is not None:
        contact_user = str(message.contact.user_id) if message.contact.user_id else None
        return Incoming(**common, contact_phone=message.contact.phone_number, contact_user_id=contact_user)  # type: ignore[arg-type]
    return Incoming(**common, text=message.text or message.caption or "")  # type: ignore[arg-type]


def markup(buttons: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    """Inline buttons with short callback ids; the contact request as a one-time reply keyboard."""
    if not buttons:
        return None
    if any(payload == SHARE_CONTACT for _label, payload in buttons):
        label = next(label for label, payload in buttons if payload == SHARE_CONTACT)
        return ReplyKeyboardMarkup(
            [[KeyboardButton(label, request_contact=True)]], one_time_keyboard=True, resize_keyboard=True
        )
    per_row = 2 if all(len(label) <= SHORT_LABEL for label, _payload in buttons) else 1
    keys = [InlineKeyboardButton(label, callback_data=payload) for label, payload in buttons]
    return InlineKeyboardMarkup([keys[i : i + per_row] for i in range(0, len(keys), per_row)])


def chunks(text: str) -> list[str]:
    """Telegram takes 4096 characters a message: longer text goes in parts, split at line ends."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > MAX_TEXT:  # one line longer than a whole message
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:MAX_TEXT])
            line = line[MAX_TEXT:]
        if len(current) + len(line) > MAX_TEXT:
            parts.append(current)
            current = ""
        current += line
    if current or not parts:
        parts.append(current)
    return parts


def bot_commands(menu: CommandMenu) -> list[BotCommand]:
    """The menu as setMyCommands takes it (handlers/menu.py has already fitted it to Telegram's rules)."""
    return [BotCommand(name, description) for name, description in menu.commands]
