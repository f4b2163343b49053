"""Only one process dispatches and ticks: on PostgreSQL the holder of an advisory lock; SQLite has one process."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)
LOCK_KEY = 0x41_6C_6C_79  # "Ally": one key for the dispatcher and the scheduler together


class Leadership:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    @property
    def held(self) -> bool:
        return self.engine.dialect.name != "postgresql" or self._connection is not None

    def try_acquire(self) -> bool:
        """Take the lock if free; it is held as long as this process keeps its connection."""
        if self.held:
            return True
        with self._lock:
            connection = self.engine.connect()
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar_one()
            connection.commit()
            if taken:
                self._connection = connection
                log.info("this process now dispatches and runs the scheduler")
            else:
                connection.close()
            return bool(taken)

    def release(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                self._connection.commit()
                self._connection.close()
                self._connection = None
