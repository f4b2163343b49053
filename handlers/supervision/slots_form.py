"""A supervisor publishes sessions with one form (Slack's modal): the questions of [New session] at once, the same
checks (past, the place's hours, her other sessions) and the same publishing as the chat's [Publish]."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from handlers.context import Ctx
from handlers.contract import Reply
from handlers.forms import (
    Errors,
    Field,
    FieldErrors,
    FieldKind,
    Form,
    FormSpec,
    Option,
    Values,
    read_choice,
    read_date,
    read_time,
)
from handlers.i18n import Msg, _, n_, verbatim
from handlers.registry import registry
from handlers.supervision.describe import VIDEO
from handlers.supervision.policy import SUPERVISORS
from handlers.supervision.slots import LENGTHS, REPEATS, plan, publish, refusal
from models.roster.queries import other_sites
from models.supervision.tables import Repeat

NAME = "slots"
DAY, START, MINUTES, REPEAT, WEEKS, SEATS, PLACE = "day", "start", "minutes", "repeat", "weeks", "seats", "place"
WEEK_COUNTS = (4, 8, 12)
SEAT_COUNTS = (1, 2, 3, 4)


def describe(ctx: Ctx) -> Form:
    """Tomorrow at 10:00 for an hour, once, one-to-one, by video call — each changeable."""
    tomorrow = ctx.now.astimezone(ctx.zone).date() + timedelta(days=1)
    places = (
        Option("video", VIDEO),
        *(Option(str(s.id), verbatim(s.name)) for s in other_sites(ctx.session, site_id=None)),
    )
    fields = (
        Field(DAY, FieldKind.DATE, _("Day"), initial=tomorrow.isoformat()),
        Field(START, FieldKind.TIME, _("From"), initial="10:00"),
        Field(
            MINUTES,
            FieldKind.CHOICE,
            _("How long is it?"),
            _options(LENGTHS, lambda m: _("{minutes} min", minutes=m)),
            "60",
        ),
        Field(
            REPEAT,
            FieldKind.CHOICE,
            _("Does it repeat?"),
            tuple(Option(r.value, label) for r, label in REPEATS.items()),
            Repeat.NONE.value,
        ),
        Field(
            WEEKS,
            FieldKind.CHOICE,
            _("Until when?"),
            _options(WEEK_COUNTS, lambda w: n_("For {count} week", "For {count} weeks", w)),
            "4",
        ),
        Field(
            SEATS,
            FieldKind.CHOICE,
            _("How many teachers can join?"),
            _options(SEAT_COUNTS, lambda n: verbatim(str(n))),
            "1",
        ),
        Field(PLACE, FieldKind.CHOICE, _("Where?"), places, "video"),
    )
    return Form(NAME, _("New session"), _("Publish"), fields)


def submit(ctx: Ctx, values: Values) -> list[Reply]:
    """Checks each field, then the chat's refusals (on the day), then publishes as [Publish] does."""
    errors = Errors()
    day, start = read_date(values, DAY, errors), read_time(values, START, errors)
    minutes = read_choice(values, MINUTES, {str(m): m for m in LENGTHS}, errors)
    repeat = read_choice(values, REPEAT, {r.value: r for r in Repeat}, errors)
    weeks = read_choice(values, WEEKS, {str(w): w for w in WEEK_COUNTS}, errors)
    seats = read_choice(values, SEATS, {str(n): n for n in SEAT_COUNTS}, errors)
    sites = {str(s.id): s for s in other_sites(ctx.session, site_id=None)}
    place = read_choice(values, PLACE, {"video": None, **sites}, errors)
    errors.check()
    assert day is not None
    assert start is not None
    site_id = None if place in (None, "video") else int(str(place))
    times = plan(ctx, day, start, int(str(minutes)), Repeat(str(repeat)), int(str(weeks)), site_id)
    refused = refusal(ctx, site_id, times)
    if refused is not None:
        raise FieldErrors({DAY: refused})
    return publish(ctx, times, capacity=int(str(seats)), site_id=site_id, repeat=Repeat(str(repeat)))


def _options(numbers: tuple[int, ...], label: Callable[[int], Msg]) -> tuple[Option, ...]:
    return tuple(Option(str(n), label(n)) for n in numbers)


registry.form(FormSpec(NAME, SUPERVISORS, describe, submit, main_field=DAY, command="slots"))
