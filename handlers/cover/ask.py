"""Asking for cover: one message (or /floater), then one question at a time until the request is complete.

free text / /floater ──► ask_day ──► ask_times ──► ask_end ──► ask_room ──► ask_reason ──► confirm
                          (each step is skipped when the message already said it; see docs/cover.md)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover import service
from handlers.cover.describe import reason_label, when
from handlers.cover.draft import Draft, utc_windows
from handlers.errors import UserError
from handlers.i18n import Msg, _
from handlers.labels import age_group_label
from handlers.parsing import ParsedRequest, fold, parse_request
from handlers.registry import registry
from models.cover.queries import site_rooms
from models.cover.tables import Reason
from models.roster.queries import other_sites
from models.roster.tables import Room, Site

FLOW = "cover"
REQUESTERS = frozenset({"teacher", "director"})
registry.hint(REQUESTERS, _("Or just write what you need, like: floater tomorrow 8-12, toddler room."))


@registry.text()
def read_request(ctx: Ctx, text: str) -> list[Reply]:
    """A teacher's or director's free-text request: store what it says, ask for the rest."""
    if not (ctx.roles & REQUESTERS) or ctx.me.site_id is None:
        return []
    parsed = understand(ctx, text)
    if not parsed.shifts and not parsed.asks:
        return []
    return advance(ctx, Draft.from_parsed(parsed, room_for(ctx, parsed)))


@registry.command("floater", _("ask for a floating teacher"), roles=REQUESTERS, spanish="flotante")
def floater(ctx: Ctx, args: str) -> list[Reply]:
    """Starts a request step by step (or reads one written after the command)."""
    if ctx.me.site_id is None:
        raise UserError(_("You are not linked to a site on the roster; ask your Hub coordinator."))
    if args:
        parsed = understand(ctx, args, answering=True)
        return advance(ctx, Draft.from_parsed(parsed, room_for(ctx, parsed)))
    return advance(ctx, Draft(room_id=room_for(ctx, None)))


def understand(ctx: Ctx, text: str, *, answering: bool = False) -> ParsedRequest:
    """Parse in the site's zone with its room names; refuse a request that names another site."""
    assert ctx.me.site_id is not None
    refuse_other_site(ctx, text)
    rooms = {room.name: room.age_group for room in site_rooms(ctx.session, site_id=ctx.me.site_id)}
    return parse_request(text, now=ctx.clock.now(), zone=ctx.zone, rooms=rooms, answering=answering)


def refuse_other_site(ctx: Ctx, text: str) -> None:
    folded = fold(text)
    for site in other_sites(ctx.session, site_id=ctx.me.site_id):
        if fold(site.name) in folded:
            raise UserError(
                _(
                    "You can ask for cover at {site} only. For {other}, ask someone there.",
                    site=_my_site(ctx).name,
                    other=site.name,
                )
            )


def room_for(ctx: Ctx, parsed: ParsedRequest | None) -> int | None:
    """The room the message names, else the one of its age group, else a teacher's own room."""
    assert ctx.me.site_id is not None
    rooms = site_rooms(ctx.session, site_id=ctx.me.site_id)
    if parsed is not None and parsed.room is not None:
        return next(r.id for r in rooms if r.name == parsed.room)
    own = ctx.me.room
    if parsed is not None and parsed.age_group is not None and (own is None or own.age_group != parsed.age_group):
        matching = [r for r in rooms if r.age_group == parsed.age_group]
        return matching[0].id if len(matching) == 1 else None
    return own.id if own is not None and "teacher" in ctx.roles else None


def advance(ctx: Ctx, draft: Draft) -> list[Reply]:
    """Store the draft and ask for what is missing, or show the summary to confirm."""
    site = _my_site(ctx)
    if draft.windows and all(w.start and w.end for w in draft.windows):
        service.check_windows(ctx, site, utc_windows(draft, ctx.zone))
    missing = draft.missing
    if missing is None:
        room = ctx.session.get(Room, draft.room_id)
        assert room is not None
        service.check_duplicate(ctx, requester_id=ctx.person_id, room=room, windows=utc_windows(draft, ctx.zone))
        draft = Draft.load({**draft.dump(), "confirmed_once": True})
        ctx.goto(FLOW, "confirm", draft.dump())
        return [summary(ctx, draft)]
    ctx.goto(FLOW, f"ask_{missing}", draft.dump())
    return [QUESTIONS[missing](ctx, draft)]


def summary(ctx: Ctx, draft: Draft) -> Reply:
    """What the bot understood, with [Send] [Change] [Cancel]."""
    room = ctx.session.get(Room, draft.room_id)
    assert room is not None
    assert draft.reason is not None
    lines: list[Msg] = [_("Please check your request:")]
    lines.append(
        _(
            "{site} · {room} ({age_group})",
            site=_my_site(ctx).name,
            room=room.name,
            age_group=age_group_label(room.age_group),
        )
    )
    for window in draft.windows:
        assert window.start is not None
        assert window.end is not None
        lines.append(_("• {when}", when=_window_when(ctx, window.day, window.start, window.end)))
    lines.append(_("Reason: {reason}", reason=reason_label(draft.reason)))
    choices = (Choice(_("Send"), "cv:send"), Choice(_("Change"), "cv:change"), Choice(_("Cancel"), "cv:cancel"))
    return reply(*lines, choices=choices)


def ask_day(ctx: Ctx, draft: Draft) -> Reply:
    today = ctx.clock.now().astimezone(ctx.zone).date()
    days = [today + timedelta(days=n) for n in range(0, 8) if (today + timedelta(days=n)).weekday() < 5][:5]
    choices = tuple(Choice(_("{day}", day=day), f"cvd:{day.isoformat()}") for day in days)
    return reply(
        _("Which day do you need cover? Pick one or type it (for example: Friday, or Dec 8 and Dec 9)."),
        choices=choices,
    )


def ask_times(ctx: Ctx, draft: Draft) -> Reply:
    site = _my_site(ctx)
    options = [(site.opens, time(12, 0)), (time(12, 0), site.closes), (site.opens, site.closes)]
    choices = tuple(
        Choice(_("{start}–{end}", start=start, end=end), f"cvt:{start:%H%M}-{end:%H%M}")
        for start, end in options
        if start < end
    )
    return reply(_("What times? Pick one or type them (for example: 8-12, or 7:30-3)."), choices=choices)


def ask_end(ctx: Ctx, draft: Draft) -> Reply:
    start = draft.windows[0].start
    assert start is not None
    site = _my_site(ctx)
    ends = sorted({_plus(start, hours) for hours in (1, 2, 4) if _plus(start, hours) <= site.closes} | {site.closes})
    choices = tuple(Choice(_("until {end}", end=end), f"cve:{end:%H%M}") for end in ends if end > start)
    return reply(_("From {start} until what time?", start=start), choices=choices)


def ask_room(ctx: Ctx, draft: Draft) -> Reply:
    assert ctx.me.site_id is not None
    rooms = site_rooms(ctx.session, site_id=ctx.me.site_id)
    choices = tuple(
        Choice(_("{room} ({age_group})", room=r.name, age_group=age_group_label(r.age_group)), f"cvr:{r.id}")
        for r in rooms
    )
    return reply(_("Which room needs the floater?"), choices=choices)


def ask_reason(ctx: Ctx, draft: Draft) -> Reply:
    choices = tuple(Choice(reason_label(code), f"cvw:{code}") for code in Reason)
    return reply(
        _("What is it for? Floaters only ever see planning, reflection or training; sick and personal stay private."),
        choices=choices,
    )


QUESTIONS: dict[str, Callable[[Ctx, Draft], Reply]] = {
    "day": ask_day,
    "times": ask_times,
    "end": ask_end,
    "room": ask_room,
    "reason": ask_reason,
}


def _window_when(ctx: Ctx, day: date, start: time, end: time) -> Msg:
    return when(datetime.combine(day, start, tzinfo=ctx.zone), datetime.combine(day, end, tzinfo=ctx.zone), ctx.zone)


def _plus(start: time, hours: int) -> time:
    minutes = min(start.hour * 60 + start.minute + hours * 60, 23 * 60 + 59)
    return time(minutes // 60, minutes % 60)


def _my_site(ctx: Ctx) -> Site:
    site = ctx.me.site
    assert site is not None
    return site
