"""A floater answers an offer: the first accept wins, everyone else's offer turns into "filled — thank you"."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply, tell
from handlers.cover.describe import STATUS_LABELS, name_of, shift_summary
from handlers.cover.dispatch import eligible, escalate, offer_message, schedule_reminders, tell_site
from handlers.cover.env import Env
from handlers.errors import UserError
from handlers.i18n import _, verbatim
from handlers.registry import registry
from models.cover import writes as shift_data
from models.cover.eligibility import has_overlapping_booking
from models.cover.queries import offer_counts
from models.cover.tables import Shift
from models.roster.tables import Room, Site


def shift_from(ctx: Ctx, arg: str) -> Shift:
    shift = ctx.session.get(Shift, int(arg)) if arg.isdigit() else None
    if shift is None:
        raise UserError(_("That button is no longer active. Send /help to start again."))
    return shift


@registry.button("acc")
def accept(ctx: Ctx, arg: str) -> list[Reply]:
    """Claims the shift if still open; confirms to her, tells the site, closes the other offers."""
    shift, env = shift_from(ctx, arg), Env.of(ctx)
    me = ctx.person_id
    status = shift_data.offer_status(ctx.session, shift_id=shift.id or 0, floater_id=me)
    if status is None:
        raise UserError(_("This offer was not made to you."))
    if shift.status == "filled" and shift.floater_id == me:
        return [reply(_("You already have this shift — thank you! Send /shifts to see it."))]
    if shift.status == "cancelled":
        raise UserError(_("This shift was cancelled; it is no longer needed. Thank you!"))
    if has_overlapping_booking(ctx.session, floater_id=me, shift=shift):
        raise UserError(_("You already have a shift at that time, so you can't take this one too."))
    if not shift_data.claim_shift(ctx.session, shift_id=shift.id or 0, floater_id=me, at=env.now):
        shift_data.answer_offer(ctx.session, shift_id=shift.id or 0, floater_id=me, status="filled", at=env.now)
        return [
            reply(
                _("Sorry — this shift has just been filled by someone else. Thank you for answering!"), ephemeral=True
            )
        ]
    shift_data.answer_offer(ctx.session, shift_id=shift.id or 0, floater_id=me, status="accepted", at=env.now)
    ctx.session.refresh(shift)
    return [*confirmations(env, shift, me), *close_other_offers(env, shift, "filled")]


def confirmations(env: Env, shift: Shift, floater_id: int) -> list[Reply]:
    """Her confirmation with the address and room; the requester and directors told who is coming."""
    site, room = env.session.get(Site, shift.site_id), env.session.get(Room, shift.room_id)
    assert site is not None
    assert room is not None
    summary = shift_summary(env.session, shift, env.zone)
    schedule_reminders(env, shift, floater_id)
    mine = tell(
        floater_id,
        _("Confirmed — thank you! You cover {shift}.", shift=summary),
        _("Address: {address}. Room: {room}.", address=site.address or "—", room=room.name),
        _("Send /shifts to see your shifts or to drop one."),
    )
    coming = _("{name} is coming to cover {shift}.", name=name_of(env.session, floater_id), shift=summary)
    return [mine, *tell_site(env, shift, coming)]


def close_other_offers(env: Env, shift: Shift, status: str) -> list[Reply]:
    """Every pending offer of this shift ends; each floater's offer message is edited to say why."""
    text = _("Filled — thank you!") if status == "filled" else _("No longer needed — this shift was cancelled.")
    closed = shift_data.close_offers(env.session, shift_id=shift.id or 0, status=status, at=env.now)
    summary = shift_summary(env.session, shift, env.zone)
    return [tell(floater_id, text, summary, edits=f"offer:{shift.id}") for floater_id in closed]


@registry.button("dec")
def decline(ctx: Ctx, arg: str) -> list[Reply]:
    """Records the decline; when nobody is left to ask, the Hub is alerted at once."""
    shift, env = shift_from(ctx, arg), Env.of(ctx)
    if not shift_data.answer_offer(
        ctx.session, shift_id=shift.id or 0, floater_id=ctx.person_id, status="declined", at=env.now
    ):
        return [reply(_("Thanks — this offer is already closed."))]
    replies = [reply(_("Thanks for letting us know. I'll ask someone else."))]
    nobody_left = not eligible(env, shift, exclude=shift_data.offered_floaters(ctx.session, shift_id=shift.id or 0))
    if shift.status == "open" and nobody_left and not offer_counts(ctx.session, shift_id=shift.id or 0).get("sent"):
        replies += escalate(env, shift)
    return replies


@registry.button("asg")
def hub_asks(ctx: Ctx, arg: str) -> list[Reply]:
    """Hub staff ask one eligible floater directly; she still confirms with [Accept]."""
    if "hub" not in ctx.roles:
        raise UserError(_("Only Hub staff can assign floaters."))
    shift_part, _sep, floater_part = arg.partition(":")
    shift, env = shift_from(ctx, shift_part), Env.of(ctx)
    if shift.status != "open":
        return [
            reply(
                _(
                    "Already handled: {shift} is {status}.",
                    shift=shift_summary(ctx.session, shift, env.zone),
                    status=STATUS_LABELS.get(shift.status, verbatim(shift.status)),
                )
            )
        ]
    floater_id = int(floater_part) if floater_part.isdigit() else 0
    if floater_id not in {p.id for p in eligible(env, shift)}:
        raise UserError(_("That floater can't take this shift any more (booked, or credentials). Pick another."))
    shift_data.reopen_offer(ctx.session, shift_id=shift.id or 0, floater_id=floater_id, tier=3, at=env.now)
    asked = _(
        "Asked {name} to confirm {shift}.",
        name=name_of(ctx.session, floater_id),
        shift=shift_summary(ctx.session, shift, env.zone),
    )
    return [reply(asked), offer_message(env, shift, floater_id, by_hub=True)]
