"""A floater's answers — accept, decline, drop — and the Hub asking one floater directly."""

from __future__ import annotations

from enum import StrEnum

from handlers.context import Ctx
from handlers.cover.events import OffersClosed, OffersSent, ShiftDeclined, ShiftDropped, ShiftFilled
from handlers.cover.service.offers import eligible, escalate, offer_everyone, policy, schedule_reminders
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import _
from models.cover import writes
from models.cover.eligibility import has_overlapping_booking
from models.cover.queries import offer_counts, offer_of
from models.cover.tables import OfferStatus, Shift, ShiftStatus, Tier

BOOKED_THEN = _("You already have a shift at that time, so you can't take this one too.")
OVER = _("This shift is over, so it is no longer offered.")


class Accepted(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_YOURS = "already_yours"
    TAKEN = "taken"  # someone else was first


def get_shift(ctx: Ctx, shift_id: int) -> Shift:
    shift = ctx.session.get(Shift, shift_id)
    if shift is None:
        raise UserError(STALE_BUTTON)
    return shift


def accept(ctx: Ctx, *, shift_id: int, floater_id: int) -> Accepted:
    """The first accept wins and the other pending offers close; she is never booked twice at one time."""
    shift, offer = get_shift(ctx, shift_id), offer_of(ctx.session, shift_id=shift_id, floater_id=floater_id)
    if offer is None:
        raise UserError(_("This offer was not made to you."))
    if shift.status == ShiftStatus.FILLED and shift.floater_id == floater_id:
        return Accepted.ALREADY_YOURS
    if shift.status == ShiftStatus.CANCELLED:
        raise UserError(_("This shift was cancelled; it is no longer needed. Thank you!"))
    if shift.status == ShiftStatus.OPEN and shift.ends_at <= ctx.now:
        raise UserError(OVER)  # under way, she may still come; over, nobody can
    if has_overlapping_booking(ctx.session, floater_id=floater_id, shift=shift):
        raise UserError(BOOKED_THEN)
    by_hub = offer.tier == Tier.HUB
    if not writes.claim_shift(ctx.session, shift_id=shift_id, floater_id=floater_id, at=ctx.now, by_hub=by_hub):
        ctx.session.refresh(shift)
        if shift.status == ShiftStatus.OPEN:  # her other account took an overlapping shift a moment ago
            raise UserError(BOOKED_THEN)
        writes.answer_offer(
            ctx.session, shift_id=shift_id, floater_id=floater_id, status=OfferStatus.FILLED, at=ctx.now
        )
        return Accepted.TAKEN
    writes.answer_offer(ctx.session, shift_id=shift_id, floater_id=floater_id, status=OfferStatus.ACCEPTED, at=ctx.now)
    ctx.session.refresh(shift)
    schedule_reminders(ctx, shift, floater_id)
    ctx.record(ShiftFilled(shift_id, floater_id, by_hub))
    closed = writes.close_offers(ctx.session, shift_id=shift_id, status=OfferStatus.FILLED, at=ctx.now)
    if closed:
        ctx.record(OffersClosed(shift_id, tuple(closed), OfferStatus.FILLED))
    return Accepted.ACCEPTED


def decline(ctx: Ctx, *, shift_id: int, floater_id: int) -> bool:
    """Records the decline (False if the offer was already closed). When it was the last open offer, the next
    wave goes out at once, or, with nobody left to ask, the Hub is alerted."""
    shift = get_shift(ctx, shift_id)
    if not writes.answer_offer(
        ctx.session, shift_id=shift_id, floater_id=floater_id, status=OfferStatus.DECLINED, at=ctx.now
    ):
        return False
    ctx.record(ShiftDeclined(shift_id, floater_id))
    if shift.status == ShiftStatus.OPEN and not offer_counts(ctx.session, shift_id=shift_id).get(OfferStatus.SENT):
        offer_everyone(ctx, shift)  # the next wave, or escalation when nobody is left
    return True


def drop(ctx: Ctx, *, shift_id: int, floater_id: int) -> None:
    """Releases her shift and re-offers it at once to the pool (not to her); close to the start, escalates."""
    shift = get_shift(ctx, shift_id)
    if not writes.release_shift(ctx.session, shift_id=shift_id, floater_id=floater_id, at=ctx.now):
        raise UserError(_("This shift is not yours to drop. Send /shifts to see yours."))
    ctx.session.refresh(shift)
    ctx.record(ShiftDropped(shift_id, floater_id))
    offer_everyone(ctx, shift, skip=(floater_id,))
    if shift.status == ShiftStatus.OPEN and shift.starts_at - ctx.now <= policy(ctx).escalate_before:
        escalate(ctx, shift)


def ask_floater(ctx: Ctx, *, shift_id: int, floater_id: int) -> bool:
    """The Hub asks one eligible floater directly (she still confirms; if she does, it counts as assigned by the
    Hub). False when she was already asked by the Hub and has not answered: one offer however often it is pressed."""
    shift = get_shift(ctx, shift_id)
    if shift.status != ShiftStatus.OPEN:
        raise UserError(_("This shift is no longer open."))
    if shift.ends_at <= ctx.now:
        raise UserError(OVER)
    if floater_id not in {p.id for p in eligible(ctx, shift)}:
        raise UserError(_("That floater can't take this shift any more (booked, or credentials). Pick another."))
    offer = offer_of(ctx.session, shift_id=shift_id, floater_id=floater_id)
    if offer is not None and offer.status == OfferStatus.SENT and offer.tier == Tier.HUB:
        return False
    writes.reopen_offer(ctx.session, shift_id=shift_id, floater_id=floater_id, tier=Tier.HUB, at=ctx.now)
    ctx.record(OffersSent(shift_id, (floater_id,), by_hub=True))
    return True
