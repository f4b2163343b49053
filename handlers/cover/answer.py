"""A floater answers an offer with a button; Hub staff ask one floater directly. Thin callers of the service:
what the others are told comes from cover's subscribers (handlers/cover/notify.py)."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.cover import service
from handlers.cover.describe import STATUS_LABELS, name_of, shift_summary
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import _, verbatim
from handlers.registry import registry
from models.cover.tables import Shift, ShiftStatus


def shift_from(ctx: Ctx, arg: str) -> Shift:
    """The shift a button names; a forged or stale payload is refused kindly."""
    if not arg.isdigit():
        raise UserError(STALE_BUTTON)
    return service.get_shift(ctx, int(arg))


@registry.button("acc")
def accept(ctx: Ctx, arg: str) -> list[Reply]:
    """Claims the shift if still open; she is confirmed, the site told, the other offers closed."""
    outcome = service.accept(ctx, shift_id=shift_from(ctx, arg).id or 0, floater_id=ctx.person_id)
    if outcome == service.Accepted.ALREADY_YOURS:
        return [reply(_("You already have this shift — thank you! Send /shifts to see it."))]
    if outcome == service.Accepted.TAKEN:
        return [
            reply(
                _("Sorry — this shift has just been filled by someone else. Thank you for answering!"), ephemeral=True
            )
        ]
    return []


@registry.button("dec")
def decline(ctx: Ctx, arg: str) -> list[Reply]:
    """Records the decline (she may still accept while the shift is open, and is told so); the last decline of a
    wave brings the next wave, or alerts the Hub when nobody is left."""
    if not service.decline(ctx, shift_id=shift_from(ctx, arg).id or 0, floater_id=ctx.person_id):
        return [reply(_("Thanks — this offer is already closed."))]
    return [
        reply(
            _("Thanks for letting us know. I'll ask someone else."),
            _("Changed your mind? Accept still works while the shift is open."),
        )
    ]


@registry.button("asg")
def hub_asks(ctx: Ctx, arg: str) -> list[Reply]:
    """Hub staff ask one eligible floater directly; she still confirms with [Accept]."""
    if "hub" not in ctx.roles:
        raise UserError(_("Only Hub staff can assign floaters."))
    shift_part, _sep, floater_part = arg.partition(":")
    shift = shift_from(ctx, shift_part)
    summary = shift_summary(ctx.session, shift, ctx.config.zone)
    if shift.status != ShiftStatus.OPEN:
        status = STATUS_LABELS.get(shift.status, verbatim(shift.status))
        return [reply(_("Already handled: {shift} is {status}.", shift=summary, status=status))]
    floater_id = int(floater_part) if floater_part.isdigit() else 0
    name = name_of(ctx.session, floater_id)
    if not service.ask_floater(ctx, shift_id=shift.id or 0, floater_id=floater_id):
        return [
            reply(_("{name} was already asked to confirm {shift}; waiting for her answer.", name=name, shift=summary))
        ]
    return [reply(_("Asked {name} to confirm {shift}.", name=name, shift=summary))]
