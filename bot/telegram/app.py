"""The python-telegram-bot Application: every update goes to the core; button presses are answered at once.
At start-up, the command menu of chats not on the roster."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from telegram import Bot, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.offload import Offload
from bot.settings import Settings
from bot.telegram.http import AiohttpRequest
from bot.telegram.translate import bot_commands, to_incoming
from handlers.contract import CommandMenu
from handlers.errors import APOLOGY
from handlers.i18n import normalise_language
from handlers.service import Core

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, core: Core, *, on_handled: Callable[[], None], polling: bool, offload: Offload
) -> Application:  # type: ignore[type-arg]
    """An Application without an Updater for webhooks (the server feeds it), or with one for long polling."""
    assert settings.telegram_bot_token is not None
    builder = Application.builder().token(settings.telegram_bot_token.get_secret_value())
    timeout = settings.platform_timeout_seconds
    builder = builder.base_url(settings.telegram_api_base_url)
    builder = builder.request(AiohttpRequest(timeout=timeout))  # over aiohttp: bot/telegram/http.py
    # Polling: the long poll on a session of its own; webhooks: no Updater (the server feeds the application).
    builder = builder.get_updates_request(AiohttpRequest(timeout=timeout)) if polling else builder.updater(None)
    application = builder.build()

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The press is answered (it stops the button's spinner; the reply comes as a message) while it is
        handled, not before: the reply does not wait for that round trip too. A press Telegram no longer lets us
        answer (too old) is handled all the same."""
        answering = asyncio.create_task(update.callback_query.answer()) if update.callback_query else None
        try:
            incoming = to_incoming(update, core.clock.now())
            if incoming is not None:
                await offload(core.handle, incoming)
                on_handled()
        finally:
            if answering is not None:
                await _answered(answering)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with context, apologise in the person's language, never show the error itself."""
        log.error("Telegram update failed: %r", update, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            lang = normalise_language(update.effective_user.language_code if update.effective_user else None)
            try:
                await context.bot.send_message(update.effective_chat.id, APOLOGY.render(lang))
            except Exception:
                log.exception("could not apologise to chat %s", update.effective_chat.id)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return application


async def _answered(answering: asyncio.Task[bool]) -> None:
    try:
        await answering
    except TelegramError as problem:
        log.warning("could not answer a button press: %s", problem)


async def show_default_menus(bot: Bot, menus: Sequence[CommandMenu]) -> bool:
    """The menu a chat without a menu of its own sees (one not on the roster), for each language's Telegram
    app, the first also for any other language. A failure is logged and start-up goes on: Telegram keeps the
    menus it was last given, and a linked person's own menu comes through the outbox."""
    for menu, language in ((menus[0], None), *((menu, menu.language) for menu in menus)):
        try:
            await bot.set_my_commands(bot_commands(menu), scope=BotCommandScopeDefault(), language_code=language)
        except TelegramError as problem:  # network trouble and timeouts too
            log.warning("could not set the default command menu (%s): %s", language or "any language", problem)
            return False
    return True
