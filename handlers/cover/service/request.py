"""Asking for cover, from any origin: the checks every request passes, then one shift per time window, offered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from handlers.context import Ctx
from handlers.cover.describe import already_passed
from handlers.cover.events import ShiftRequested
from handlers.cover.service.offers import start_offers
from handlers.errors import UserError
from handlers.i18n import Msg, _
from models.cover import writes
from models.cover.queries import requesters_then
from models.cover.tables import Origin, Reason
from models.roster.tables import Room, Site

Windows = Sequence[tuple[datetime, datetime]]  # aware (start, end) pairs


@dataclass(frozen=True)
class Requested:
    request_id: int
    shift_ids: tuple[int, ...]


def request_cover(
    ctx: Ctx, *, requester_id: int, room_id: int, windows: Windows, reason: Reason, origin: Origin
) -> Requested:
    """Store a request of one shift per window for this room and offer each; refuse past, inside-out, after-hours
    or repeated windows with a message that says what to do. Who may ask for which room is the caller's rule."""
    room = ctx.session.get(Room, room_id)
    if room is None or not windows:
        raise UserError(_("That room is not on the roster. Pick one of your site's rooms."))
    check_windows(ctx, room.site, windows)
    check_duplicate(ctx, requester_id=requester_id, room=room, windows=windows)
    assert room.id is not None
    request, shifts = writes.create_request(
        ctx.session,
        requester_id=requester_id,
        site_id=room.site_id,
        room_id=room.id,
        age_group=room.age_group,
        reason=reason,
        windows=windows,
        at=ctx.now,
        origin=origin,
    )
    assert request.id is not None
    ctx.keep(*shifts)  # the offers' and the Home tabs' subscribers read them next
    for shift in shifts:
        assert shift.id is not None
        ctx.record(ShiftRequested(shift.id, request.id, requester_id, origin))
        start_offers(ctx, shift)
    return Requested(request.id, tuple(shift.id for shift in shifts if shift.id is not None))


class Part(StrEnum):
    """Which part of a window a problem is about: its day, its start or its end."""

    DAY = "day"
    START = "start"
    END = "end"


@dataclass(frozen=True)
class Problem:
    part: Part
    message: Msg


def check_windows(ctx: Ctx, site: Site, windows: Windows) -> None:
    """Refuse times in the past, ending before they start, or outside the site's opening hours."""
    for start_at, end_at in windows:
        problem = window_problem(ctx, site, start_at, end_at)
        if problem is not None:
            raise UserError(problem.message)


def window_problem(ctx: Ctx, site: Site, start_at: datetime, end_at: datetime) -> Problem | None:
    """What is wrong with one window (the chat's message, and which part to change), or None."""
    zone = site.zone(ctx.config.zone)
    start, end = start_at.astimezone(zone), end_at.astimezone(zone)
    if end <= start:
        return Problem(Part.END, _("The end time must be after the start time. Try again, like 8-12."))
    if start <= ctx.now:
        passed = already_passed(start.date(), start.time())
        today = ctx.now.astimezone(zone).date()
        return Problem(Part.START if start.date() == today else Part.DAY, passed)
    if start.time() < site.opens or end.time() > site.closes or end.date() != start.date():
        hours = _(
            "{site} is open {opens}–{closes}; please choose times inside those hours.",
            site=site.name,
            opens=site.opens,
            closes=site.closes,
        )
        return Problem(Part.START if start.time() < site.opens else Part.END, hours)
    return None


def check_duplicate(ctx: Ctx, *, requester_id: int, room: Room, windows: Windows) -> set[int]:
    """Refuse a request that repeats one of the same person's open or covered ones; who else asked for cover in
    that room then (a director and the room's teacher may both ask: the chat says so before it is sent)."""
    assert room.id is not None
    zone = room.site.zone(ctx.config.zone)
    others: set[int] = set()
    for start, end in windows:
        asked = requesters_then(ctx.session, room_id=room.id, starts_at=start, ends_at=end)
        if requester_id in asked:
            raise UserError(
                _(
                    "You already asked for cover in {room} on {day} at that time. Send /requests to see it.",
                    room=room.name,
                    day=start.astimezone(zone).date(),
                )
            )
        others |= asked
    return others
