"""A supervisor publishes sessions: [New session] in `/slots` (Spanish `/horarios`; the listing, moves and
cancels are in schedule.py).

/slots ──► [New session] ──► ask_when ──► [length] ──► [repeat] ──► [until] ──► [seats] ──► [place] ──► [Publish]
       └─► [Move N] ──► ask_move (a day and time) ──► every booking and its cover move; each person told once
       └─► [Cancel N] ──► [Yes] ──► every booking and its cover cancelled; each person told once
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.describe import check_the_year
from handlers.errors import UserError
from handlers.i18n import Msg, _, n_, verbatim
from handlers.labels import month_label, ordinal_label
from handlers.parsing import parse_request
from handlers.registry import registry
from handlers.supervision.describe import VIDEO, own_line
from handlers.supervision.policy import SUPERVISORS
from models.roster.queries import other_sites
from models.roster.tables import Site
from models.supervision import writes
from models.supervision.queries import already_published, outside_hours, overlapping
from models.supervision.tables import Repeat

FLOW = "slots"
LENGTHS = (30, 45, 60, 90)
REPEATS: dict[Repeat, Msg] = {
    Repeat.NONE: _("Just once"),
    Repeat.WEEKLY: _("Every week"),
    Repeat.BIWEEKLY: _("Every two weeks"),
}


@registry.button("rsn", roles=SUPERVISORS)
def new_session(ctx: Ctx, arg: str) -> list[Reply]:
    """Starts a new session: asks when."""
    ctx.goto(FLOW, "ask_when", {})
    return [reply(_("When is the (first) session? Send a day and a start time, like: thu 14:00 or 12/10 9:30."))]


@registry.step(FLOW, "ask_when")
def typed_when(ctx: Ctx, text: str) -> list[Reply]:
    """Stores the day and start (refused at once when already past: the question stands); asks the length."""
    day, start, far = day_and_time(ctx, text)
    if datetime.combine(day, start, tzinfo=ctx.zone) <= ctx.now:
        raise UserError(_("That time has already passed. Send a day and time ahead, like: thu 10:00."))
    ctx.goto(FLOW, "ask_length", {"day": day.isoformat(), "start": start.isoformat(timespec="minutes")})
    choices = tuple(Choice(_("{minutes} min", minutes=m), f"rsl:{m}") for m in LENGTHS)
    return [reply(*(check_the_year([day]) if far else []), _("How long is it?"), choices=choices)]


@registry.button("rsl", roles=SUPERVISORS)
def pressed_length(ctx: Ctx, arg: str) -> list[Reply]:
    data = draft(ctx, "ask_length")
    if not arg.isdigit() or int(arg) not in LENGTHS:
        raise UserError(_("Please pick one of the lengths below."))
    ctx.goto(FLOW, "ask_repeat", {**data, "minutes": int(arg)})
    return [reply(_("Does it repeat?"), choices=tuple(Choice(label, f"rsr:{r}") for r, label in REPEATS.items()))]


@registry.button("rsr", roles=SUPERVISORS)
def pressed_repeat(ctx: Ctx, arg: str) -> list[Reply]:
    data = draft(ctx, "ask_repeat")
    if arg not in tuple(Repeat):
        raise UserError(_("Please pick one of the buttons below."))
    if arg == Repeat.NONE:
        return _ask_seats(ctx, {**data, "repeat": arg, "weeks": 0})
    ctx.goto(FLOW, "ask_until", {**data, "repeat": arg})
    choices = tuple(Choice(n_("For {count} week", "For {count} weeks", w), f"rsu:{w}") for w in (4, 8, 12))
    return [reply(_("Until when?"), choices=choices)]


@registry.button("rsu", roles=SUPERVISORS)
def pressed_until(ctx: Ctx, arg: str) -> list[Reply]:
    data = draft(ctx, "ask_until")
    if arg not in ("4", "8", "12"):
        raise UserError(_("Please pick one of the buttons below."))
    return _ask_seats(ctx, {**data, "weeks": int(arg)})


@registry.step(FLOW, "ask_length")
@registry.step(FLOW, "ask_repeat")
@registry.step(FLOW, "ask_until")
@registry.step(FLOW, "ask_seats")
@registry.step(FLOW, "ask_place")
def typed_at_a_button(ctx: Ctx, text: str) -> list[Reply]:
    """Typing where a button is awaited: the question stands (or /cancel)."""
    raise UserError(_("Please pick one of the buttons above, or send /cancel to stop."))


def _ask_seats(ctx: Ctx, data: dict[str, Any]) -> list[Reply]:
    ctx.goto(FLOW, "ask_seats", data)
    labels = {1: _("1 (one-to-one)"), 2: verbatim("2"), 3: verbatim("3"), 4: verbatim("4")}
    return [reply(_("How many teachers can join?"), choices=tuple(Choice(m, f"rsc:{n}") for n, m in labels.items()))]


@registry.button("rsc", roles=SUPERVISORS)
def pressed_seats(ctx: Ctx, arg: str) -> list[Reply]:
    data = draft(ctx, "ask_seats")
    if arg not in ("1", "2", "3", "4"):
        raise UserError(_("Please pick one of the buttons below."))
    ctx.goto(FLOW, "ask_place", {**data, "capacity": int(arg)})
    places = [Choice(VIDEO, "rsp:video")] + [
        Choice(verbatim(s.name), f"rsp:{s.id}") for s in other_sites(ctx.session, site_id=None)
    ]
    return [reply(_("Where?"), choices=tuple(places))]


@registry.button("rsp", roles=SUPERVISORS)
def pressed_place(ctx: Ctx, arg: str) -> list[Reply]:
    """Publishes the session (or the series) at that place."""
    data = draft(ctx, "ask_place")
    site_id = None if arg == "video" else int(arg) if arg.isdigit() else -1
    if site_id == -1 or (site_id is not None and ctx.session.get(Site, site_id) is None):
        raise UserError(_("Please pick one of the buttons below."))
    first_day, at = date.fromisoformat(data["day"]), time.fromisoformat(data["start"])
    times = plan(ctx, first_day, at, int(data["minutes"]), Repeat(data["repeat"]), int(data["weeks"]), site_id)
    refused = refusal(ctx, site_id, times)
    ctx.end_flow()  # the draft ends with the answer: nothing is left half-open
    if refused is not None:
        return [reply(refused)]
    return publish(ctx, times, capacity=int(data["capacity"]), site_id=site_id, repeat=Repeat(data["repeat"]))


def plan(
    ctx: Ctx, first_day: date, at: time, minutes: int, repeat: Repeat, weeks: int, site_id: int | None
) -> list[tuple[datetime, datetime]]:
    """Each session's (start, end) at the place's wall-clock time: once, or every (other) week for `weeks`."""
    zone, length = ctx.site_zone(site_id), timedelta(minutes=minutes)
    last_day = first_day + timedelta(weeks=weeks, days=-1) if weeks and repeat != Repeat.NONE else first_day
    starts = [datetime.combine(day, at, tzinfo=zone) for day in writes.series_days(first_day, repeat, last_day)]
    return [(s, s + length) for s in starts]


def publish(
    ctx: Ctx, times: list[tuple[datetime, datetime]], *, capacity: int, site_id: int | None, repeat: Repeat
) -> list[Reply]:
    """Publishes the session (or the series) from chat or a form; tells the supervisor."""
    published = writes.publish(
        ctx.session,
        supervisor_id=ctx.person_id,
        times=times,
        capacity=capacity,
        site_id=site_id,
        room_id=None,
        repeat=repeat,
        until=times[-1][0] if repeat != Repeat.NONE else None,
        at=ctx.now,
    )
    return [
        reply(
            n_(
                "Published {count} session: {session}.",
                "Published {count} sessions, the first {session}.",
                len(published),
                session=own_line(ctx, published[0]),
            ),
            _("Teachers see them in /supervision. Send /slots to move or cancel one."),
        )
    ]


def refusal(ctx: Ctx, site_id: int | None, times: list[tuple[datetime, datetime]]) -> Msg | None:
    """Why these times can't be published (past, outside the site's hours, over another of hers), or None."""
    if times[0][0] <= ctx.now:
        return _("That time has already passed. Send /slots to start again.")
    site = ctx.session.get(Site, site_id) if site_id is not None else None
    if site is not None and outside_hours(site, times, ctx.config.zone):
        return _(
            "{site} is open {opens}–{closes}; pick a time inside those hours. Send /slots to start again.",
            site=site.name,
            opens=site.opens,
            closes=site.closes,
        )
    again = already_published(ctx.session, supervisor_id=ctx.person_id, starts=[start for start, _end in times])
    if again is not None:
        return _("You already published {session}. Send /slots to see your sessions.", session=own_line(ctx, again))
    clash = overlapping(ctx.session, supervisor_id=ctx.person_id, times=times)
    if clash is not None:
        return _(
            "That overlaps your session {session}. Send /slots to pick another time.",
            session=own_line(ctx, clash),
        )
    return None


def draft(ctx: Ctx, step: str) -> dict[str, Any]:
    state = ctx.state()
    if state is None or state.flow != FLOW or state.step != step:
        raise UserError(_("That button is no longer active. Send /slots to start again."))
    return dict(state.data)


def day_and_time(ctx: Ctx, text: str) -> tuple[date, time, bool]:
    """A day and a start time from what she typed, read like a cover request's ("thu 14:00", "12/10 9:30" in her
    language), and whether the day is far enough ahead to echo its year."""
    parsed = parse_request(text, now=ctx.now, zone=ctx.zone, answering=True, lang=ctx.lang)
    if parsed.past:
        raise UserError(_("That day has already passed. Send a day and time ahead, like: thu 10:00."))
    if parsed.impossible_date is not None and not parsed.shifts:
        month, day = parsed.impossible_date
        raise UserError(
            _(
                "{month} has no {day}. Send a day and time, like: thu 10:00.",
                month=month_label(month),
                day=ordinal_label(day),
            )
        )
    if not parsed.shifts or parsed.shifts[0].start is None:
        raise UserError(_("I need a day and a start time, like: thu 14:00 or 12/10 9:30."))
    return parsed.shifts[0].day, parsed.shifts[0].start, parsed.far_ahead
