"""The composition root of `serve`: everything built once from the Settings, and started and stopped together."""

from __future__ import annotations

import asyncio
import logging
import threading
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot.config import core_config
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import SLACK, TELEGRAM, Limiter
from bot.dispatch.senders import Sender
from bot.leader import RENEW_EVERY, Leadership, process_name
from bot.offload import DatabaseThreads
from bot.settings import Settings
from bot.wakeup import Wakeup
from handlers import surfaces
from handlers.clock import Clock, SystemClock
from handlers.menu import unknown_chat_menus
from handlers.service import Core
from models.db import Engine, make_engine, session_scope, upgrade
from models.messaging import inbox
from scheduler.digest.schedule import ensure_now as ensure_digest
from scheduler.service import start_ticker
from scheduler.ticker import tick

if TYPE_CHECKING:  # each platform's library is imported only when it is configured
    import aiohttp
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_bolt.async_app import AsyncApp
    from telegram.ext import Application

log = logging.getLogger(__name__)
TAKEOVER_SETTLE = 1.0  # seconds: the platforms' per-chat interval


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    core: Core
    dispatcher: Dispatcher
    leadership: Leadership
    offload: DatabaseThreads
    wakeup: Wakeup
    telegram: Application | None = None  # type: ignore[type-arg]
    slack: AsyncApp | None = None
    _socket: AsyncSocketModeHandler | None = None
    _slack_session: aiohttp.ClientSession | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    telegram_ready: threading.Event = field(default_factory=threading.Event)  # Telegram answered; webhook set up

    @property
    def telegram_up(self) -> bool:
        return self.telegram_ready.is_set()

    async def start(self, *, tick_seconds: int = 20) -> None:
        """Migrate, start the platforms, then the dispatcher and scheduler (where this process leads)."""
        await asyncio.to_thread(upgrade, self.settings.database_url)
        if self.slack is not None:
            from bot.slack.app import share_connections

            self._slack_session = share_connections(self.slack)
        if self.telegram is not None:  # in the background: Slack and the outbox serve while Telegram is unreachable
            self._tasks.append(asyncio.create_task(self._start_telegram()))
        if self.slack is not None and self.settings.slack_app_token is not None:
            # Socket Mode: Slack connects out to us, for development without a public URL.
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.slack, self.settings.slack_app_token.get_secret_value())
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
        self._tasks.append(asyncio.create_task(self._lead()))
        self._ticker = start_ticker(self._tick, every_seconds=tick_seconds, hourly=self._hourly)

    async def stop(self) -> None:
        self._stop.set()
        self._ticker.shutdown(wait=False)
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        if self.telegram is not None and self.telegram_up:
            if self.telegram.updater is not None and self.telegram.updater.running:
                await self.telegram.updater.stop()
            await self.telegram.stop()
            await self.telegram.shutdown()
        elif self.telegram is not None:  # it never answered: close the HTTP sessions its tries opened
            await self.telegram.bot.shutdown()
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        if self._slack_session is not None:
            await self._slack_session.close()
        await self.wakeup.stop()
        await asyncio.to_thread(self.offload.shutdown)  # the calls under way and queued finish: off the loop
        self.leadership.release()
        self.engine.dispose()

    async def _start_telegram(self) -> None:
        """Reach Telegram and register the webhook (or start polling), trying again — 2, 4 … 60 s apart — while it
        cannot be reached; /healthz says "down" meanwhile. Once it answers, the core learns the bot's @username
        (for invite links) and unknown chats get their command menu."""
        from bot.telegram.app import show_default_menus

        assert self.telegram is not None
        wait, initialized = 2.0, False
        while not self._stop.is_set():
            try:
                if not initialized:
                    await self.telegram.initialize()  # asks Telegram who the bot is
                    initialized = True
                    self.core.config = replace(self.core.config, telegram_bot_username=self.telegram.bot.username)
                await self._connect_telegram()
                await show_default_menus(self.telegram.bot, unknown_chat_menus())
                await self.telegram.start()
                self.telegram_ready.set()
                log.info("telegram connected")
                return
            except Exception as problem:  # network errors, timeouts, a bad answer: one line, then try again
                log.warning("telegram unreachable (%s); trying again in %.0f s", type(problem).__name__, wait)
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=wait)
            wait = min(wait * 2, 60.0)

    async def _connect_telegram(self) -> None:
        assert self.telegram is not None
        settings = self.settings
        if settings.telegram_webhook_url:
            secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else None
            await self.telegram.bot.set_webhook(
                settings.telegram_webhook_url, secret_token=secret, allowed_updates=["message", "callback_query"]
            )
        elif self.telegram.updater is not None:
            await self.telegram.updater.start_polling(allowed_updates=["message", "callback_query"])

    async def _lead(self) -> None:
        """Dispatch while this process leads, renewing the lease beside it; when it is lost (or never won), keep
        trying to take it. Each time leadership is won, first catch up on what was missed while nobody led."""
        while not self._stop.is_set():
            if await asyncio.to_thread(self.leadership.try_acquire):
                if self.leadership.took_over:  # rates live in memory: the last leader may have just sent to any
                    await self._pause(TAKEOVER_SETTLE)  # chat, so wait one per-chat interval before the first send
                await asyncio.to_thread(self._hourly)  # the task itself refuses to be a day late
                beside = [asyncio.create_task(self._keep_lead()), asyncio.create_task(self.wakeup.listen())]
                await self.dispatcher.run_forever(self._stop)  # returns when the lease is lost, too
                for task in beside:
                    task.cancel()
                    with suppress(asyncio.CancelledError):
                        await task
            else:
                await self._pause(RENEW_EVERY)

    async def _keep_lead(self) -> None:
        while not self._stop.is_set() and await asyncio.to_thread(self.leadership.keep):
            await self._pause(RENEW_EVERY)

    async def _pause(self, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)

    def _hourly(self) -> None:
        """This week's digest task and this hour's alerts check exist (both idempotent); event ids older than a
        week are forgotten (no platform delivers those again), so the inbox does not grow for ever."""
        if self.leadership.held:
            ensure_digest(self.engine, self.core.clock, self.core.config)
            with session_scope(self.engine) as session:
                gone = inbox.prune(session, now=self.core.clock.now())
            if gone:
                log.info("forgot %s platform event ids older than %s days", gone, inbox.KEEP.days)

    def _tick(self) -> None:
        if self.leadership.held:
            tick(self.engine, self.core.clock, self.core.config)
            self.dispatcher.wake_threadsafe()


def build_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    holder = process_name()
    engine = make_engine(settings.database_url, application_name=holder)
    config = core_config(settings)
    core = Core(engine, clock or SystemClock(), config)
    senders: dict[str, Sender] = {}
    limiters: dict[str, Limiter] = {}
    give_up = timedelta(hours=settings.outbox_give_up_hours)
    leadership = Leadership(engine, holder)
    draw = partial(surfaces.render, engine, core.clock, config)
    offload = DatabaseThreads(settings.database_threads)  # not the lease's (asyncio's own) nor the scheduler's
    dispatcher = Dispatcher(
        engine, core.clock, senders, limiters, give_up=give_up, fence=leadership.fence, draw=draw, offload=offload
    )
    wakeup = Wakeup(engine, dispatcher, leadership, offload)  # what the adapters wrote: sent by the leader at once
    runtime = Runtime(settings, engine, core, dispatcher, leadership, offload, wakeup)
    if settings.telegram_enabled:
        from bot.telegram.app import build_application
        from bot.telegram.sender import TelegramSender

        polling = not settings.telegram_webhook_url
        runtime.telegram = build_application(
            settings, core, on_handled=wakeup.written, polling=polling, offload=offload
        )
        senders["telegram"], limiters["telegram"] = TelegramSender(runtime.telegram.bot), Limiter(TELEGRAM)
    if settings.slack_enabled:
        from bot.slack.app import build_slack_app
        from bot.slack.sender import SlackSender

        runtime.slack = build_slack_app(settings, core, on_handled=wakeup.written, offload=offload)
        senders["slack"], limiters["slack"] = SlackSender(runtime.slack.client), Limiter(SLACK)
    return runtime
