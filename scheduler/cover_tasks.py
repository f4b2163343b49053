"""Due tasks of cover: the second tier of offers, escalation to the Hub, reminders, and the start of a shift.

Each timer remembers the shift's start it was set for; once the shift has moved, the move's own timers apply.
"""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.contract import Reply
from handlers.cover import service
from handlers.cover.notify import reminder
from handlers.cover.policy import ENDED, ESCALATE, OFFER_EVERYONE, REMIND, STARTED
from handlers.cover.service.offers import close_when_over, mark_started
from models.cover.tables import Shift, ShiftStatus
from scheduler.tasks import tasks


def _shift(ctx: Ctx, payload: dict[str, Any]) -> Shift | None:
    shift = ctx.session.get(Shift, int(payload["shift_id"]))
    return shift if shift is not None and service.still_due(shift, payload) else None


@tasks.task(OFFER_EVERYONE)
def offer_to_everyone(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """After the favourites' wait: every eligible floater not yet asked (nothing if already filled)."""
    shift = _shift(ctx, payload)
    if shift is not None:
        service.offer_everyone(ctx, shift)
    return []


@tasks.task(ESCALATE)
def escalate_if_open(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """An hour before the start (or at once when urgent): the Hub channel, if still open — and not yet started
    (run late, after downtime, the start's own timer says "started with no floater" instead)."""
    shift = _shift(ctx, payload)
    if shift is not None and shift.status == ShiftStatus.OPEN and ctx.now < shift.starts_at:
        service.escalate(ctx, shift)
    return []


@tasks.task(STARTED)
def started(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """At the start: still open means it started uncovered."""
    shift = _shift(ctx, payload)
    if shift is not None:
        mark_started(ctx, shift)
    return []


@tasks.task(ENDED)
def ended(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """At the end: the offers still waiting are closed."""
    shift = _shift(ctx, payload)
    if shift is not None:
        close_when_over(ctx, shift)
    return []


@tasks.task(REMIND)
def remind(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The evening before and shortly before: only if she still has the shift."""
    shift = _shift(ctx, payload)
    return reminder(ctx, shift, int(payload["floater_id"]), str(payload["kind"])) if shift is not None else []
