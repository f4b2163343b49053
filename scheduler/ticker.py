"""The tick: run every due task once, each in its own transaction with the messages it causes."""

from __future__ import annotations

import logging
from datetime import datetime

from handlers.bus import Bus, bus
from handlers.clock import Clock, ManualClock
from handlers.context import CoreConfig, Ctx
from handlers.delivery import enqueue_replies
from models.db import Engine, read_scope, session_scope
from models.messaging import tasks as task_data
from scheduler import cover_tasks, supervision_tasks, survey_tasks
from scheduler.digest import command as digest_command
from scheduler.digest import schedule as digest_schedule
from scheduler.tasks import TaskRegistry, tasks

log = logging.getLogger(__name__)
# Importing these registers their due-task runners (and /digest); named here so no tool drops them as unused.
REGISTERED = (cover_tasks, supervision_tasks, survey_tasks, digest_schedule, digest_command)
MAX_PER_TICK = 500


def tick(engine: Engine, clock: Clock, config: CoreConfig, registry: TaskRegistry = tasks, events: Bus = bus) -> int:
    """Run what is due now; returns how many tasks ran. Safe to call from several processes at once."""
    ran = 0
    for _ in range(MAX_PER_TICK):
        now = clock.now()
        with read_scope(engine) as session:
            task_id = task_data.next_due_id(session, now=now)
        if task_id is None:
            return ran
        if _run_one(engine, clock, config, registry, events, task_id):
            ran += 1
    return ran


def run_until(engine: Engine, clock: ManualClock, until: datetime, config: CoreConfig, events: Bus = bus) -> int:
    """Move a simulated clock to `until` the way time passes: to each due task's own time in turn, running what
    is due there (so a reminder due at 18:00 goes out as of 18:00, and work it schedules in between runs too);
    returns how many tasks ran. The console's `/clock` and the tests' waits use it."""
    ran = 0
    while True:
        with read_scope(engine) as session:
            due = task_data.next_due_at(session, until=until)
        if due is None:
            break
        if due > clock.now():
            clock.set(due)
        step = tick(engine, clock, config, events=events)
        ran += step
        if step == 0 and due <= clock.now():
            break  # what is due keeps failing: leave it for the next tick
    clock.set(max(until, clock.now()))
    return ran + tick(engine, clock, config, events=events)


def _run_one(
    engine: Engine, clock: Clock, config: CoreConfig, registry: TaskRegistry, events: Bus, task_id: int
) -> bool:
    """A report's messages are made first, reading only; then one write claims the task and enqueues them. Any
    other task runs inside the transaction of its claim."""
    now = clock.now()
    try:
        with read_scope(engine) as session:
            task = task_data.pending(session, task_id=task_id)
            if task is None:
                return False  # another ticker took it
            run = registry.kinds.get(task.kind)
            if run is None:
                raise LookupError(f"no runner for task kind {task.kind!r}")
        report = None
        if task.kind in registry.reports:  # it reads much of the database: not through SQLite's memory map
            with read_scope(engine, unmapped=True) as session:
                report = run(Ctx(session, clock, config, events), dict(task.payload))
        with session_scope(engine) as session:
            claimed = task_data.claim(session, task_id=task_id, now=now)
            if claimed is None:
                return False
            ctx = Ctx(session, clock, config, events)
            replies = report if report is not None else run(ctx, dict(claimed.payload))
            replies += events.deliver(ctx)
            enqueue_replies(session, replies, at=now, config=config)
        return True
    except Exception as problem:
        log.exception("due task %s failed", task_id)
        with session_scope(engine) as session:
            task_data.record_failure(session, task_id=task_id, now=now, error=repr(problem))
        return False
