"""The tick runs due work once, on the clock's time, with its messages in the same transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import select

from handlers.clock import ManualClock
from handlers.context import CoreConfig, Ctx
from handlers.contract import Reply, tell_hub
from handlers.i18n import verbatim
from models.db import session_scope
from models.messaging.tables import DueTask, OutboxMessage
from models.messaging.tasks import schedule
from scheduler.tasks import TaskRegistry
from scheduler.ticker import tick


def registry_with(calls: list[dict[str, Any]], *, fail: bool = False) -> TaskRegistry:
    registry = TaskRegistry()

    @registry.task("ping")
    def ping(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        calls.append(payload)
        if fail:
            raise RuntimeError("platform down")
        return [tell_hub(verbatim(f"ping {payload['n']}"))]

    return registry


def test_a_task_runs_once_when_due_and_its_message_is_queued(engine: Engine, clock: ManualClock) -> None:
    calls: list[dict[str, Any]] = []
    registry = registry_with(calls)
    with session_scope(engine) as session:
        schedule(session, kind="ping", due_at=clock.now() + timedelta(hours=1), payload={"n": 1})
    assert tick(engine, clock, CoreConfig(), registry) == 0
    clock.advance(timedelta(hours=1))
    assert tick(engine, clock, CoreConfig(), registry) == 1
    assert tick(engine, clock, CoreConfig(), registry) == 0
    assert calls == [{"n": 1}]
    with session_scope(engine) as session:
        assert [m.text for m in session.exec(select(OutboxMessage)).all()] == ["ping 1"]


def test_a_failing_task_keeps_nothing_and_is_retried_later(engine: Engine, clock: ManualClock) -> None:
    calls: list[dict[str, Any]] = []
    with session_scope(engine) as session:
        schedule(session, kind="ping", due_at=clock.now(), payload={"n": 2})
    assert tick(engine, clock, CoreConfig(), registry_with(calls, fail=True)) == 0
    with session_scope(engine) as session:
        task = session.exec(select(DueTask)).one()
        assert (task.status, task.attempts) == ("pending", 1)
        assert task.due_at > clock.now()
        assert session.exec(select(OutboxMessage)).all() == []
    clock.advance(timedelta(minutes=5))
    assert tick(engine, clock, CoreConfig(), registry_with(calls)) == 1
