"""The database threads of `serve` (bot/offload.py): how many calls run at once, and what a call keeps."""

from __future__ import annotations

import asyncio
import contextvars
import sys
import threading
from pathlib import Path

import pytest
import uvicorn

from bot.offload import SWITCH_INTERVAL, DatabaseThreads
from tests.cli import invoke

who = contextvars.ContextVar("who", default="nobody")


async def test_no_more_calls_run_at_once_than_there_are_threads_and_the_rest_wait_their_turn() -> None:
    threads = DatabaseThreads(2)
    lock, running, most, order = threading.Lock(), [0], [0], []
    release, two_started = threading.Event(), threading.Event()

    def unit(n: int) -> str:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            order.append(n)
            if len(order) == 2:
                two_started.set()
        release.wait(timeout=10)  # the first two hold their threads until all five are asked for
        with lock:
            running[0] -= 1
        return threading.current_thread().name

    try:
        calls = [asyncio.ensure_future(threads(unit, n)) for n in range(5)]
        assert await asyncio.to_thread(two_started.wait, 10)  # the others are queued behind them
        assert sorted(order) == [0, 1]  # the first two asked for, whichever thread took which
        release.set()
        names = await asyncio.gather(*calls)
    finally:
        release.set()  # a failed assertion does not leave the threads waiting
        threads.shutdown()
    assert most[0] == 2
    assert sorted(order) == [0, 1, 2, 3, 4]
    assert {name.rpartition("_")[0] for name in names} == {"database"}


async def test_a_call_sees_the_callers_context_and_its_error_reaches_the_caller() -> None:
    threads = DatabaseThreads(1)
    who.set("maria")

    def fails() -> None:
        raise LookupError(who.get())

    try:
        assert await threads(who.get) == "maria"
        with pytest.raises(LookupError, match="maria"):
            await threads(fails)
        assert await threads(lambda: 2 + 2) == 4  # the thread is not lost to the error
    finally:
        threads.shutdown()


def test_no_threads_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        DatabaseThreads(0)


def test_serve_lets_a_thread_keep_the_gil_longer_before_it_is_made_to_hand_it_over(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[float] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_args, **_kwargs: seen.append(sys.getswitchinterval()))
    before = sys.getswitchinterval()
    try:
        result = invoke(monkeypatch, "serve", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"})
    finally:
        sys.setswitchinterval(before)
    assert result.exit_code == 0, result.output
    assert before < SWITCH_INTERVAL  # Python's 5 ms, made longer for the server
    assert seen == [SWITCH_INTERVAL]
