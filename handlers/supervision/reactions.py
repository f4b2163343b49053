"""Supervision listens to cover: a booking follows its classroom cover — filled, dropped, cancelled by someone
else — without cover knowing supervision exists."""

from __future__ import annotations

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Reply
from handlers.cover.events import ShiftCancelled, ShiftDropped, ShiftFilled
from handlers.supervision import service
from handlers.supervision.events import CoverLost, Why
from models.supervision import writes
from models.supervision.queries import booking_of_shift
from models.supervision.tables import SEATED, BookingStatus


@bus.subscribe(ShiftFilled)
def cover_filled(ctx: Ctx, event: ShiftFilled) -> list[Reply]:
    """A floater accepted her room's cover: the booking is confirmed."""
    booking = booking_of_shift(ctx.session, shift_id=event.shift_id)
    if booking is not None:
        service.confirm(ctx, booking)
    return []


@bus.subscribe(ShiftDropped)
def cover_dropped(ctx: Ctx, event: ShiftDropped) -> list[Reply]:
    """Her floater dropped it: back to waiting for cover (cover offers it again by itself)."""
    booking = booking_of_shift(ctx.session, shift_id=event.shift_id)
    if booking is not None and booking.status == BookingStatus.CONFIRMED and not booking.covered_in_house:
        writes.change_booking(
            ctx.session,
            booking_id=booking.id or 0,
            to=BookingStatus.AWAITING_COVER,
            at=ctx.now,
            only_from=(BookingStatus.CONFIRMED,),
        )
        ctx.record(CoverLost(booking.id or 0))
    return []


@bus.subscribe(ShiftCancelled)
def cover_cancelled(ctx: Ctx, event: ShiftCancelled) -> list[Reply]:
    """Someone else (a director in /requests, say) cancelled her room's cover: without it there is no session.
    When supervision itself cancelled the cover, the booking has already ended or is covered in-house."""
    booking = booking_of_shift(ctx.session, shift_id=event.shift_id)
    if booking is not None and booking.status in SEATED and not booking.covered_in_house:
        service.cancel_booking(ctx, booking_id=booking.id or 0, why=Why.COVER_CANCELLED, by=event.by)
    return []
