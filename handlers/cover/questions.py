"""The request flow's questions, each a reply with its buttons, and the answers that say why a day or room cannot be.

A question only builds the reply; `ask.advance` stores the draft and picks which one comes next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time, timedelta

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.describe import already_passed, check_the_year, reason_label
from handlers.cover.draft import Draft
from handlers.cover.sites import site_with_room
from handlers.i18n import Joined, Localized, Msg, _, n_, sentence
from handlers.labels import age_group_label, month_label, ordinal_label
from handlers.parsing import ParsedRequest, ShiftSpec
from models.cover.queries import site_rooms
from models.cover.tables import Reason
from models.roster.tables import Room, Site

WEEKDAYS_OFFERED = 5
MIN_LEFT = 30  # minutes a shift of today must still have for a floater to be asked from now


def ask_day(ctx: Ctx, draft: Draft) -> Reply:
    return reply(
        _("Which day do you need cover? Pick one or type it (for example: Friday, or Dec 8 and Dec 9)."),
        choices=day_choices(ctx),
    )


def ask_times(ctx: Ctx, draft: Draft) -> Reply:
    """The morning, the afternoon and the whole day at her site; for today alone, each from the next quarter hour
    once its start has passed (a sick call at 07:10 is offered 07:15–12:00, not a start that is over)."""
    site = my_site(ctx)
    options = [(site.opens, time(12, 0)), (time(12, 0), site.closes), (site.opens, site.closes)]
    soonest = next_quarter(ctx) if draft.days == [ctx.now.astimezone(ctx.zone).date()] else None
    if soonest is not None:
        options = [(max(start, soonest), end) for start, end in options]
    choices = tuple(
        Choice(_("{start}–{end}", start=start, end=end), f"cvt:{start:%H%M}-{end:%H%M}")
        for start, end in dict.fromkeys(options)
        if start < end and (soonest is None or minutes_between(start, end) >= MIN_LEFT)
    )
    return reply(_("What times? Pick one or type them (for example: 8-12, or 7:30-3)."), choices=choices)


def minutes_between(start: time, end: time) -> int:
    """From one wall-clock time to a later one of the same day."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def next_quarter(ctx: Ctx) -> time | None:
    """The first quarter hour after now on her site's clock (07:10 → 07:15, 07:15 → 07:30); None after 23:45."""
    local = ctx.now.astimezone(ctx.zone)
    minutes = (local.hour * 60 + local.minute) // 15 * 15 + 15
    return None if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


def ask_end(ctx: Ctx, draft: Draft) -> Reply:
    start = draft.windows[0].start
    assert start is not None
    site = my_site(ctx)
    ends = sorted({_plus(start, hours) for hours in (1, 2, 4) if _plus(start, hours) <= site.closes} | {site.closes})
    choices = tuple(Choice(_("until {end}", end=end), f"cve:{end:%H%M}") for end in ends if end > start)
    return reply(_("From {start} until what time?", start=start), choices=choices)


def ask_room(ctx: Ctx, draft: Draft) -> Reply:
    """Her site's rooms as buttons; when she named a room it does not have, whose that room is comes first."""
    rooms = my_rooms(ctx)
    choices = tuple(
        Choice(_("{room} ({age_group})", room=r.name, age_group=age_group_label(r.age_group)), f"cvr:{r.id}")
        for r in rooms
    )
    if draft.unknown_room is not None:
        return reply(not_a_room(ctx, draft.unknown_room), choices=choices)
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


def confirm_year(ctx: Ctx, draft: Draft) -> Reply:
    """Each day echoed with its year, to be confirmed before anything else is asked."""
    lines = check_the_year(draft.days)
    choices = (Choice(_("Yes, that's right"), "cvy:yes"), Choice(_("No, another day"), "cvy:no"))
    return reply(*lines, choices=choices)


def day_again(ctx: Ctx, problem: Msg, *, skip_today: bool = False, week: date | None = None) -> Reply:
    """What is wrong with the day, the next weekdays to pick from (not today when today is what has passed, so
    pressing it cannot ask the same again; the days of `week` when she named a week), and a way out."""
    today = ctx.now.astimezone(ctx.zone).date()
    days = day_choices(ctx, skip_today=skip_today) if week is None else week_choices(week, since=today)
    return reply(problem, choices=(*days, Choice(_("Cancel"), "cv:cancel")))


def no_day(parsed: ParsedRequest, *, today: date | None = None) -> Msg:
    """Why a message gave no day ahead: it has passed, it does not exist, or none was found."""
    if parsed.past_shifts:
        return passed(parsed.past_shifts[0])
    if parsed.impossible_date is not None:
        return no_such_date(*parsed.impossible_date)
    if parsed.week_unread is not None and (today is None or parsed.week_unread > today):  # next week: a weekday
        tuesday = parsed.week_unread + timedelta(days=1)  # typed now would be this week's: her example is a date
        example = Localized(f"{tuesday.month}/{tuesday.day}", f"{tuesday.day}/{tuesday.month}")
        return _("Which day next week? Pick one, or type its date (for example: {example}).", example=example)
    if parsed.week_unread is not None:
        return _("Which day this week? Pick one or type it (for example: Friday).")
    if parsed.unread_range:
        return _("A range of days has to go forward and last a month at most. Which days do you need?")
    return _("I couldn't find a day in that. Try: today, tomorrow, Friday, or 12/8.")


def passed(shift: ShiftSpec) -> Msg:
    return already_passed(shift.day, shift.start)


def passed_and_left_out(days: Sequence[date]) -> Msg:
    """`Fri 27 Nov has already passed, so I left it out.` — days in a row written as one stretch (`Wed 25 Nov–Fri
    27 Nov`)."""
    return sentence(
        n_(
            "{days} has already passed, so I left it out.",
            "{days} have already passed, so I left them out.",
            len(days),
            days=stretches_of(days),
        )
    )


def asked_already_and_left_out(windows: Sequence[tuple[date, time, time]]) -> Msg:
    """`You already asked for cover at times that overlap Tue 1 Dec, 14:00–16:00, so I left it out.` — the hours
    of a series she asked for before, in part or whole (the rest of the series goes on)."""
    named = Joined(tuple(_("{day}, {start}–{end}", day=day, start=start, end=end) for day, start, end in windows), "; ")
    return n_(
        "You already asked for cover at times that overlap {days}, so I left it out.",
        "You already asked for cover at times that overlap {days}, so I left them out.",
        len(windows),
        days=named,
    )


def stretches_of(days: Sequence[date]) -> Joined:
    """The days, those in a row written as one stretch: `Mon 30 Nov, Wed 2 Dec–Fri 4 Dec`."""
    stretches: list[list[date]] = []
    for day in sorted(days):
        if stretches and day - stretches[-1][-1] == timedelta(days=1):
            stretches[-1].append(day)
        else:
            stretches.append([day])
    return Joined(
        tuple(
            Msg("{day}", (("day", s[0]),)) if len(s) == 1 else Msg("{first}–{last}", (("first", s[0]), ("last", s[-1])))
            for s in stretches
        )
    )


def no_such_date(month: int, day: int, *, left_out: bool = False) -> Msg:
    """`February has no 30th`, the month in the reader's language (Babel's names)."""
    if not 1 <= month <= 12:
        if left_out:
            return _("There is no month {month} (I read dates as month/day), so I left that date out.", month=month)
        return _("There is no month {month} (I read dates as month/day). Which day do you need?", month=month)
    name, ordinal = month_label(month), ordinal_label(day)
    if left_out:
        return _("{month} has no {day}, so I left that date out.", month=name, day=ordinal)
    return _("{month} has no {day}. Which day do you need?", month=name, day=ordinal)


def not_a_room(ctx: Ctx, name: str) -> Msg:
    """A room she named that her site does not have: whose it is, if anyone's, and which of hers it should be."""
    site = my_site(ctx)
    other = site_with_room(ctx.session, name, besides=site.id)
    if other is None:
        return _("{site} has no room called {room}. Which room needs the floater?", site=site.name, room=name)
    return _(
        "{room} is a room of {other}, not of {site}. Which room of {site} needs the floater?",
        room=name,
        other=other,
        site=site.name,
    )


def day_choices(ctx: Ctx, *, skip_today: bool = False) -> tuple[Choice, ...]:
    today = ctx.now.astimezone(ctx.zone).date()
    first = 1 if skip_today else 0
    days = [today + timedelta(days=n) for n in range(first, 9) if (today + timedelta(days=n)).weekday() < 5]
    return tuple(Choice(_("{day}", day=day), f"cvd:{day.isoformat()}") for day in days[:WEEKDAYS_OFFERED])


def week_choices(monday: date, *, since: date) -> tuple[Choice, ...]:
    """Monday to Friday of the week that begins on `monday`, from `since` on (this week: the days left)."""
    days = [day for n in range(5) if (day := monday + timedelta(days=n)) >= since]
    return tuple(Choice(_("{day}", day=day), f"cvd:{day.isoformat()}") for day in days)


def my_rooms(ctx: Ctx) -> list[Room]:
    """The rooms of her site, in the roster's order: read once per message, whichever steps ask."""
    site_id = ctx.me.site_id
    assert site_id is not None
    return ctx.once(("site rooms", site_id), lambda: site_rooms(ctx.session, site_id=site_id))


def my_site(ctx: Ctx) -> Site:
    site = ctx.me.site
    assert site is not None
    return site


def _plus(start: time, hours: int) -> time:
    minutes = min(start.hour * 60 + start.minute + hours * 60, 23 * 60 + 59)
    return time(minutes // 60, minutes % 60)
