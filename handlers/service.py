"""The core's one entry point for adapters: handle an incoming message in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

import handlers.commands  # noqa: F401  (registers every conversation and subscriber)
from handlers import forms_unit
from handlers.arrival import first_time, visited
from handlers.bus import Bus, bus
from handlers.clock import Clock
from handlers.context import CoreConfig, Ctx
from handlers.contract import Incoming, Recipient, RecipientKind, Reply, reply
from handlers.delivery import enqueue_from
from handlers.errors import UserError
from handlers.forms import Values
from handlers.forms_unit import Shown
from handlers.i18n import _
from handlers.registry import Registry, registry
from handlers.router import route
from models.db import Engine, Session, database_busy, disconnected, session_scope
from models.messaging.conversations import State
from models.roster import people
from models.roster.tables import Person

log = logging.getLogger(__name__)
T = TypeVar("T")
# Each attempt waits up to SQLite's busy_timeout (5 s) for the write lock, so a message waits up to 20 s for a
# busy database rather than being answered with the apology (nothing is written until the lock is held).
BUSY_ATTEMPTS = 4
MAX_TEXT = 4096  # what Telegram allows in one message; longer text is cut before anything is stored
MAX_ID = 64  # the longest platform user or chat id the roster's columns hold


@dataclass
class Core:
    engine: Engine
    clock: Clock
    config: CoreConfig = field(default_factory=CoreConfig)
    registry: Registry = field(default_factory=lambda: registry)
    bus: Bus = field(default_factory=lambda: bus)

    def handle(self, incoming: Incoming) -> list[Reply]:
        """`handle_once`, tried again while the database is busy (another transaction holds its write lock)."""
        return self.retrying(lambda: self.handle_once(incoming))

    def retrying(self, unit: Callable[[], T]) -> T:
        """Run a unit of work, again while the database is busy (it waits for the write lock each time) or once
        it lost its connection (the server restarted: the pool connects afresh)."""
        for attempt in range(1, BUSY_ATTEMPTS):
            try:
                return unit()
            except Exception as problem:
                if disconnected(problem):
                    log.warning("database connection lost; message tried again (attempt %s)", attempt + 1)
                    continue
                if not database_busy(problem):
                    raise
                log.warning("database busy; message tried again (attempt %s of %s)", attempt + 1, BUSY_ATTEMPTS)
        return unit()

    def form(self, incoming: Incoming, name: str) -> Shown | None:
        """The form `name` as this person sees it, or None when she may not use it (the chat then answers her)."""
        return forms_unit.show(self, incoming, name)

    def submit(self, incoming: Incoming, name: str, values: Values) -> dict[str, str]:
        """A form's values: each field's problem in her language (nothing stored), or {} once it is done — the
        same request, replies and outbox rows as the chat's last step, in one transaction, once per event id."""
        return self.retrying(lambda: forms_unit.submit(self, incoming, name, values))

    def handle_once(self, incoming: Incoming) -> list[Reply]:
        """Record the event once, route it, and write the replies to the outbox, all in one transaction.

        A repeated platform event returns no replies and changes nothing. The events the step recorded are
        delivered to their subscribers in the same transaction. A `UserError` (from the step or a subscriber)
        undoes what was written and answers with its message: the transaction is rolled back and begun again with
        what the message itself leaves (its event id, when and where her account wrote); any other error rolls
        everything back. (Not a savepoint around every step: that cost a tenth of a message's CPU, and a
        `UserError` is the rarer case.)
        """
        now = self.clock.now()
        if max(len(incoming.user_id), len(incoming.chat_id), len(incoming.event_id or "") // 2) > MAX_ID:
            log.warning("refused a %s message with an id longer than %s characters", incoming.platform, MAX_ID)
            return []
        if incoming.text is not None and len(incoming.text) > MAX_TEXT:
            incoming = replace(incoming, text=incoming.text[:MAX_TEXT])
        group = None if incoming.private else incoming.chat_id
        if group is not None:  # from a group: her answers go to her private chat, never to the group
            incoming = replace(incoming, chat_id=incoming.user_id, private=True)
        with session_scope(self.engine) as session:
            arrived = self._arrived(session, incoming, now)
            if arrived is None:
                return []
            ctx = Ctx(session, self.clock, self.config, self.bus, arrived.person, incoming).knowing(arrived.state)
            try:
                replies = route(ctx, self.registry)
                replies += self.bus.deliver(ctx)
            except UserError as problem:
                session.rollback()
                again = self._arrived(session, incoming, now)
                assert again is not None  # the first attempt's event id went with the rollback
                ctx = Ctx(session, self.clock, self.config, self.bus, again.person, incoming).knowing(again.state)
                replies = [reply(problem.message)]
            if group is not None and replies and incoming.text is not None:
                to_group = Recipient(RecipientKind.CHANNEL, channel=(incoming.platform, group))
                replies.append(Reply((_("I'll answer you in a private message."),), to=to_group))
            # Linking may just have found who this is (ctx.person); a language the step set is on this very row
            # (the session has one object per row).
            enqueue_from(ctx, replies)
            return replies

    def _arrived(self, session: Session, incoming: Incoming, now: datetime) -> Arrived | None:
        """The event id recorded (None: it was already there, a retry) and who wrote, her account touched."""
        if not first_time(session, incoming, now):
            return None
        sender = people.sender(
            session, platform=incoming.platform, platform_user_id=incoming.user_id, chat_key=incoming.chat_key
        )
        if sender is None:
            return Arrived(None, None)
        visited(session, sender, incoming, now)
        return Arrived(sender.person, sender.state)


@dataclass(frozen=True)
class Arrived:
    """A message not seen before, and who sent it (None: an account not linked to anyone yet)."""

    person: Person | None
    state: State | None  # where she is in this chat, read with her
