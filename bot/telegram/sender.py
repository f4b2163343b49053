"""Sending and editing through the Bot API, with Telegram's errors sorted for the dispatcher."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import Bot, BotCommandScopeChat, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.dispatch.senders import ALL, Delivered, Outgoing, PartlySent, Permanent, RetryLater
from bot.telegram.translate import bot_commands, chunks, markup
from handlers.contract import CommandMenu, Surface
from models.roster.vocab import Platform

T = TypeVar("T")


class TelegramSender:
    platform = Platform.telegram.value

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: Outgoing) -> Delivered:
        """The text (in chunks, the buttons on the last) then each file; a part that fails after others went out
        raises PartlySent, so the retry sends only what is left."""
        parts = chunks(message.text)
        chat = message.chat_id
        steps: list[Callable[[], Awaitable[object]]] = [
            *(partial(self.bot.send_message, chat_id=chat, text=part) for part in parts[:-1]),
            partial(self.bot.send_message, chat_id=chat, text=parts[-1], reply_markup=markup(message.buttons)),
            *(partial(_send_file, self.bot, chat, name, content) for name, content in message.files),
        ]
        delivered = Delivered(message.sent_id, chat) if message.sent_id is not None else None
        for number, step in enumerate(steps):
            if number < message.done:
                continue
            try:
                sent = await _sorted(step())
            except RetryLater as later:
                if number == 0:
                    raise
                raise PartlySent(number, delivered, later) from later
            if number == len(parts) - 1:
                assert isinstance(sent, Message)
                delivered = Delivered(str(sent.message_id), str(sent.chat_id))
        assert delivered is not None
        return delivered

    async def edit(self, message: Outgoing) -> None:
        keyboard = markup(message.buttons)
        try:
            await _sorted(
                self.bot.edit_message_text(
                    chat_id=message.chat_id,
                    message_id=int(message.message_id or 0),
                    text=chunks(message.text)[0],
                    reply_markup=keyboard if isinstance(keyboard, InlineKeyboardMarkup) else None,
                )
            )
        except Permanent as problem:
            if "not modified" not in str(problem):
                raise

    async def show(self, chat_id: str, surface: Surface) -> None:
        """Her command menu, for her chat alone (a Home tab is Slack's: nothing to draw here)."""
        if isinstance(surface, CommandMenu):
            await _sorted(self.bot.set_my_commands(bot_commands(surface), scope=BotCommandScopeChat(int(chat_id))))


def _send_file(bot: Bot, chat_id: str, name: str, content: bytes) -> Awaitable[Message]:
    """A picture as a photo, anything else as a document."""
    if name.lower().endswith((".png", ".jpg", ".jpeg")):
        return bot.send_photo(chat_id=chat_id, photo=content, filename=name)
    return bot.send_document(chat_id=chat_id, document=content, filename=name)


async def _sorted(call: Awaitable[T]) -> T:
    """Await a Bot API call; rate limits and network trouble are retried later, the rest never."""
    try:
        return await call
    except RetryAfter as flood:
        reason = f"Telegram 429: {flood.message}"
        raise RetryLater(_seconds(flood), failure=False, reason=reason, pause=ALL) from flood  # the whole bot waits
    except Forbidden as blocked:
        raise Permanent(f"Telegram: {blocked.message}") from blocked
    except BadRequest as bad:  # a NetworkError subclass, so it is sorted first
        raise Permanent(f"Telegram: {bad.message}") from bad
    except NetworkError as trouble:  # timeouts, refused connections, 5xx
        raise RetryLater(0, failure=True, reason=f"Telegram: {trouble.message}") from trouble
    except TelegramError as other:
        raise RetryLater(0, failure=True, reason=f"Telegram: {other.message}") from other


def _seconds(flood: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB warns while it moves retry_after from int to timedelta
        warnings.simplefilter("ignore")
        value = flood.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
