"""Where `serve` runs its database work: a few threads of its own (`DATABASE_THREADS`), off the event loop.

A unit of work (a message, a dispatcher round, a surface drawn) is mostly Python — SQLAlchemy and psycopg
building and reading statements — and Python runs one thread at a time. More threads than it takes to keep one
unit running while another waits for the database only make them take turns: on PostgreSQL, two threads answered
10–25% more messages a second than the six of asyncio's default executor (bench/throughput.py, docs/architecture.md).

The lease keeps the event loop's default executor (as do DNS lookups) and the scheduler its own APScheduler thread,
so neither waits behind messages.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import sys
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, Protocol, TypeVar

# How long a thread may hold the GIL while another waits for it before Python makes it let go (Python's default is
# 5 ms). Each unit of work gives the GIL up at every statement's round trip anyway; a forced hand-over mid-unit only
# makes the threads and the event loop take more, shorter turns. At 20 ms, a server flat out on PostgreSQL answered
# about a tenth more messages a second with a tenth less CPU per reply (bench/throughput.py, docs/architecture.md).
SWITCH_INTERVAL = 0.02

P = ParamSpec("P")
T = TypeVar("T")


class Offload(Protocol):
    """Runs a blocking call off the event loop and awaits its result: `asyncio.to_thread` is one (tests use it)."""

    def __call__(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, T]: ...


class DatabaseThreads:
    """An `Offload` onto `threads` threads named `database_N`; calls beyond them wait their turn, in order."""

    def __init__(self, threads: int) -> None:
        if threads < 1:
            raise ValueError("at least one database thread")
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="database")

    async def __call__(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args, **kwargs)` on one of the threads, with the caller's context variables (as asyncio.to_thread)."""
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def shutdown(self) -> None:
        """Wait for the calls under way and those queued, then stop the threads (blocking: call it off the loop,
        once the dispatcher and the platforms have stopped)."""
        self._pool.shutdown(wait=True)


def longer_turns() -> None:
    """Let a thread hold the GIL `SWITCH_INTERVAL` before it is made to hand it over (for the whole process:
    `serve` calls it once, before it starts)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
