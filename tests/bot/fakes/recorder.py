"""What a fake platform saw, with planned faults, and a condition to wait on instead of sleeping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SENDS = ("sendMessage", "chat.postMessage")


@dataclass(frozen=True)
class Call:
    at: float  # time.monotonic()
    method: str
    params: dict[str, Any]
    outcome: str  # "ok" or the fault served


@dataclass
class Recorder:
    calls: list[Call] = field(default_factory=list)
    # ("429", retry_after) | ("500", 0) | ("slow", s): then a 5xx | ("late", s): then handled as usual
    faults: list[tuple[str, float]] = field(default_factory=list)
    method_faults: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # the same, for one method
    condition: threading.Condition = field(default_factory=threading.Condition)
    connections: set[tuple[str, int]] = field(default_factory=set)  # the (host, port) each call came from

    def next_fault(self, method: str) -> tuple[str, float] | None:
        with self.condition:
            if self.method_faults.get(method):
                return self.method_faults[method].pop(0)
            if method not in ("sendMessage", "editMessageText", "chat.postMessage", "chat.update"):
                return None
            return self.faults.pop(0) if self.faults else None

    def record(self, method: str, params: dict[str, Any], outcome: str, at: float | None = None) -> None:
        with self.condition:
            self.calls.append(Call(time.monotonic() if at is None else at, method, params, outcome))
            self.condition.notify_all()

    def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 20) -> list[Call]:
        """Block until `predicate(calls)` holds (woken on each call), or fail after `timeout` seconds."""
        with self.condition:
            if not self.condition.wait_for(lambda: predicate(self.calls), timeout=timeout):
                raise AssertionError(f"timed out; calls were: {[(c.method, c.outcome) for c in self.calls]}")
            return list(self.calls)

    def delivered(self, method: str) -> list[Call]:
        with self.condition:
            return [c for c in self.calls if c.method == method and c.outcome == "ok"]

    def rate_violations(self, chat_key: str, *, per_chat: float, overall: int) -> list[str]:
        """Sends closer than `per_chat` seconds to one chat, or more than `overall` in any second, as they arrived.

        Sends are paced by when they start; on a loaded machine one may reach the fake up to a tenth of a second
        late, so two arriving within 0.15 s of the interval count as paced."""
        with self.condition:
            sends = sorted((c for c in self.calls if c.method in SENDS), key=lambda c: c.at)
        problems = []
        last: dict[str, float] = {}
        for call in sends:
            chat = str(call.params.get(chat_key))
            if chat in last and call.at - last[chat] < per_chat - 0.15:
                problems.append(f"{chat}: {call.at - last[chat]:.2f}s apart")
            last[chat] = call.at
        for i, call in enumerate(sends):
            window = [c for c in sends[i:] if c.at - call.at < 1.0]
            if len(window) > overall:
                problems.append(f"{len(window)} sends within one second")
        return problems
