"""Per-chat and overall send rates, as the platforms document them."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rates:
    per_chat_seconds: float  # at least this long between two messages to one chat
    group_seconds: float  # the same, for group chats and channels
    overall_per_second: int  # at most this many messages a second in all
    kept_for_replies: int = 0  # of those, never spent on broadcasts: a reply to someone waiting always fits

    def gap(self, chat_id: str) -> float:
        return self.group_seconds if chat_id.startswith(("-", "C", "G")) else self.per_chat_seconds


# Telegram: ≈1 message a second per chat, 20 a minute per group, ≈30 a second overall.
TELEGRAM = Rates(per_chat_seconds=1.0, group_seconds=3.0, overall_per_second=30, kept_for_replies=5)
# Slack: chat.postMessage ≈1 a second per channel (a DM is a channel too).
SLACK = Rates(per_chat_seconds=1.0, group_seconds=1.0, overall_per_second=50, kept_for_replies=10)


FORGET_AFTER = 1000  # chats with a time kept; past that, those whose gap is over are dropped


@dataclass
class Limiter:
    """Counts what went out in the last second, in all and as broadcasts (anything but a reply to the person who
    just wrote): broadcasts stop `kept_for_replies` short of the overall rate, so replies always have room."""

    rates: Rates
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)
    _recent: deque[float] = field(default_factory=deque)
    _broadcasts: deque[float] = field(default_factory=deque)
    _paused: dict[str, float] = field(default_factory=dict)  # what a 429 stopped ("*": everything), and until when

    def pause(self, what: str, seconds: float) -> None:
        """A rate limit said stop: nothing of `what` ("*" for every call) goes out for `seconds`."""
        self._paused[what] = max(self._paused.get(what, 0.0), self.clock() + seconds)

    def paused(self, method: str) -> float:
        """Seconds until `method` may be called again after a rate limit (0: now)."""
        now = self.clock()
        left = [until - now for what, until in self._paused.items() if what in ("*", method)]
        return max(0.0, max(left, default=0.0))

    def wait(self, chat_id: str, *, reply: bool = True) -> float:
        """Seconds to wait before this chat may get a message (0: now)."""
        last = self._last.get(chat_id)
        per_chat = 0.0 if last is None else max(0.0, self.rates.gap(chat_id) - (self.clock() - last))
        return max(self.overall_wait(reply=reply), per_chat)

    def overall_wait(self, *, reply: bool = True) -> float:
        """Seconds until one more message fits the overall rate (0: now)."""
        now = self.clock()
        for sent in (self._recent, self._broadcasts):
            while sent and now - sent[0] >= 1.0:
                sent.popleft()
        overall = _wait(self._recent, self.rates.overall_per_second, now)
        if reply:
            return overall
        return max(overall, _wait(self._broadcasts, self.rates.overall_per_second - self.rates.kept_for_replies, now))

    def record(self, chat_id: str, *, reply: bool = True) -> None:
        now = self.clock()
        if len(self._last) >= FORGET_AFTER:  # chats whose gap is over need no time kept: the map stays small
            gap = max(self.rates.per_chat_seconds, self.rates.group_seconds)
            self._last = {chat: at for chat, at in self._last.items() if now - at < gap}
        self._last[chat_id] = now
        self._recent.append(now)
        if not reply:
            self._broadcasts.append(now)


def _wait(sent: deque[float], per_second: int, now: float) -> float:
    """Until one of the last second's `sent` times ages out, if `per_second` of them are in it."""
    return 0.0 if len(sent) < per_second else 1.0 - (now - sent[len(sent) - per_second])
