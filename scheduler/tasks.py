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

    def task(self, kind: str) -> Callable[[TaskFn], TaskFn]:
        """Register the runner of tasks of `kind`; it is given a `Ctx` with no person, and returns the messages
        the task sends (events it records are delivered by the bus as for a chat step)."""

        def register(run: TaskFn) -> TaskFn:
            if kind in self.kinds:
                raise ValueError(f"task kind {kind!r} registered twice")
            self.kinds[kind] = run
            return run

        return register


tasks = TaskRegistry()
