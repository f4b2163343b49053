"""Due tasks: time-driven work stored as rows, claimed by one ticker at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import update
from sqlmodel import Session, col, select

from models.messaging.tables import DueTask, TaskStatus
from models.sql import insert_ignore, insert_ignore_many

MAX_ATTEMPTS = 5


class Timer(NamedTuple):
    """A task to add: its kind, when it is due, what it carries and (optionally) the key it is added once by."""

    kind: str
    due_at: datetime
    payload: dict[str, Any]
    key: str | None = None


def schedule(
    session: Session,
    *,
    kind: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
    key: str | None = None,
) -> bool:
    """Add a task; with a key, a task of the same key is never added twice (False then)."""
    table = DueTask.__table__  # type: ignore[attr-defined]
    return insert_ignore(session, table, _row(Timer(kind, due_at, payload or {}, key)))


def schedule_many(session: Session, timers: Sequence[Timer]) -> None:
    """Add several tasks in one statement (a unit of work that sets a shift's or a booking's timers); a key
    already there is left as it is."""
    insert_ignore_many(session, DueTask.__table__, [_row(timer) for timer in timers])  # type: ignore[attr-defined]


def _row(timer: Timer) -> dict[str, Any]:
    return {
        "kind": timer.kind,
        "due_at": timer.due_at,
        "payload": timer.payload,
        "key": timer.key,
        "status": TaskStatus.PENDING,
        "attempts": 0,
    }


def next_due_id(session: Session, *, now: datetime) -> int | None:
    statement = (
        select(DueTask.id)
        .where(DueTask.status == TaskStatus.PENDING, col(DueTask.due_at) <= now)
        .order_by(col(DueTask.due_at), col(DueTask.id))
        .limit(1)
    )
    return session.exec(statement).first()


def pending(session: Session, *, task_id: int) -> DueTask | None:
    """The task, if it is still waiting to run."""
    task = session.get(DueTask, task_id)
    return task if task is not None and task.status == TaskStatus.PENDING else None


def next_due_at(session: Session, *, until: datetime) -> datetime | None:
    """When the earliest pending task falls due, if that is no later than `until`."""
    statement = (
        select(DueTask.due_at)
        .where(DueTask.status == TaskStatus.PENDING, col(DueTask.due_at) <= until)
        .order_by(col(DueTask.due_at))
        .limit(1)
    )
    return session.exec(statement).first()


def claim(session: Session, *, task_id: int, now: datetime) -> DueTask | None:
    """Mark one pending task done in a single conditional statement; None when someone else got it."""
    statement = (
        update(DueTask)
        .where(col(DueTask.id) == task_id, col(DueTask.status) == TaskStatus.PENDING)
        .values(status=TaskStatus.DONE, done_at=now)
        .returning(DueTask)
    )
    row = session.execute(statement).scalars().first()
    return row if isinstance(row, DueTask) else None


def record_failure(session: Session, *, task_id: int, now: datetime, error: str) -> None:
    """Back off and retry a failed task; after MAX_ATTEMPTS it stays failed for the Hub to see."""
    task = session.get(DueTask, task_id)
    if task is None:
        return
    task.attempts += 1
    task.error = error[:500]
    if task.attempts >= MAX_ATTEMPTS:
        task.status = TaskStatus.FAILED
    else:
        task.due_at = now + timedelta(minutes=2**task.attempts)
    session.add(task)


def once(session: Session, *, key: str, at: datetime) -> bool:
    """A ledger of things done once (alerts): True the first time a key is seen, False ever after."""
    table = DueTask.__table__  # type: ignore[attr-defined]
    values = {
        "kind": "once",
        "due_at": at,
        "payload": {},
        "key": key,
        "status": TaskStatus.DONE,
        "attempts": 0,
        "done_at": at,
    }
    return insert_ignore(session, table, values)
