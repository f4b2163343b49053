"""What a replica has just written goes out at once: sent by its own dispatcher when it leads, else by the leader,
woken through the database (models/messaging/wakeups.py, PostgreSQL's NOTIFY). Without it a reply written by a
replica that does not lead waited for the leader's next idle round: half a second more for every other message
behind deploy/'s two replicas."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, field

from bot.dispatch.dispatcher import Dispatcher
from bot.leader import Leadership
from bot.offload import Offload
from models.db import Engine
from models.messaging import wakeups

log = logging.getLogger(__name__)
RELISTEN_AFTER = 1.0  # seconds after a lost connection (doubling to MAX_RELISTEN): rounds go on meanwhile
MAX_RELISTEN = 30.0


@dataclass
class Wakeup:
    engine: Engine
    dispatcher: Dispatcher
    leadership: Leadership
    offload: Offload
    listening: asyncio.Event = field(default_factory=asyncio.Event)  # set while the leader's LISTEN is in place
    _notifying: asyncio.Task[None] | None = field(default=None, init=False)
    _again: bool = field(default=False, init=False)

    @property
    def _shared(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def written(self) -> None:
        """A unit of work of this process has committed (a message, a form; called on the event loop): wake the
        dispatcher that sends — this process's own while it leads, else the leader's, with one NOTIFY at a time
        (one more after it when something else was written meanwhile, which it may have come too early for)."""
        if self.leadership.held or not self._shared:
            self.dispatcher.wake()
            return
        if self._notifying is not None and not self._notifying.done():
            self._again = True
            return
        self._notifying = asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        again = True
        while again:
            self._again = False
            try:
                await self.offload(wakeups.notify, self.engine)
            except Exception as problem:  # the leader's next idle round sends it
                log.warning("could not wake the leader (%s)", type(problem).__name__)
            again = self._again

    async def stop(self) -> None:
        """At shutdown, before the database threads close: the NOTIFY under way, if any, is let go (the leader's
        rounds find what it was for)."""
        if self._notifying is not None and not self._notifying.done():
            self._notifying.cancel()
            with suppress(asyncio.CancelledError):
                await self._notifying

    async def listen(self) -> None:
        """While this process leads (cancelled when it stops leading): wake its dispatcher whenever another replica
        has written, listening again after a lost connection."""
        if not self._shared:
            return
        wait = RELISTEN_AFTER
        while True:
            try:
                async for _ in wakeups.notifications(self.engine, name=f"{self.leadership.holder} listening"):
                    self.listening.set()
                    self.dispatcher.wake()
                    wait = RELISTEN_AFTER
            except Exception as problem:
                log.warning("not listening for the other replicas (%s); again in %.0f s", type(problem).__name__, wait)
            finally:
                self.listening.clear()
            await asyncio.sleep(wait)
            wait = min(wait * 2, MAX_RELISTEN)
