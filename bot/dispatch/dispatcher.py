"""Sends outbox rows: resolves each recipient's chat, honours rate limits, retries, and records the outcome."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine

from bot.dispatch.limits import Limiter
from bot.dispatch.senders import Delivered, Outgoing, Permanent, RetryLater, Sender
from handlers.clock import Clock
from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import OutboxMessage
from models.roster import people

log = logging.getLogger(__name__)
EDIT_WAIT = timedelta(seconds=2)  # an edit waits for its original to be sent
UNEXPECTED_WAIT = timedelta(seconds=30)
MAX_BACKOFF = 60.0


@dataclass(frozen=True)
class Plan:
    platform: str
    message: Outgoing


@dataclass
class Dispatcher:
    engine: Engine
    clock: Clock
    senders: Mapping[str, Sender]
    limiters: Mapping[str, Limiter]
    batch: int = 200
    sent: int = field(default=0, init=False)
    _wake: asyncio.Event | None = field(default=None, init=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)

    def wake(self) -> None:
        """New rows were committed: send them now rather than at the next idle check (same event loop)."""
        if self._wake is not None:
            self._wake.set()

    def wake_threadsafe(self) -> None:
        """`wake` from another thread (the scheduler's)."""
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run_once(self) -> int:
        """Send what is due and allowed by the rate limits now; returns how many went out."""
        rows = await asyncio.to_thread(self._due)
        delivered = 0
        for row in rows:
            plan = await asyncio.to_thread(self._plan, row)
            if plan is None:
                continue
            limiter = self.limiters[plan.platform]
            if limiter.wait(plan.message.chat_id) > 0:
                continue  # stays due; a later round sends it
            limiter.record(plan.message.chat_id)
            delivered += await self._deliver(row, plan)
        self.sent += delivered
        return delivered

    async def run_forever(self, stop: asyncio.Event, idle: float = 0.5) -> None:
        """Rounds until `stop`: at once after a wake-up, soon while busy, every `idle` seconds otherwise."""
        self._wake, self._loop = asyncio.Event(), asyncio.get_running_loop()
        while not stop.is_set():
            self._wake.clear()
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("dispatcher round failed")
                busy = 0
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waits, timeout=0.05 if busy else idle, return_when=asyncio.FIRST_COMPLETED)
            for waiting in waits:
                waiting.cancel()

    async def _deliver(self, row: OutboxMessage, plan: Plan) -> int:
        sender, row_id = self.senders[plan.platform], row.id or 0
        try:
            if plan.message.message_id is not None:
                await sender.edit(plan.message)
                delivered = Delivered(plan.message.message_id, plan.message.chat_id)
            else:
                delivered = await sender.send(plan.message)
        except RetryLater as later:
            # A 429 says how long to wait; other trouble backs off 2, 4, 8 … 60 seconds.
            seconds = (
                max(later.seconds, min(MAX_BACKOFF, 2.0 ** (row.attempts + 1))) if later.failure else later.seconds
            )
            await asyncio.to_thread(self._defer, row_id, timedelta(seconds=seconds), later.reason, later.failure)
            return 0
        except Permanent as never:
            await asyncio.to_thread(self._dead, row_id, str(never))
            return 0
        except Exception as problem:
            log.exception("unexpected error sending outbox row %s", row_id)
            await asyncio.to_thread(self._defer, row_id, UNEXPECTED_WAIT, repr(problem), True)
            return 0
        await asyncio.to_thread(self._sent, row_id, plan.platform, delivered)
        return 1

    def _due(self) -> list[OutboxMessage]:
        with session_scope(self.engine) as session:
            return outbox.pending(session, now=self.clock.now(), limit=self.batch)

    def _plan(self, row: OutboxMessage) -> Plan | None:
        """Where the row goes (and which message it edits); rows that cannot go anywhere are marked dead."""
        with session_scope(self.engine) as session:
            platform, chat_id = row.platform, row.chat_id
            if row.person_id is not None and (platform is None or chat_id is None):
                account = people.reachable_account(session, person_id=row.person_id, platforms=list(self.senders))
                if account is None:
                    outbox.mark_dead(
                        session, message_id=row.id or 0, reason="no linked chat account on an enabled platform"
                    )
                    return None
                platform, chat_id = account.platform, account.chat_id or account.platform_user_id
            if platform is None or platform not in self.senders or chat_id is None:
                reason = "no Hub channel configured" if row.to_hub else f"platform {platform!r} is not enabled"
                outbox.mark_dead(session, message_id=row.id or 0, reason=reason)
                return None
            buttons = tuple((label, payload) for label, payload in row.buttons)
            message_id = None
            if row.edit_of_id is not None:
                original = session.get(OutboxMessage, row.edit_of_id)
                if original is not None and original.status == "pending":
                    outbox.defer(
                        session,
                        message_id=row.id or 0,
                        until=self.clock.now() + EDIT_WAIT,
                        error="waiting for the original",
                        failure=False,
                    )
                    return None
                if original is not None and original.status == "sent" and original.platform == platform:
                    message_id, chat_id = original.platform_message_id, original.chat_id or chat_id
            files = tuple(outbox.files_of(session, message_id=row.id or 0)) if message_id is None else ()
            return Plan(platform, Outgoing(chat_id, row.text, buttons, message_id, row.ephemeral_user, files))

    def _sent(self, row_id: int, platform: str, delivered: Delivered) -> None:
        with session_scope(self.engine) as session:
            outbox.mark_sent(
                session,
                message_id=row_id,
                at=self.clock.now(),
                platform_message_id=delivered.message_id,
                platform=platform,
                chat_id=delivered.chat_id,
            )

    def _defer(self, row_id: int, wait: timedelta, reason: str, failure: bool) -> None:
        with session_scope(self.engine) as session:
            outbox.defer(session, message_id=row_id, until=self.clock.now() + wait, error=reason, failure=failure)

    def _dead(self, row_id: int, reason: str) -> None:
        with session_scope(self.engine) as session:
            outbox.mark_dead(session, message_id=row_id, reason=reason)
