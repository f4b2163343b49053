"""Due tasks of surveys: open a scheduled run, remind one person, close a run (and schedule the next)."""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.contract import Reply
from handlers.surveys import runs
from models.surveys.tables import SurveyRun
from scheduler.tasks import tasks


@tasks.task(runs.OPEN)
def open_run(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    run = ctx.session.get(SurveyRun, int(payload["run_id"]))
    return runs.open_now(ctx.session, run=run, zone=ctx.config.zone, now=ctx.clock.now()) if run is not None else []


@tasks.task(runs.REMIND)
def remind(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return runs.remind(ctx.session, invite_id=int(payload["invite_id"]), zone=ctx.config.zone, now=ctx.clock.now())


@tasks.task(runs.CLOSE)
def close(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return runs.close(ctx.session, run_id=int(payload["run_id"]), zone=ctx.config.zone, now=ctx.clock.now())
