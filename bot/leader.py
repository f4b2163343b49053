"""Only one process dispatches and runs the scheduler: on PostgreSQL the holder of the lease; SQLite has one.

The leader renews its lease every `RENEW_EVERY` seconds on a connection of its own (`<holder>/lease` in
pg_stat_activity). It steps down — stops claiming at once, lets its sends under way finish and be recorded — when
that connection fails, when the lease has passed to someone else, or when it has not renewed for half the lease
(its process or clock stalled: a frozen process that wakes up sends nothing before it has renewed again). A
follower tries to take the lease every `RENEW_EVERY` seconds: it gets it when it has expired (`TTL` after the last
renewal, by the database's clock) or its holder's process has no connection left (it died), so a follower takes
over within TTL + RENEW_EVERY seconds of the leader freezing, and within RENEW_EVERY of it dying.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Connection, Engine, NullPool, create_engine

from models.messaging import leases
from models.messaging.leases import Fence

log = logging.getLogger(__name__)
TTL = timedelta(seconds=8)
RENEW_EVERY = 1.0  # seconds


def process_name() -> str:
    """This process as other replicas see it in pg_stat_activity (application_name, at most 63 bytes with the
    "/lease" suffix): host, pid and a random part, unique even when a pid is reused."""
    return f"alliance-bot {socket.gethostname()[:24]} {os.getpid()} {secrets.token_hex(3)}"


class Leadership:
    def __init__(
        self,
        engine: Engine,
        holder: str | None = None,
        *,
        ttl: timedelta = TTL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.holder = holder or process_name()
        self.ttl = ttl
        self._monotonic = monotonic
        self._shared = engine.dialect.name == "postgresql"
        self._fence: Fence | None = None if self._shared else leases.local(self.holder)
        self._renewed_at = 0.0
        self.took_over = False  # the lease came from another process (which may have sent a moment ago)
        self._connection: Connection | None = None
        self._lease_engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def held(self) -> bool:
        return self.fence() is not None

    def fence(self) -> Fence | None:
        """The fence to claim under, while this process may act as leader (checked before every claim and send)."""
        fence = self._fence
        if fence is None or not self._shared:
            return fence
        fresh = self._monotonic() - self._renewed_at < self.ttl.total_seconds() / 2
        return fence if fresh else None

    def try_acquire(self) -> bool:
        """Take the lease if it is free, expired, or its holder died; True when this process leads."""
        if not self._shared:
            return True
        with self._lock:
            if self._fence is not None:
                return self._keep()
            try:
                connection = self._lease_connection()
                token = leases.take(connection, holder=self.holder, ttl=self.ttl)
            except Exception as problem:
                log.warning("could not ask for the lease (%s)", type(problem).__name__)
                self._drop_connection()
                return False
            if token is None:
                return False
            self._fence, self._renewed_at = Fence(self.holder, token, leases.LEADER), self._monotonic()
            self.took_over = token > 1
            log.info("this process now dispatches and runs the scheduler (lease token %s)", token)
            return True

    def keep(self) -> bool:
        """Renew the lease (every RENEW_EVERY seconds while leading); False: leadership is lost, stepped down."""
        if not self._shared:
            return True
        with self._lock:
            return self._fence is not None and self._keep()

    def _keep(self) -> bool:
        fence = self._fence
        assert fence is not None
        try:
            if self.fence() is None:
                raise TimeoutError("the lease was not renewed in time")
            if not leases.renew(self._lease_connection(), fence=fence, ttl=self.ttl):
                raise LookupError("the lease has passed to another process")
        except Exception as problem:
            log.warning("stepping down: %s", problem)
            self._step_down(fence)
            return False
        self._renewed_at = self._monotonic()
        return True

    def release(self) -> None:
        """Give the lease up (a clean stop): a follower takes over at once."""
        with self._lock:
            if self._shared and self._fence is not None:
                self._step_down(self._fence)
            if self._lease_engine is not None:
                self._lease_engine.dispose()

    def _step_down(self, fence: Fence) -> None:
        self._fence = None
        try:  # on a fresh connection: the lease connection may be the thing that failed
            with self.engine.connect() as connection:
                leases.give_up(connection, fence=fence)
        except Exception as problem:
            log.warning("could not hand the lease back (%s); it expires by itself", type(problem).__name__)
        self._drop_connection()

    def _lease_connection(self) -> Connection:
        if self._connection is None:
            if self._lease_engine is None:
                self._lease_engine = create_engine(  # each statement its own transaction: no lock outlives it
                    self.engine.url,
                    poolclass=NullPool,
                    isolation_level="AUTOCOMMIT",
                    connect_args={
                        "application_name": f"{self.holder}/lease",
                        "connect_timeout": 5,
                        "options": "-c statement_timeout=3000",
                    },
                )
            self._connection = self._lease_engine.connect()
        return self._connection

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception as problem:  # it is already broken: nothing to hand back
                log.debug("closing the lease connection: %s", problem)
            self._connection = None
