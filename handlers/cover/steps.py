"""The answers to the request flow's questions, typed or tapped; each stores one thing and moves on."""

from __future__ import annotations

from datetime import date, time

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.ask import FLOW, QUESTIONS, advance, room_for, understand
from handlers.cover.draft import Draft
from handlers.cover.send import send
from handlers.errors import UserError
from handlers.i18n import _
from handlers.parsing import ParsedRequest, fold, normalise, parse_request, read_clock
from handlers.registry import registry
from models.cover.queries import site_rooms
from models.cover.tables import Reason
from models.roster.tables import Room

YES = frozenset({"send", "yes", "y", "ok", "okay", "si", "enviar", "envia", "dale"})


def draft_of(ctx: Ctx) -> Draft:
    """The request being put together; a button of a finished or cancelled request is refused."""
    state = ctx.state()
    if state is None or state.flow != FLOW:
        raise UserError(_("That button is no longer active. Send /floater to start a new request."))
    return Draft.load(state.data)


@registry.step(FLOW, "ask_day")
def typed_day(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the day(s) read from the answer (and times, if it gives them); asks what is still missing."""
    parsed = understand(ctx, text, answering=True)
    if not parsed.shifts:
        raise UserError(_("I couldn't find a day in that. Try: today, tomorrow, Friday, or 12/8."))
    draft = draft_of(ctx).with_days([s.day for s in parsed.shifts])
    if parsed.shifts[0].start is not None:
        draft = draft.with_times(_ranges(parsed))
    return advance(ctx, draft)


@registry.step(FLOW, "ask_times")
def typed_times(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the time range(s) for every day; asks for the end if only a start was given."""
    parsed = parse_request(text, now=ctx.clock.now(), zone=ctx.zone, answering=True)
    if not parsed.shifts or parsed.shifts[0].start is None:
        raise UserError(_("I couldn't find times in that. Try: 8-12, 7:30-3, or 9am to 1pm."))
    return advance(ctx, draft_of(ctx).with_times(_ranges(parsed)))


@registry.step(FLOW, "ask_end")
def typed_end(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the end time for every day."""
    end = read_clock(normalise(text))
    if end is None:
        raise UserError(_("Until what time? Type a time like 12 or 3:30."))
    return advance(ctx, draft_of(ctx).with_end(end))


@registry.step(FLOW, "ask_room")
def typed_room(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the room whose name starts with the answer."""
    assert ctx.me.site_id is not None
    wanted = fold(text.strip())
    rooms = [r for r in site_rooms(ctx.session, site_id=ctx.me.site_id) if fold(r.name).startswith(wanted)]
    if len(rooms) != 1:
        raise UserError(_("Please pick one of the rooms below (or type its name)."))
    return advance(ctx, _with(draft_of(ctx), room_id=rooms[0].id))


@registry.step(FLOW, "ask_reason")
def typed_reason(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the reason read from the answer ("dentist" → personal)."""
    reason = parse_request(text, now=ctx.clock.now(), zone=ctx.zone, answering=True).reason
    if reason is None and fold(text.strip()) in ("other", "otro", "otra"):
        reason = "other"
    if reason is None:
        raise UserError(_("Please pick one of the reasons below."))
    return advance(ctx, _with(draft_of(ctx), reason=reason))


@registry.step(FLOW, "confirm")
def typed_confirm(ctx: Ctx, text: str) -> list[Reply]:
    """ "yes"/"send" sends; a new request starts over; anything else points at the buttons."""
    if fold(text.strip(" .!")) in YES:
        return send(ctx, draft_of(ctx))
    parsed = understand(ctx, text)
    if parsed.shifts:
        return advance(ctx, Draft.from_parsed(parsed, room_for(ctx, parsed)))
    raise UserError(_("Press Send to ask floaters, Change to fix something, or Cancel."))


@registry.button("cvd")
def pressed_day(ctx: Ctx, arg: str) -> list[Reply]:
    return advance(ctx, draft_of(ctx).with_days([date.fromisoformat(arg)]))


@registry.button("cvt")
def pressed_times(ctx: Ctx, arg: str) -> list[Reply]:
    start, end = (time(int(part[:2]), int(part[2:])) for part in arg.split("-"))
    return advance(ctx, draft_of(ctx).with_times([(start, end)]))


@registry.button("cve")
def pressed_end(ctx: Ctx, arg: str) -> list[Reply]:
    return advance(ctx, draft_of(ctx).with_end(time(int(arg[:2]), int(arg[2:]))))


@registry.button("cvr")
def pressed_room(ctx: Ctx, arg: str) -> list[Reply]:
    """Only a room of the person's own site is accepted."""
    room = ctx.session.get(Room, int(arg)) if arg.isdigit() else None
    if room is None or room.site_id != ctx.me.site_id:
        raise UserError(_("You can only ask for cover in the rooms of your own site."))
    return advance(ctx, _with(draft_of(ctx), room_id=room.id))


@registry.button("cvw")
def pressed_reason(ctx: Ctx, arg: str) -> list[Reply]:
    if arg not in tuple(Reason):
        raise UserError(_("Please pick one of the reasons below."))
    return advance(ctx, _with(draft_of(ctx), reason=arg))


@registry.button("cv")
def pressed_action(ctx: Ctx, arg: str) -> list[Reply]:
    """Send, Change (then which part), or Cancel the request being put together."""
    draft = draft_of(ctx)
    if arg == "send":
        return send(ctx, draft)
    if arg == "cancel":
        ctx.end_flow()
        return [reply(_("Cancelled. Nothing was sent."))]
    if arg == "change":
        parts = (("day", _("Day")), ("times", _("Times")), ("room", _("Room")), ("reason", _("Reason")))
        return [
            reply(
                _("What would you like to change?"), choices=tuple(Choice(label, f"cv:{key}") for key, label in parts)
            )
        ]
    if arg in QUESTIONS:
        # Ask again with everything else kept; the answer goes back to the summary.
        ctx.goto(FLOW, f"ask_{arg}", draft.dump())
        return [QUESTIONS[arg](ctx, draft)]
    raise UserError(_("That button is no longer active. Send /floater to start a new request."))


def _ranges(parsed: ParsedRequest) -> list[tuple[time, time | None]]:
    seen: list[tuple[time, time | None]] = []
    for shift in parsed.shifts:
        if shift.start is not None and (shift.start, shift.end) not in seen:
            seen.append((shift.start, shift.end))
    return seen


def _with(draft: Draft, **changes: object) -> Draft:
    return Draft.load({**draft.dump(), **changes})
