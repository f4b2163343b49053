"""Offering a shift: the site's favourites first, then every eligible floater in waves; escalation; the timers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from handlers.context import Ctx
from handlers.cover.events import OffersClosed, OffersSent, ShiftEscalated, ShiftStartedUncovered
from handlers.cover.policy import ENDED, ESCALATE, OFFER_EVERYONE, REMIND, STARTED, CoverPolicy
from handlers.reminders import reminder_times
from models.cover import writes
from models.cover.eligibility import eligible_floaters
from models.cover.queries import offer_counts
from models.cover.tables import OfferStatus, Shift, ShiftEventKind, ShiftStatus, Tier
from models.messaging import tasks


def policy(ctx: Ctx) -> CoverPolicy:
    return ctx.config.policy(CoverPolicy)


def start_offers(ctx: Ctx, shift: Shift) -> None:
    """Offer a new (or moved) shift: favourites now and everyone after the wait, or everyone now; and set the
    timers for escalation and for the start."""
    rules = policy(ctx)
    timers: list[tasks.Timer] = []
    favourites = eligible(ctx, shift, favourites_only=True, ids_only=True)
    if favourites:
        offer(ctx, shift, favourites, tier=Tier.FAVOURITES)
        wait = rules.urgent_wait if is_urgent(ctx, shift) else rules.favourites_wait
        timers.append(_timer(ctx, shift, OFFER_EVERYONE, ctx.now + wait))
    else:
        offer_everyone(ctx, shift)
    due = ctx.now if is_urgent(ctx, shift) else max(ctx.now, shift.starts_at - rules.escalate_before)
    timers += [_timer(ctx, shift, ESCALATE, due), *_start_and_end_timers(ctx, shift)]
    tasks.schedule_many(ctx.session, timers)  # one statement for the shift's timers


def set_start_and_end_timers(ctx: Ctx, shift: Shift) -> None:
    tasks.schedule_many(ctx.session, _start_and_end_timers(ctx, shift))


def _start_and_end_timers(ctx: Ctx, shift: Shift) -> list[tasks.Timer]:
    """At the start, a shift still open is recorded as started uncovered (a floater may still accept it while it
    is under way); at the end, the offers still waiting are closed."""
    return [_timer(ctx, shift, STARTED, shift.starts_at), _timer(ctx, shift, ENDED, shift.ends_at)]


def offer_everyone(ctx: Ctx, shift: Shift, *, skip: Collection[int] = ()) -> None:
    """The last tier, in waves: the next `wave_size` eligible floaters not yet asked (or asked before a drop),
    best matches first, and a timer for the next wave after the tier's wait. Nothing once the shift is filled,
    cancelled or has started (its start timer tells the Hub); escalates when there is nobody left to wait for."""
    ctx.session.refresh(shift)
    if shift.status != ShiftStatus.OPEN or shift.ends_at <= ctx.now:
        return  # under way, a floater who comes late still helps
    assert shift.id is not None
    rules = policy(ctx)
    candidates = eligible(ctx, shift, exclude=skip, ids_only=True, best_first=True)
    waiting = writes.askable(ctx.session, shift_id=shift.id, floater_ids=candidates)
    offered = offer(ctx, shift, waiting[: rules.wave_size], tier=Tier.EVERYONE)
    if len(waiting) > rules.wave_size:
        wait = rules.urgent_wait if is_urgent(ctx, shift) else rules.favourites_wait
        _schedule(ctx, shift, OFFER_EVERYONE, ctx.now + wait)
    if not offered and not offer_counts(ctx.session, shift_id=shift.id).get(OfferStatus.SENT):
        escalate(ctx, shift)


def escalate(ctx: Ctx, shift: Shift) -> bool:
    """Once per open period: record that the Hub must act (the message is cover's subscriber's)."""
    assert shift.id is not None
    if not writes.mark_escalated(ctx.session, shift_id=shift.id, at=ctx.now):
        return False
    ctx.record(ShiftEscalated(shift.id))
    return True


def offer(ctx: Ctx, shift: Shift, ids: list[int], *, tier: Tier) -> list[int]:
    """Offer to those not asked yet, or whose earlier offer ended without an answer (filled, withdrawn)."""
    assert shift.id is not None
    offered = writes.send_offers(ctx.session, shift_id=shift.id, floater_ids=ids, tier=tier, at=ctx.now)
    if offered:
        ctx.record(OffersSent(shift.id, tuple(offered), by_hub=tier == Tier.HUB))
    return offered


def eligible(
    ctx: Ctx,
    shift: Shift,
    *,
    favourites_only: bool = False,
    exclude: Collection[int] = (),
    ids_only: bool = False,
    best_first: bool = False,
) -> list[Any]:
    """Who may be offered this shift now: the credential rule checked on the shift's date in its site's zone."""
    return eligible_floaters(
        ctx.session,
        shift=shift,
        on=shift.starts_at.astimezone(ctx.site_zone(shift.site_id)).date(),
        rule=policy(ctx).credentials,
        favourites_only=favourites_only,
        exclude=exclude,
        ids_only=ids_only,
        best_first=best_first,
    )


def schedule_reminders(ctx: Ctx, shift: Shift, floater_id: int) -> None:
    """The evening before (if still ahead) and shortly before the start."""
    rules, zone = policy(ctx), ctx.site_zone(shift.site_id)
    times = reminder_times(ctx, shift.starts_at, zone, evening=rules.reminder_evening, before=rules.reminder_before)
    reminders = [_timer(ctx, shift, REMIND, due, floater_id=floater_id, kind=which) for which, due in times]
    tasks.schedule_many(ctx.session, reminders)


def is_urgent(ctx: Ctx, shift: Shift) -> bool:
    return shift.starts_at - ctx.now <= policy(ctx).urgent_window


def still_due(shift: Shift, payload: dict[str, Any]) -> bool:
    """A timer set for the shift's times then: False once the shift has moved (the move set new timers)."""
    planned = payload.get("starts_at")
    return planned is None or datetime.fromisoformat(planned) == shift.starts_at


def _schedule(ctx: Ctx, shift: Shift, task_kind: str, due: datetime, **extra: Any) -> None:
    tasks.schedule_many(ctx.session, [_timer(ctx, shift, task_kind, due, **extra)])


def _timer(ctx: Ctx, shift: Shift, task_kind: str, due: datetime, **extra: Any) -> tasks.Timer:
    """A timer of this shift, keyed by its times and now, so a move or a re-offer sets fresh ones."""
    payload = {"shift_id": shift.id, "starts_at": shift.starts_at.isoformat(), **extra}
    parts = [task_kind, str(shift.id), str(int(shift.starts_at.timestamp())), str(int(ctx.now.timestamp()))]
    key = ":".join(parts + [str(value) for value in extra.values()])
    return tasks.Timer(task_kind, due, payload, key)


def mark_started(ctx: Ctx, shift: Shift) -> bool:
    """At its start: a shift nobody accepted is recorded as started uncovered (once, by its timer). Its offers
    stay open while it is under way: a floater who comes late still helps (a sick call at 07:10 starts at 07:15)."""
    if shift.status != ShiftStatus.OPEN:
        return False
    assert shift.id is not None
    writes.log_event(ctx.session, shift_id=shift.id, kind=ShiftEventKind.STARTED_UNCOVERED, person_id=None, at=ctx.now)
    ctx.record(ShiftStartedUncovered(shift.id))
    return True


def close_when_over(ctx: Ctx, shift: Shift) -> None:
    """At its end: the offers still waiting are closed, each message saying so (an [Accept] pressed later would
    book a shift that is over)."""
    assert shift.id is not None
    closed = writes.close_offers(ctx.session, shift_id=shift.id, status=OfferStatus.WITHDRAWN, at=ctx.now)
    if closed:
        ctx.record(OffersClosed(shift.id, tuple(closed), OfferStatus.WITHDRAWN, over=True))
