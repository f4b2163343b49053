"""The director's choice when no floater covers a teacher's room close to her session."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import _
from handlers.registry import registry
from handlers.supervision import service
from handlers.supervision.events import Why
from models.cover.queries import site_directors
from models.roster.tables import Person
from models.supervision.tables import BookingStatus


@registry.button("rsd")
def choose(ctx: Ctx, arg: str) -> list[Reply]:
    """[We cover it in-house] confirms it (the floaters' offers withdrawn); [Move it] or [Cancel it] ends the
    booking — with Move the teacher is offered the sessions after the cover deadline, as buttons."""
    booking_part, _sep, choice = arg.partition(":")
    booking = service.get_booking(ctx, int(booking_part) if booking_part.isdigit() else 0)
    teacher = ctx.session.get(Person, booking.teacher_id)
    if teacher is None or not _may_choose(ctx, teacher):
        raise UserError(_("Only a director of the teacher's site can choose this."))
    if booking.status != BookingStatus.AWAITING_COVER:
        return [reply(_("Already settled — nothing more to do. Thank you!"))]
    if choice == "house":
        service.covered_in_house(ctx, booking)
        return [reply(_("Thank you — the session is confirmed, covered by your site."))]
    if choice == "move":
        service.cancel_booking(ctx, booking_id=booking.id or 0, why=Why.DIRECTOR_MOVE, by=ctx.person_id)
        return [reply(_("Done — {name} is offered other times.", name=teacher.name))]
    if choice == "cancel":
        service.cancel_booking(ctx, booking_id=booking.id or 0, why=Why.DIRECTOR, by=ctx.person_id)
        return [reply(_("Done — {name} is told and can pick another time.", name=teacher.name))]
    raise UserError(STALE_BUTTON)


def _may_choose(ctx: Ctx, teacher: Person) -> bool:
    """A director of her site; the Hub when her site has no director (it was asked in the Hub channel)."""
    if "director" in ctx.roles and teacher.site_id == ctx.me.site_id:
        return True
    return "hub" in ctx.roles and (teacher.site_id is None or not site_directors(ctx.session, site_id=teacher.site_id))
