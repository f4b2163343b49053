"""Sending a confirmed request: the chat's own checks, then the cover service — one transaction."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.cover import service
from handlers.cover.draft import Draft, utc_windows
from handlers.errors import UserError
from handlers.i18n import _, n_
from models.cover.tables import Origin, Reason
from models.roster.tables import Room


def send(ctx: Ctx, draft: Draft) -> list[Reply]:
    """[Send] in chat: the request of `submit_request`, and the flow ends."""
    if draft.missing is not None or draft.check_year:
        raise UserError(_("This request is not complete yet. Send /floater to start again."))
    replies = submit_request(ctx, draft)
    ctx.end_flow()
    return replies


def submit_request(ctx: Ctx, draft: Draft) -> list[Reply]:
    """Asks the service for cover of her room at the draft's times (from chat or a form); tells the requester."""
    room = own_room(ctx, draft.room_id)
    if draft.reason is None:
        raise UserError(_("This request is not complete yet. Send /floater to start again."))
    requested = service.request_cover(
        ctx,
        requester_id=ctx.person_id,
        room_id=room.id or 0,
        windows=utc_windows(draft, ctx.zone),
        reason=Reason(draft.reason),
        origin=Origin.CHAT,
    )
    done = (
        _("Sent! I'm asking floaters now and will tell you when someone accepts.")
        if len(requested.shift_ids) == 1
        else n_(
            "Sent! The shift is offered; I'll tell you when it is covered.",
            "Sent! Each of the {count} shifts is offered on its own; I'll tell you as each is covered.",
            len(requested.shift_ids),
        )
    )
    return [reply(done, _("Send /requests to see where things stand or to cancel."))]


def own_room(ctx: Ctx, room_id: int | None) -> Room:
    """A room of her own site — the only rooms she may ask cover for."""
    room = ctx.session.get(Room, room_id) if room_id is not None else None
    if ctx.me.site_id is None or room is None or room.site_id != ctx.me.site_id:
        raise UserError(_("You can only ask for cover in the rooms of your own site."))
    return room
