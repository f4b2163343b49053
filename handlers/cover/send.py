"""Sending a confirmed request: checks once more, stores it, and offers each shift — one transaction."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.cover.dispatch import start_offers
from handlers.cover.draft import Draft, check_duplicate, check_times, utc_windows
from handlers.cover.env import Env
from handlers.errors import UserError
from handlers.i18n import _
from models.cover import writes as shift_data
from models.roster.tables import Room


def send(ctx: Ctx, draft: Draft) -> list[Reply]:
    """Stores the request and its shifts, sends the first offers, ends the flow; tells the requester."""
    if draft.missing is not None:
        raise UserError(_("This request is not complete yet. Send /floater to start again."))
    site = ctx.me.site
    room = ctx.session.get(Room, draft.room_id)
    if site is None or room is None or room.site_id != site.id or draft.reason is None:
        raise UserError(_("You can only ask for cover in the rooms of your own site."))
    now = ctx.clock.now()
    check_times(draft, site, ctx.zone, now)
    check_duplicate(ctx.session, draft, ctx.person_id, ctx.zone)
    assert site.id is not None
    assert room.id is not None
    _request, shifts = shift_data.create_request(
        ctx.session,
        requester_id=ctx.person_id,
        site_id=site.id,
        room_id=room.id,
        age_group=room.age_group,
        reason=draft.reason,
        windows=utc_windows(draft, ctx.zone),
        at=now,
    )
    env = Env.of(ctx)
    offers: list[Reply] = []
    for shift in shifts:
        offers += start_offers(env, shift)
    ctx.end_flow()
    done = (
        _("Sent! I'm asking floaters now and will tell you when someone accepts.")
        if len(shifts) == 1
        else _(
            "Sent! Each of the {count} shifts is offered on its own; I'll tell you as each is covered.",
            count=len(shifts),
        )
    )
    return [reply(done, _("Send /requests to see where things stand or to cancel.")), *offers]
