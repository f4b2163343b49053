"""After a request is sent: the requester (or director) cancels; a floater drops a shift she took. Each asks to
confirm first; the confirmation calls the service, and cover's subscribers tell the others."""

from __future__ import annotations

from handlers.confirm import confirm
from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.cover import service
from handlers.cover.answer import shift_from
from handlers.cover.describe import shift_summary
from handlers.errors import UserError
from handlers.i18n import _
from handlers.registry import registry
from models.cover.queries import requester_of
from models.cover.tables import Shift, ShiftStatus


def may_cancel(ctx: Ctx, shift: Shift) -> bool:
    """The person who asked, or a director of the shift's site."""
    is_director = "director" in ctx.roles and ctx.me.site_id == shift.site_id
    return is_director or requester_of(ctx.session, shift=shift) == ctx.person_id


@registry.button("cx")
def ask_cancel(ctx: Ctx, arg: str) -> list[Reply]:
    """Asks to confirm cancelling one shift."""
    shift = shift_from(ctx, arg)
    if not may_cancel(ctx, shift):
        raise UserError(_("Only the person who asked, or the site's director, can cancel this."))
    summary = shift_summary(ctx.session, shift, ctx.config.zone)
    return [confirm(ctx, _("Cancel cover for {shift}?", shift=summary), _("Yes, cancel it"), f"cxy:{shift.id}")]


@registry.button("keep")
def keep(ctx: Ctx, arg: str) -> list[Reply]:
    return [reply(_("OK, nothing changed."))]


@registry.button("cxy")
def cancel(ctx: Ctx, arg: str) -> list[Reply]:
    """Cancels the shift; the floater who had it and the site are told by cover's subscribers."""
    shift = shift_from(ctx, arg)
    if not may_cancel(ctx, shift):
        raise UserError(_("Only the person who asked, or the site's director, can cancel this."))
    if not service.cancel(ctx, shift_id=shift.id or 0, by=ctx.person_id):
        return [reply(_("This shift was already cancelled or is over."))]
    return [reply(_("Cancelled: {shift}.", shift=shift_summary(ctx.session, shift, ctx.config.zone)))]


@registry.button("drp")
def ask_drop(ctx: Ctx, arg: str) -> list[Reply]:
    """Asks a floater to confirm dropping a shift she holds."""
    shift = shift_from(ctx, arg)
    if shift.floater_id != ctx.person_id or shift.status != ShiftStatus.FILLED:
        raise UserError(_("This shift is not yours to drop. Send /shifts to see yours."))
    summary = shift_summary(ctx.session, shift, ctx.config.zone)
    question = _("Drop {shift}? It will be offered to other floaters.", shift=summary)
    return [confirm(ctx, question, _("Yes, drop it"), f"drpy:{shift.id}")]


@registry.button("drpy")
def drop(ctx: Ctx, arg: str) -> list[Reply]:
    """Releases the shift and re-offers it to the pool (not to her); counted as a drop."""
    shift = shift_from(ctx, arg)
    summary = shift_summary(ctx.session, shift, ctx.config.zone)
    service.drop(ctx, shift_id=shift.id or 0, floater_id=ctx.person_id)
    return [reply(_("Dropped. I'm offering {shift} to other floaters now.", shift=summary))]
