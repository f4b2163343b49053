"""Asking for cover: one message (or /floater), then one question at a time until the request is complete.

free text / /floater ──► ask_day ──► ask_times ──► ask_end ──► ask_room ──► ask_reason ──► confirm
    Each step is skipped when the message already said it. A day that is over or does not exist asks the day
    first, a room not of her site the room; a day far ahead waits at confirm_year as soon as it is read; hours
    that cannot be covered ask again. Every question keeps the draft (see docs/cover.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover import service
from handlers.cover.describe import name_of, reason_label, when
from handlers.cover.draft import Draft, Window, utc_windows
from handlers.cover.questions import (
    MIN_LEFT,
    QUESTIONS,
    asked_already_and_left_out,
    confirm_year,
    day_again,
    minutes_between,
    my_rooms,
    my_site,
    next_quarter,
    no_day,
    no_such_date,
    passed_and_left_out,
)
from handlers.cover.sites import site_named_in, site_with_room
from handlers.errors import UserError
from handlers.i18n import Joined, Msg, _, n_, verbatim
from handlers.labels import age_group_label
from handlers.parsing import ParsedRequest, named_after_in, parse_request
from handlers.registry import registry
from models.cover.queries import requesters_then
from models.roster.tables import Room

FLOW = "cover"
REQUESTERS = frozenset({"teacher", "director"})
NO_SITE = _(
    "You are not linked to a site on the roster; ask your Hub coordinator."
)  # a requester the roster gives no site
registry.hint(REQUESTERS, _("Or just write what you need, like: floater tomorrow 8-12, toddler room."))


@registry.text()
def read_request(ctx: Ctx, text: str) -> list[Reply]:
    """A teacher's or director's free-text request: store what it says, ask for the rest. Someone else's (a
    floater, Hub staff) is told who asks, and a requester with no site on the roster whom to ask; nothing stored."""
    if not (ctx.roles & REQUESTERS) or ctx.me.site_id is None:
        return _not_hers_to_ask(ctx, text)
    parsed = understand(ctx, text)
    if not is_request(parsed) or (ctx.aside and not parsed.asks):
        return []  # aside: a survey's "2-3" is a bad answer there, not hours to cover
    return start(ctx, parsed)


@registry.command("floater", _("ask for a floating teacher"), roles=REQUESTERS, spanish="flotante")
def floater(ctx: Ctx, args: str) -> list[Reply]:
    """Starts a request step by step (or reads one written after the command)."""
    if ctx.me.site_id is None:
        raise UserError(NO_SITE)
    if args:
        return start(ctx, understand(ctx, args, answering=True))
    return advance(ctx, Draft(room_id=room_for(ctx, None)))


def _not_hers_to_ask(ctx: Ctx, text: str) -> list[Reply]:
    if not is_request(parse_request(text, now=ctx.now, zone=ctx.zone, lang=ctx.lang)):
        return []  # not a request at all: the router says what she can do
    if ctx.roles & REQUESTERS:
        return [reply(NO_SITE)]
    if "floater" in ctx.roles:
        return [
            reply(
                _(
                    "Floaters don't ask for cover here: shifts you can take come to you as offers, each with a "
                    "button to accept it. For anything else, ask your Hub coordinator."
                )
            )
        ]
    return [reply(_("Teachers and directors ask for floaters themselves, with /floater or a message."))]


def is_request(parsed: ParsedRequest) -> bool:
    """Days ahead, words that ask for cover, hours on a day that is over, a date no calendar has, or a range of
    days that is none (`Dec 22-20`)."""
    over_with_hours = any(shift.start is not None for shift in parsed.past_shifts)
    # A week without its day is a request only with hours or words that ask ("see you next week" is chatter).
    unread = parsed.day_unread and (parsed.week_unread is None or parsed.hours_given)
    return bool(parsed.shifts) or parsed.asks or over_with_hours or unread


def understand(ctx: Ctx, text: str, *, answering: bool = False) -> ParsedRequest:
    """Read the text as `read` does; refuse a request — or an answer within one — that names another site.
    Chatter that merely names a site ("I visited Maple Street yesterday") is no request and is let be."""
    parsed = read(ctx, text, answering=answering)
    if answering or is_request(parsed):
        refuse_other_site(ctx, text)
        parsed = _room_elsewhere(ctx, text, parsed)
    return parsed


def _room_elsewhere(ctx: Ctx, text: str, parsed: ParsedRequest) -> ParsedRequest:
    """A room of another site named without the word `room` (`in Mariposas`) is a room she named that her site
    does not have, as `the Mariposas room` is: never her own room silently. Looked up only when such a name is
    there."""
    if parsed.room is not None or parsed.unknown_room is not None:
        return parsed
    name = named_after_in(text, _room_ages(ctx))
    if name is None or site_with_room(ctx.session, name, besides=ctx.me.site_id) is None:
        return parsed
    return replace(parsed, unknown_room=name)


def read(ctx: Ctx, text: str, *, answering: bool = False) -> ParsedRequest:
    """Parse in the site's zone with its room names, its hours (for "morning", "afternoon", "all day") and her
    language (a Spanish writer's `10/12` is 10 December)."""
    site = my_site(ctx)
    rooms = _room_ages(ctx)
    return parse_request(
        text,
        now=ctx.now,
        zone=ctx.zone,
        rooms=rooms,
        answering=answering,
        opens=site.opens,
        closes=site.closes,
        lang=ctx.lang,
    )


def _room_ages(ctx: Ctx) -> dict[str, str]:
    """Her site's rooms, name → age group, as the parser reads them."""
    return {room.name: room.age_group for room in my_rooms(ctx)}


def refuse_other_site(ctx: Ctx, text: str) -> None:
    other = site_named_in(ctx.session, text, besides=ctx.me.site_id, rooms=_room_ages(ctx))
    if other is not None:
        raise UserError(
            _(
                "You can ask for cover at {site} only. For {other}, ask someone there.",
                site=my_site(ctx).name,
                other=other,
            )
        )


def room_for(ctx: Ctx, parsed: ParsedRequest | None) -> int | None:
    """The room the message names, else the one of its age group, else a teacher's own room — never hers in place
    of a room she named that her site does not have."""
    rooms = my_rooms(ctx)
    if parsed is not None and parsed.unknown_room is not None:
        return None
    if parsed is not None and parsed.room is not None:
        return next(r.id for r in rooms if r.name == parsed.room)
    own = ctx.me.room
    if parsed is not None and parsed.age_group is not None and (own is None or own.age_group != parsed.age_group):
        matching = [r for r in rooms if r.age_group == parsed.age_group]
        return matching[0].id if len(matching) == 1 else None
    return own.id if own is not None and "teacher" in ctx.roles else None


def start(ctx: Ctx, parsed: ParsedRequest, *, notes: tuple[Msg, ...] = ()) -> list[Reply]:
    """A new request from one message: a day that is over or does not exist (or a range of days that is none) is
    answered first, then a room that is not of her site; then `advance`. Each question keeps the draft for her
    answer; nothing else is stored."""
    draft = Draft.from_parsed(parsed, room_for(ctx, parsed))
    if not parsed.shifts and (parsed.past_shifts or parsed.day_unread):
        today = ctx.now.astimezone(ctx.zone).date()
        gone_today = any(shift.day == today for shift in parsed.past_shifts)
        question = day_again(ctx, no_day(parsed, today=today), skip_today=gone_today, week=parsed.week_unread)
        return ask(ctx, "ask_day", draft, question, notes)
    notes += left_out(parsed)
    if parsed.unknown_room is not None:
        return ask(ctx, "ask_room", draft, QUESTIONS["room"](ctx, draft), notes)
    return advance(ctx, draft, notes=notes)


def under_way(ctx: Ctx, draft: Draft) -> tuple[Draft, tuple[Msg, ...]]:
    """Today's hours that have begun and are not over (`sick today 7-3` at 07:10) are asked from the next quarter
    hour (or the site's opening, if later), and the reply says so first; her summary shows them before anything
    is stored. (The parser keeps such hours as written: only hours that are over are `past_shifts`.)"""
    local, soonest = ctx.now.astimezone(ctx.zone), next_quarter(ctx)
    if soonest is not None:
        soonest = max(soonest, my_site(ctx).opens)  # `today 5-9` before the site opens: from its opening
    now = local.time().replace(tzinfo=None)
    begun = [w for w in draft.windows if w.day == local.date() and w.start is not None and w.start <= now]
    if not begun or soonest is None or any(w.end is None for w in begun):
        return draft, ()
    short = [w for w in begun if w.end is not None and minutes_between(soonest, w.end) < MIN_LEFT]
    if short:  # too little left to send anyone (`7-7:20` at 07:10): over — left out beside other days, said
        rest = tuple(w for w in draft.windows if w not in short)
        if not rest:
            return draft, ()  # refused as over
        return replace(draft, windows=rest), (passed_and_left_out([local.date()]),)
    windows = tuple(replace(w, start=soonest) if w in begun else w for w in draft.windows)
    note = _("The start ({start}) has already passed, so cover starts at {now}.", start=begun[0].start, now=soonest)
    typed = draft.moved_start[1] if draft.moved_start is not None else begun[0].start
    assert typed is not None
    return replace(draft, windows=windows, moved_start=(soonest, typed)), (note,)


def left_out(parsed: ParsedRequest) -> tuple[Msg, ...]:
    """What a message with days ahead also named and the request leaves out, said first: a date no calendar has,
    dated days that have passed."""
    notes: tuple[Msg, ...] = ()
    if parsed.impossible_date is not None:
        notes += (no_such_date(*parsed.impossible_date, left_out=True),)
    if parsed.passed_beside:
        notes += (passed_and_left_out(parsed.passed_beside),)
    return notes


def advance(ctx: Ctx, draft: Draft, *, notes: tuple[Msg, ...] = ()) -> list[Reply]:
    """Store the draft and ask what it still needs — a far day's year confirmed, hours that can be covered, what is
    missing — or show the summary to confirm. Hours of today that have begun are asked from now (`under_way`)."""
    draft, said = _settled(ctx, draft)
    notes = said + notes
    if draft.check_year:
        return ask(ctx, "confirm_year", draft, confirm_year(ctx, draft), notes)
    if draft.windows and all(w.start and w.end for w in draft.windows):
        try:
            service.check_windows(ctx, my_site(ctx), utc_windows(draft, ctx.zone))
        except UserError as problem:
            return hours_again(ctx, draft, problem.message, notes)
    missing = draft.missing
    if missing is None:
        room = ctx.session.get(Room, draft.room_id)
        assert room is not None
        draft, repeated = _without_repeats(ctx, draft, room)
        notes += repeated
        windows = utc_windows(draft, ctx.zone)
        others = service.check_duplicate(ctx, requester_id=ctx.person_id, room=room, windows=windows)
        if others:  # the room's teacher and its director both asking: two floaters would come
            notes += (asked_too(ctx, others, room),)
        draft = replace(draft, confirmed_once=True)
        return ask(ctx, "confirm", draft, summary(ctx, draft), notes)
    question = QUESTIONS[missing](ctx, draft)
    if missing == "times" and not question.choices:  # today, after its last hour: nothing to pick, or to type
        site = my_site(ctx)
        late = _(
            "{site} closes at {closes}: no time is left today. Which day do you need?",
            site=site.name,
            closes=site.closes,
        )
        return ask(ctx, "ask_day", replace(draft, windows=()), day_again(ctx, late, skip_today=True), notes)
    return ask(ctx, f"ask_{missing}", draft, question, notes)


def _settled(ctx: Ctx, draft: Draft) -> tuple[Draft, tuple[Msg, ...]]:
    """The draft as it can be asked for now, and what was changed, to be said first: today's begun hours from now,
    hours of one day that overlap as one; a week named is forgotten once its day is chosen (a weekday typed later
    is read as usual)."""
    draft, begun = under_way(ctx, draft)
    if draft.week is not None and draft.windows:
        draft = replace(draft, week=None)
    draft, merged = _overlaps_merged(draft)
    return draft, begun + merged


def asked_too(ctx: Ctx, people: set[int], room: Room) -> Msg:
    """`Diana Park already asked for cover in Little Sprouts at that time. Send this only if the room needs
    another floater.`"""
    names = Joined(tuple(verbatim(name_of(ctx.session, person)) for person in sorted(people)))
    return n_(
        "{names} already asked for cover in {room} at that time. Send this only if the room needs another floater.",
        "{names} already asked for cover in {room} at that time. Send this only if the room needs another floater.",
        len(people),
        names=names,
        room=room.name,
    )


def _overlaps_merged(draft: Draft) -> tuple[Draft, tuple[Msg, ...]]:
    """Hours of one day that overlap (`tomorrow 8-12 and 9-11`) are one window, their union, and said: two shifts
    of one room at once would send two floaters."""
    timed = [(w.day, w.start, w.end) for w in draft.windows if w.start is not None and w.end is not None]
    if len(timed) < 2 or len(timed) != len(draft.windows):
        return draft, ()
    merged: list[tuple[date, time, time]] = []
    joined: set[int] = set()  # which of `merged` took in another
    for day, start, end in sorted(timed):
        if merged and merged[-1][0] == day and start < merged[-1][2]:
            merged[-1] = (day, merged[-1][1], max(merged[-1][2], end))
            joined.add(len(merged) - 1)
        else:
            merged.append((day, start, end))
    if not joined:
        return draft, ()
    notes = tuple(
        _("Two of those times overlap on {day}, so I asked for {start}–{end} once.", day=day, start=start, end=end)
        for n, (day, start, end) in enumerate(merged)
        if n in joined
    )
    return replace(draft, windows=tuple(Window(day, start, end) for day, start, end in merged)), notes


def _without_repeats(ctx: Ctx, draft: Draft, room: Room) -> tuple[Draft, tuple[Msg, ...]]:
    """The windows of a series she has not asked for already, and a note naming those left out; one window, or a
    series she asked for whole, is left to `check_duplicate` to refuse."""
    if len(draft.windows) < 2:
        return draft, ()
    assert room.id is not None
    fresh: list[Window] = []
    repeated: list[Window] = []
    for window, (start, end) in zip(draft.windows, utc_windows(draft, ctx.zone), strict=True):
        asked = requesters_then(ctx.session, room_id=room.id, starts_at=start, ends_at=end)
        (repeated if ctx.person_id in asked else fresh).append(window)
    if not repeated or not fresh:
        return draft, ()
    left_out = [(w.day, w.start, w.end) for w in repeated if w.start is not None and w.end is not None]
    return replace(draft, windows=tuple(fresh)), (asked_already_and_left_out(left_out),)


def hours_again(ctx: Ctx, draft: Draft, problem: Msg, notes: tuple[Msg, ...]) -> list[Reply]:
    """Hours that cannot be covered: a start that has passed asks the day again (the hours kept), others the times."""
    if any(start <= ctx.now for start, _end in utc_windows(draft, ctx.zone)):
        return ask(ctx, "ask_day", draft, day_again(ctx, problem, skip_today=True), notes)
    times = QUESTIONS["times"](ctx, draft)
    return ask(ctx, "ask_times", draft.without_times(), replace(times, lines=(problem,)), notes)


def ask(ctx: Ctx, step: str, draft: Draft, question: Reply, notes: tuple[Msg, ...] = ()) -> list[Reply]:
    """Keep the draft at `step` and ask; `notes` come first (what was left out, that a new request replaced one)."""
    ctx.goto(FLOW, step, draft.dump())
    return [replace(question, lines=(*notes, *question.lines))]


def summary(ctx: Ctx, draft: Draft) -> Reply:
    """What the bot understood — every date of it — with [Send] [Change] [Cancel]."""
    room = ctx.session.get(Room, draft.room_id)
    assert room is not None
    assert draft.reason is not None
    lines: list[Msg] = [_("Please check your request:")]
    lines.append(
        _(
            "{site} · {room} ({age_group})",
            site=my_site(ctx).name,
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


def _window_when(ctx: Ctx, day: date, start: time, end: time) -> Msg:
    return when(datetime.combine(day, start, tzinfo=ctx.zone), datetime.combine(day, end, tzinfo=ctx.zone), ctx.zone)
