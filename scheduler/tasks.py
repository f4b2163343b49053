"""The kinds of due task and the function that runs each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.context import Ctx
from handlers.contract import Reply

TaskFn = Callable[[Ctx, dict[str, Any]], list[Reply]]


@dataclass
class TaskRegistry:
    kinds: dict[str, TaskFn] = field(default_factory=dict)
    reports: set[str] = field(default_factory=set)  # kinds that only read

    def task(self, kind: str, *, report: bool = False) -> Callable[[TaskFn], TaskFn]:
        """Register the runner of tasks of `kind`; it is given a `Ctx` with no person, and returns the messages
        the task sends (events it records are delivered by the bus as for a chat step).

        A `report` only reads (the digest): it runs in a read-only session before the task is claimed, so
        however long it takes it holds no write lock; the claim and its messages are then one short write."""

        def register(run: TaskFn) -> TaskFn:
            if kind in self.kinds:
                raise ValueError(f"task kind {kind!r} registered twice")
            self.kinds[kind] = run
            if report:
                self.reports.add(kind)
            return run

        return register


tasks = TaskRegistry()
