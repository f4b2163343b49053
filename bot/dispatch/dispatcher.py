"""Sends outbox rows: resolves each recipient's chat, honours rate limits, retries, and records the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine

from bot.dispatch.limits import Limiter
from bot.dispatch.senders import Outgoing, Permanent, RetryLater, Sender
from handlers.clock import Clock
from models import outbox, people
from models.db import session_scope
from models.messaging import OutboxMessage

log = logging.getLogger(__name__)
EDIT_WAIT = timedelta(seconds=2)  # an edit waits for its original to be sent
UNEXPECTED_WAIT = timedelta(seconds=30)


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
            delivered += await self._deliver(row.id or 0, plan)
        self.sent += delivered
        return delivered

    async def run_forever(self, stop: asyncio.Event, idle: float = 0.5) -> None:
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("dispatcher round failed")
                busy = 0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=0.05 if busy else idle)

    async def _deliver(self, row_id: int, plan: Plan) -> int:
        sender = self.senders[plan.platform]
        try:
            if plan.message.message_id is not None:
                await sender.edit(plan.message)
                platform_id = plan.message.message_id
            else:
                platform_id = await sender.send(plan.message)
        except RetryLater as later:
            await asyncio.to_thread(self._defer, row_id, timedelta(seconds=later.seconds), later.reason, later.failure)
            return 0
        except Permanent as never:
            await asyncio.to_thread(self._dead, row_id, str(never))
            return 0
        except Exception as problem:
            log.exception("unexpected error sending outbox row %s", row_id)
            await asyncio.to_thread(self._defer, row_id, UNEXPECTED_WAIT, repr(problem), True)
            return 0
        await asyncio.to_thread(self._sent, row_id, plan, platform_id)
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
            return Plan(platform, Outgoing(chat_id, row.text, buttons, message_id))

    def _sent(self, row_id: int, plan: Plan, platform_id: str) -> None:
        with session_scope(self.engine) as session:
            outbox.mark_sent(
                session,
                message_id=row_id,
                at=self.clock.now(),
                platform_message_id=platform_id,
                platform=plan.platform,
                chat_id=plan.message.chat_id,
            )

    def _defer(self, row_id: int, wait: timedelta, reason: str, failure: bool) -> None:
        with session_scope(self.engine) as session:
            outbox.defer(session, message_id=row_id, until=self.clock.now() + wait, error=reason, failure=failure)

    def _dead(self, row_id: int, reason: str) -> None:
        with session_scope(self.engine) as session:
            outbox.mark_dead(session, message_id=row_id, reason=reason)
