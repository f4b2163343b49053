"""The answers to the request flow's questions, typed or tapped; each stores one thing and moves on.

While a question is open the draft stays until [Send] or /cancel: an answer that cannot be used is refused (the
step's savepoint is rolled back, so the draft is as it was), and a new request typed instead of an answer starts
over with it and says so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.ask import FLOW, advance, ask, left_out, read, start, under_way, understand
from handlers.cover.draft import Draft, Window
from handlers.cover.questions import QUESTIONS, ask_day, day_again, my_rooms, no_day, not_a_room, passed
from handlers.cover.send import send
from handlers.cover.sites import site_with_room
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import Msg, _
from handlers.parsing import ParsedRequest, fold, normalise, read_clock
from handlers.registry import registry
from models.cover.tables import Reason
from models.roster.tables import Room

YES = frozenset({"send", "yes", "y", "ok", "okay", "si", "enviar", "envia", "dale", "correct", "correcto"})
NO = frozenset({"no", "nope", "n", "another day", "otro dia", "no otro dia"})
STARTING_OVER = _("Starting over with your new request.")
HOURS_KEPT = _("Which day are those hours for?")  # hours alone, typed where the day was asked


def draft_of(ctx: Ctx) -> Draft:
    """The request being put together; a button of a finished or cancelled request is refused."""
    state = ctx.state()
    if state is None or state.flow != FLOW:
        raise UserError(_("That button is no longer active. Send /floater to start a new request."))
    return Draft.load(state.data)


def new_request(ctx: Ctx, text: str, *, says_it_asks: bool = False) -> ParsedRequest | None:
    """The text read as a message of its own, if it is a request with days ahead (`says_it_asks`: and words that
    ask for cover, a reason or a room — where a bare time is the expected answer)."""
    parsed = understand(ctx, text)
    return parsed if parsed.shifts and (parsed.asks or not says_it_asks) else None


def start_over(ctx: Ctx, parsed: ParsedRequest) -> list[Reply]:
    return start(ctx, parsed, notes=(STARTING_OVER,))


THIS_WEEK_SAID = re.compile(r"\b(?:this|este|esta|estos)\b")


@registry.step(FLOW, "ask_day")
def typed_day(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the day(s) read from the answer (with its times, reason or room, if it gives them); a day that has
    passed or does not exist is refused, naming it (beside days ahead: left out, and said)."""
    draft, today = draft_of(ctx), ctx.now.astimezone(ctx.zone).date()
    parsed = _day_answer(ctx, text, draft, today)
    if not parsed.shifts and parsed.week_unread is not None:  # `next week`: that week's days to pick from
        question = day_again(ctx, no_day(parsed, today=today), week=parsed.week_unread)
        return ask(ctx, "ask_day", replace(draft, week=parsed.week_unread), question)
    if not parsed.shifts:
        raise UserError(no_day(parsed))
    if parsed.hours_only:  # kept, and the day she was asked for asked again
        draft = _also(ctx, replace(draft, windows=(), hours=tuple(_ranges(parsed))), parsed)
        return ask(ctx, "ask_day", draft, day_again(ctx, HOURS_KEPT))
    if parsed.shifts[0].start is None:
        draft = draft.with_days([s.day for s in parsed.shifts], check_year=parsed.far_ahead)
    else:
        windows = tuple(Window(s.day, s.start, s.end) for s in parsed.shifts)
        draft = replace(draft, windows=windows, check_year=parsed.far_ahead, hours=())
    return advance(ctx, _also(ctx, draft, parsed), notes=left_out(parsed))


def _day_answer(ctx: Ctx, text: str, draft: Draft, today: date) -> ParsedRequest:
    """The answer read; asked "Which day next week?", a weekday she types (`thursday`) is that week's — unless she
    says it is this week's (`this thursday`, `este jueves`)."""
    parsed = understand(ctx, text, answering=True)
    if draft.week is None or draft.week <= today or not parsed.shifts or parsed.shifts[0].day >= draft.week:
        return parsed
    if THIS_WEEK_SAID.search(fold(text)) is not None:
        return parsed
    return understand(ctx, f"next week {text}", answering=True)


@registry.step(FLOW, "ask_times")
def typed_times(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the time range(s) for every day ("morning" in the site's hours); asks for the end if only a start."""
    parsed = read(ctx, text, answering=True)
    if not parsed.shifts and parsed.past_shifts:
        raise UserError(passed(parsed.past_shifts[0]))
    if not parsed.shifts or parsed.shifts[0].start is None:
        raise UserError(_("I couldn't find times in that. Try: 8-12, 7:30-3, or 9am to 1pm."))
    return advance(ctx, _also(ctx, draft_of(ctx).with_times(_ranges(parsed)), parsed))


@registry.step(FLOW, "ask_end")
def typed_end(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the end time for every day; a new request starts over."""
    if (fresh := new_request(ctx, text, says_it_asks=True)) is not None:
        return start_over(ctx, fresh)
    end = read_clock(normalise(text))
    if end is None:
        raise UserError(_("Until what time? Type a time like 12 or 3:30."))
    return advance(ctx, draft_of(ctx).with_end(end))


@registry.step(FLOW, "ask_room")
def typed_room(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the room whose name starts with the answer; a room of another site (or none) is named; a new
    request starts over."""
    if (fresh := new_request(ctx, text)) is not None:
        return start_over(ctx, fresh)
    wanted = fold(text.strip())
    rooms = [r for r in my_rooms(ctx) if fold(r.name).startswith(wanted)]
    if len(rooms) != 1:
        raise UserError(_not_her_room(ctx, text))
    return advance(ctx, draft_of(ctx).with_room(rooms[0].id))


@registry.step(FLOW, "ask_reason")
def typed_reason(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the reason read from the answer ("dentist" → personal); a new request starts over."""
    if (fresh := new_request(ctx, text)) is not None:
        return start_over(ctx, fresh)
    reason = read(ctx, text, answering=True).reason
    if reason is None and fold(text.strip()) in ("other", "otro", "otra"):
        reason = "other"
    if reason is None:
        raise UserError(_("Please pick one of the reasons below."))
    return advance(ctx, replace(draft_of(ctx), reason=reason))


@registry.step(FLOW, "confirm_year")
def typed_year(ctx: Ctx, text: str) -> list[Reply]:
    """ "yes" keeps the far day, "no" asks the day again, another day is checked the same way; a new request
    starts over."""
    answer = fold(text.strip(" .!"))
    if answer in YES:
        return advance(ctx, replace(draft_of(ctx), check_year=False))
    if answer in NO:
        return ask(ctx, "ask_day", draft_of(ctx), ask_day(ctx, draft_of(ctx)))
    if (fresh := new_request(ctx, text, says_it_asks=True)) is not None:
        return start_over(ctx, fresh)
    if understand(ctx, text, answering=True).shifts:
        return typed_day(ctx, text)
    raise UserError(_("Press Yes if the date is right, or No to choose another day."))


@registry.step(FLOW, "confirm")
def typed_confirm(ctx: Ctx, text: str) -> list[Reply]:
    """ "yes"/"send" sends; hours alone change the times (the rest kept); a new request starts over; anything
    else points at the buttons."""
    if fold(text.strip(" .!")) in YES:
        return send(ctx, draft_of(ctx))
    if (fresh := new_request(ctx, text)) is not None:
        if fresh.hours_only and not fresh.asks:
            return advance(ctx, draft_of(ctx).with_times(_ranges(fresh)))
        return start_over(ctx, fresh)
    raise UserError(_("Press Send to ask floaters, Change to fix something, or Cancel."))


@registry.button("cvd")
def pressed_day(ctx: Ctx, arg: str) -> list[Reply]:
    draft = draft_of(ctx)
    try:
        day = date.fromisoformat(arg)
    except ValueError:
        raise UserError(STALE_BUTTON) from None
    return advance(ctx, draft.with_days([day]))


@registry.button("cvt")
def pressed_times(ctx: Ctx, arg: str) -> list[Reply]:
    draft = draft_of(ctx)
    begin, _sep, end = arg.partition("-")
    return advance(ctx, draft.with_times([(_hhmm(begin), _hhmm(end))]))


@registry.button("cve")
def pressed_end(ctx: Ctx, arg: str) -> list[Reply]:
    draft = draft_of(ctx)
    return advance(ctx, draft.with_end(_hhmm(arg)))


def _hhmm(text: str) -> time:
    """ "0800" from a button; a forged or stale one is said so."""
    if len(text) != 4 or not text.isdigit() or int(text[:2]) > 23 or int(text[2:]) > 59:
        raise UserError(STALE_BUTTON)
    return time(int(text[:2]), int(text[2:]))


@registry.button("cvr")
def pressed_room(ctx: Ctx, arg: str) -> list[Reply]:
    """Only a room of the person's own site is accepted."""
    room = ctx.session.get(Room, int(arg)) if arg.isdigit() else None
    if room is None or room.site_id != ctx.me.site_id:
        raise UserError(_("You can only ask for cover in the rooms of your own site."))
    return advance(ctx, draft_of(ctx).with_room(room.id))


@registry.button("cvw")
def pressed_reason(ctx: Ctx, arg: str) -> list[Reply]:
    if arg not in tuple(Reason):
        raise UserError(_("Please pick one of the reasons below."))
    return advance(ctx, replace(draft_of(ctx), reason=arg))


@registry.button("cvy")
def pressed_year(ctx: Ctx, arg: str) -> list[Reply]:
    """[Yes, that's right] keeps the far day; [No, another day] asks the day again, the rest kept."""
    draft = draft_of(ctx)
    if arg == "yes":
        return advance(ctx, replace(draft, check_year=False))
    return ask(ctx, "ask_day", draft, ask_day(ctx, draft))


@registry.button("cv")
def pressed_action(ctx: Ctx, arg: str) -> list[Reply]:
    """Send, Change (then which part), or Cancel the request being put together."""
    draft = draft_of(ctx)
    if arg == "send":
        later, begun = under_way(ctx, draft)
        if begun:  # its start passed while she read the summary: the new start shown to confirm, nothing sent
            return advance(ctx, later, notes=begun)
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
        return ask(ctx, f"ask_{arg}", draft, QUESTIONS[arg](ctx, draft))
    raise UserError(_("That button is no longer active. Send /floater to start a new request."))


def _also(ctx: Ctx, draft: Draft, parsed: ParsedRequest) -> Draft:
    """What else an answer names: a reason, a room of her site."""
    if parsed.reason is not None:
        draft = replace(draft, reason=parsed.reason)
    if parsed.room is not None:
        draft = draft.with_room(next(r.id for r in my_rooms(ctx) if r.name == parsed.room))
    return draft


def _not_her_room(ctx: Ctx, text: str) -> Msg:
    """A typed room that is none of hers: named when it is another site's or written as a room, else unclear."""
    named = read(ctx, text, answering=True).unknown_room
    if named is None and site_with_room(ctx.session, text, besides=ctx.me.site_id) is not None:
        named = text.strip()
    return not_a_room(ctx, named) if named else _("Please pick one of the rooms below (or type its name).")


def _ranges(parsed: ParsedRequest) -> list[tuple[time, time | None]]:
    seen: list[tuple[time, time | None]] = []
    for shift in parsed.shifts:
        if shift.start is not None and (shift.start, shift.end) not in seen:
            seen.append((shift.start, shift.end))
    return seen
