"""After a request is sent: the requester (or director) cancels; a floater drops a shift she took."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply, tell
from handlers.cover.answer import close_other_offers, shift_from
from handlers.cover.describe import name_of, shift_summary
from handlers.cover.dispatch import escalate, offer_everyone, tell_site
from handlers.cover.env import Env
from handlers.errors import UserError
from handlers.i18n import _
from handlers.registry import registry
from models.cover import writes as shift_data
from models.cover.queries import requester_of
from models.cover.tables import Shift


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
    summary = shift_summary(ctx.session, shift, Env.of(ctx).zone)
    choices = (Choice(_("Yes, cancel it"), f"cxy:{shift.id}"), Choice(_("Keep it"), f"keep:{shift.id}"))
    return [reply(_("Cancel cover for {shift}?", shift=summary), choices=choices)]


@registry.button("keep")
def keep(ctx: Ctx, arg: str) -> list[Reply]:
    return [reply(_("OK, nothing changed."))]


@registry.button("cxy")
def cancel(ctx: Ctx, arg: str) -> list[Reply]:
    """Cancels the shift: the floater who had it is told, pending offers are withdrawn."""
    shift, env = shift_from(ctx, arg), Env.of(ctx)
    if not may_cancel(ctx, shift):
        raise UserError(_("Only the person who asked, or the site's director, can cancel this."))
    cancelled, floater_id = shift_data.cancel_shift(ctx.session, shift_id=shift.id or 0, by=ctx.person_id, at=env.now)
    summary = shift_summary(ctx.session, shift, env.zone)
    if not cancelled:
        return [reply(_("This shift was already cancelled or is over."))]
    replies = [reply(_("Cancelled: {shift}.", shift=summary))]
    if floater_id is not None:
        replies.append(
            tell(floater_id, _("Cancelled — you are no longer needed for {shift}. Thank you!", shift=summary))
        )
    replies += close_other_offers(env, shift, "withdrawn")
    replies += tell_site(
        env, shift, _("{name} cancelled cover for {shift}.", name=ctx.me.name, shift=summary), skip=ctx.person_id
    )
    return replies


@registry.button("drp")
def ask_drop(ctx: Ctx, arg: str) -> list[Reply]:
    """Asks a floater to confirm dropping a shift she holds."""
    shift = shift_from(ctx, arg)
    if shift.floater_id != ctx.person_id or shift.status != "filled":
        raise UserError(_("This shift is not yours to drop. Send /shifts to see yours."))
    summary = shift_summary(ctx.session, shift, Env.of(ctx).zone)
    choices = (Choice(_("Yes, drop it"), f"drpy:{shift.id}"), Choice(_("Keep it"), f"keep:{shift.id}"))
    return [reply(_("Drop {shift}? It will be offered to other floaters.", shift=summary), choices=choices)]


@registry.button("drpy")
def drop(ctx: Ctx, arg: str) -> list[Reply]:
    """Releases the shift, re-offers it at once to the pool (not to her), tells the site; counted as a drop."""
    shift, env = shift_from(ctx, arg), Env.of(ctx)
    if not shift_data.release_shift(ctx.session, shift_id=shift.id or 0, floater_id=ctx.person_id, at=env.now):
        raise UserError(_("This shift is not yours to drop. Send /shifts to see yours."))
    ctx.session.refresh(shift)
    summary = shift_summary(ctx.session, shift, env.zone)
    replies = [reply(_("Dropped. I'm offering {shift} to other floaters now.", shift=summary))]
    replies += tell_site(
        env,
        shift,
        _(
            "{name} can no longer cover {shift}. I'm finding someone else.",
            name=name_of(ctx.session, ctx.person_id),
            shift=summary,
        ),
    )
    replies += offer_everyone(env, shift, skip=(ctx.person_id,))
    if shift.status == "open" and shift.starts_at - env.now <= env.policy.escalate_before:
        replies += escalate(env, shift)
    return replies
