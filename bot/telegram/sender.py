"""Sending and editing through the Bot API, with Telegram's errors sorted for the dispatcher."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.dispatch.senders import ALL, Delivered, Outgoing, Permanent, RetryLater
from bot.telegram.translate import chunks, markup
from models.roster.vocab import Platform

T = TypeVar("T")


class TelegramSender:
    platform = Platform.telegram.value

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: Outgoing) -> Delivered:
        parts = chunks(message.text)
        for part in parts[:-1]:
            await _sorted(self.bot.send_message(chat_id=message.chat_id, text=part))
        sent = await _sorted(
            self.bot.send_message(chat_id=message.chat_id, text=parts[-1], reply_markup=markup(message.buttons))
        )
        assert isinstance(sent, Message)
        for name, content in message.files:
            if name.lower().endswith((".png", ".jpg", ".jpeg")):
                await _sorted(self.bot.send_photo(chat_id=message.chat_id, photo=content, filename=name))
            else:
                await _sorted(self.bot.send_document(chat_id=message.chat_id, document=content, filename=name))
        return Delivered(str(sent.message_id), str(sent.chat_id))

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
