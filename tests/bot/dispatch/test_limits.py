"""The per-chat gaps and the overall rate, and what the limiter keeps in memory for them."""

from __future__ import annotations

from bot.dispatch.limits import FORGET_AFTER, TELEGRAM, Limiter, Rates
from tests.bot.dispatch.test_dispatcher import FakeTime


def test_a_chat_waits_its_gap_and_then_may_go_again() -> None:
    time = FakeTime()
    limiter = Limiter(TELEGRAM, clock=time)
    limiter.record("7")
    assert limiter.wait("7") == 1.0
    assert limiter.wait("-100") == 0.0  # another chat: not held
    time.now += 0.4
    assert abs(limiter.wait("7") - 0.6) < 1e-9
    time.now += 0.6
    assert limiter.wait("7") == 0.0


def test_a_long_running_process_keeps_times_only_for_chats_still_in_their_gap() -> None:
    """A week of offers reaches thousands of chats: the times of those whose gap is over are let go, and the
    chats still in theirs keep waiting."""
    time = FakeTime()
    limiter = Limiter(Rates(per_chat_seconds=1.0, group_seconds=3.0, overall_per_second=10**6), clock=time)
    for chat in range(5 * FORGET_AFTER):
        limiter.record(str(chat))
        time.now += 0.01  # 100 chats a second: the last 300 are within Telegram's 3 s group gap
    assert len(limiter._last) <= FORGET_AFTER + 1
    assert limiter.wait(str(5 * FORGET_AFTER - 1)) > 0  # the most recent still waits its gap
    assert limiter.wait("0") == 0.0
