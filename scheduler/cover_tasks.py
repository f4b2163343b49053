"""Due tasks of cover: the second tier of offers, escalation to the Hub, reminders to floaters."""

from __future__ import annotations

from typing import Any

from handlers.contract import Reply
from handlers.cover.dispatch import escalate, offer_everyone, reminder
from handlers.cover.env import Env
from handlers.cover.policy import ESCALATE, OFFER_EVERYONE, REMIND
from models.cover.tables import Shift
from scheduler.tasks import TaskCtx, tasks


def _env(ctx: TaskCtx) -> Env:
    return Env(ctx.session, ctx.clock.now(), ctx.config.cover, ctx.config.zone)


def _shift(ctx: TaskCtx, payload: dict[str, Any]) -> Shift | None:
    return ctx.session.get(Shift, int(payload["shift_id"]))


@tasks.task(OFFER_EVERYONE)
def offer_to_everyone(ctx: TaskCtx, payload: dict[str, Any]) -> list[Reply]:
    """After the favourites' wait: every eligible floater not yet asked (nothing if already filled)."""
    shift = _shift(ctx, payload)
    return offer_everyone(_env(ctx), shift) if shift is not None else []


@tasks.task(ESCALATE)
def escalate_if_open(ctx: TaskCtx, payload: dict[str, Any]) -> list[Reply]:
    """An hour before the start (or at once when urgent): the Hub channel, if still open."""
    shift = _shift(ctx, payload)
    return escalate(_env(ctx), shift) if shift is not None and shift.status == "open" else []


@tasks.task(REMIND)
def remind(ctx: TaskCtx, payload: dict[str, Any]) -> list[Reply]:
    """The evening before and shortly before: only if she still has the shift."""
    shift = _shift(ctx, payload)
    return reminder(_env(ctx), shift, int(payload["floater_id"]), str(payload["kind"])) if shift is not None else []
