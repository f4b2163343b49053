"""The kinds of due task and the function that runs each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from handlers.clock import Clock
from handlers.context import CoreConfig
from handlers.contract import Reply


@dataclass(frozen=True)
class TaskCtx:
    """What a due task is given: the session of its transaction, the clock and the core's configuration."""

    session: Session
    clock: Clock
    config: CoreConfig


TaskFn = Callable[[TaskCtx, dict[str, Any]], list[Reply]]


@dataclass
class TaskRegistry:
    kinds: dict[str, TaskFn] = field(default_factory=dict)

    def task(self, kind: str) -> Callable[[TaskFn], TaskFn]:
        """Register the runner of tasks of `kind`; it returns the messages the task sends."""

        def register(run: TaskFn) -> TaskFn:
            if kind in self.kinds:
                raise ValueError(f"task kind {kind!r} registered twice")
            self.kinds[kind] = run
            return run

        return register


tasks = TaskRegistry()
