"""Changing cover once asked: cancel a shift or a whole request, move a shift to other times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.context import Ctx
from handlers.cover.events import OffersClosed, ShiftCancelled, ShiftMoved
from handlers.cover.service.answers import get_shift
from handlers.cover.service.offers import eligible, schedule_reminders, set_start_and_end_timers, start_offers
from handlers.cover.service.request import check_windows
from handlers.errors import UserError
from handlers.i18n import _
from models.cover import writes
from models.cover.queries import pending_floaters, shifts_of_request
from models.cover.tables import OfferStatus, ShiftStatus
from models.roster.tables import Site


def cancel(ctx: Ctx, *, shift_id: int, by: int | None) -> bool:
    """Cancels an open or covered shift: its floater is told, pending offers are withdrawn. False if it already
    was cancelled. Who may cancel is the caller's rule."""
    cancelled, floater_id = writes.cancel_shift(ctx.session, shift_id=shift_id, by=by, at=ctx.now)
    if not cancelled:
        return False
    ctx.record(ShiftCancelled(shift_id, floater_id, by))
    closed = writes.close_offers(ctx.session, shift_id=shift_id, status=OfferStatus.WITHDRAWN, at=ctx.now)
    if closed:
        ctx.record(OffersClosed(shift_id, tuple(closed), OfferStatus.WITHDRAWN))
    return True


def cancel_request(ctx: Ctx, *, request_id: int, by: int | None) -> list[int]:
    """Cancels every live shift of a request; returns those cancelled."""
    return [
        shift.id
        for shift in shifts_of_request(ctx.session, request_id=request_id)
        if shift.id is not None and cancel(ctx, shift_id=shift.id, by=by)
    ]


@dataclass(frozen=True)
class Moved:
    kept: int | None = None  # the floater who still covers it
    released: int | None = None  # the floater who could not, and was told


def move(ctx: Ctx, *, shift_id: int, starts_at: datetime, ends_at: datetime, by: int | None) -> Moved:
    """New times for a shift. Her floater keeps it when she is still free and eligible then, and is told once;
    otherwise she is released (and told) and the shift is offered afresh. Pending offers stay with those still
    eligible (their offer shows the new time) and are withdrawn from the others."""
    shift = get_shift(ctx, shift_id)
    if shift.status == ShiftStatus.CANCELLED:
        raise UserError(_("This shift was cancelled, so it can't be moved."))
    site = ctx.session.get(Site, shift.site_id)
    assert site is not None
    old = (shift.starts_at, shift.ends_at)
    check_windows(ctx, site, [(starts_at, ends_at)])
    writes.move_shift(ctx.session, shift_id=shift_id, starts_at=starts_at, ends_at=ends_at, by=by, at=ctx.now)
    ctx.session.refresh(shift)
    floater_id = shift.floater_id
    free = {p.id for p in eligible(ctx, shift)}
    if floater_id is not None and floater_id in free:
        schedule_reminders(ctx, shift, floater_id)
        set_start_and_end_timers(ctx, shift)
        ctx.record(ShiftMoved(shift_id, *old, by=by, kept=floater_id))
        return Moved(kept=floater_id)
    released = None
    if floater_id is not None:
        writes.release_shift(ctx.session, shift_id=shift_id, floater_id=floater_id, at=ctx.now, dropped=False)
        ctx.session.refresh(shift)
        released = floater_id
    gone = [f for f in pending_floaters(ctx.session, shift_id=shift_id) if f not in free]
    closed = writes.close_offers(ctx.session, shift_id=shift_id, status=OfferStatus.WITHDRAWN, at=ctx.now, only=gone)
    if closed:
        ctx.record(OffersClosed(shift_id, tuple(closed), OfferStatus.WITHDRAWN, moved=True))
    ctx.record(ShiftMoved(shift_id, *old, by=by, released=released))
    start_offers(ctx, shift)
    return Moved(released=released)
