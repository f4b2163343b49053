"""The cover request as one form (Slack's modal): the same request, checks and replies as the chat's flow.

describe: her site's rooms, its opening hours as the times' starting values, the reasons, "repeat weekly until".
submit: every field checked with the chat's own checks (the service's window rule, her own site's rooms, the
duplicate rule) and their messages, on the field to change; then `submit_request`, exactly as [Send] does.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from handlers.context import Ctx
from handlers.contract import Reply
from handlers.cover import service
from handlers.cover.ask import NO_SITE, REQUESTERS, room_for
from handlers.cover.describe import reason_label
from handlers.cover.draft import Draft, Window, utc_windows
from handlers.cover.questions import my_site
from handlers.cover.send import own_room, submit_request
from handlers.errors import UserError
from handlers.forms import Errors, Field, FieldKind, Form, FormSpec, Option, Values, read_choice, read_date, read_time
from handlers.i18n import _, n_
from handlers.labels import age_group_label
from handlers.parsing.weekly import MOST_OCCURRENCES
from handlers.registry import registry
from models.cover.queries import site_rooms
from models.cover.tables import Reason

NAME = "cover"
DAY, START, END, ROOM, REASON, UNTIL = "day", "start", "end", "room", "reason", "until"
PARTS = {service.Part.DAY: DAY, service.Part.START: START, service.Part.END: END}


def describe(ctx: Ctx) -> Form:
    """Tomorrow from opening to closing time, her own room chosen when she is a teacher."""
    if ctx.me.site_id is None:
        raise UserError(NO_SITE)
    site = my_site(ctx)
    tomorrow = ctx.now.astimezone(ctx.zone).date() + timedelta(days=1)
    rooms = tuple(
        Option(str(r.id), _("{room} ({age_group})", room=r.name, age_group=age_group_label(r.age_group)))
        for r in site_rooms(ctx.session, site_id=site.id or 0)
    )
    own = room_for(ctx, None)
    hours = _("{site} is open {opens}–{closes}.", site=site.name, opens=site.opens, closes=site.closes)
    fields = (
        Field(DAY, FieldKind.DATE, _("Day"), initial=tomorrow.isoformat()),
        Field(START, FieldKind.TIME, _("From"), initial=_hhmm(site.opens), hint=hours),
        Field(END, FieldKind.TIME, _("Until"), initial=_hhmm(site.closes)),
        Field(ROOM, FieldKind.CHOICE, _("Which room needs the floater?"), rooms, str(own) if own else None),
        Field(REASON, FieldKind.CHOICE, _("Reason"), tuple(Option(r.value, reason_label(r)) for r in Reason)),
        Field(UNTIL, FieldKind.DATE, _("Repeat weekly until"), optional=True, hint=_("Leave it empty for one day.")),
    )
    return Form(NAME, _("Request cover"), _("Send"), fields)


def submit(ctx: Ctx, values: Values) -> list[Reply]:
    """Checks every field (each problem on its field, nothing stored), then sends the request as [Send] does."""
    errors = Errors()
    day, until = read_date(values, DAY, errors), read_date(values, UNTIL, errors, optional=True)
    start, end = read_time(values, START, errors), read_time(values, END, errors)
    reason = read_choice(values, REASON, {r.value: r for r in Reason}, errors)
    room_id = _room(ctx, values.get(ROOM, ""), errors)
    days = _days(day, until, errors)
    if start is not None and end is not None:
        _check_hours(ctx, days, start, end, errors)
    errors.check()
    assert start is not None
    assert end is not None
    assert room_id is not None
    draft = Draft(windows=tuple(Window(d, start, end) for d in days), room_id=room_id, reason=reason)
    try:
        service.check_duplicate(
            ctx, requester_id=ctx.person_id, room=own_room(ctx, room_id), windows=utc_windows(draft, ctx.zone)
        )
    except UserError as problem:
        errors.add(DAY, problem.message)
    errors.check()
    return submit_request(ctx, draft)


def _room(ctx: Ctx, value: str, errors: Errors) -> int | None:
    """One of her own site's rooms (a forged or stale id gets the chat's answer)."""
    try:
        return own_room(ctx, int(value) if value.isdigit() else None).id
    except UserError as problem:
        errors.add(ROOM, problem.message)
        return None


def _days(day: date | None, until: date | None, errors: Errors) -> list[date]:
    """The day, and the same weekday each week up to `until` (inclusive)."""
    if day is None:
        return []
    if until is None:
        return [day]
    if until < day:
        errors.add(UNTIL, _("The last day must be on or after the first day."))
        return [day]
    days = [day + timedelta(weeks=n) for n in range((until - day).days // 7 + 1)]
    if len(days) > MOST_OCCURRENCES:
        too_many = n_(
            "That is more than {count} week; please pick an earlier last day.",
            "That is more than {count} weeks; please pick an earlier last day.",
            MOST_OCCURRENCES,
        )
        errors.add(UNTIL, too_many)
    return days


def _check_hours(ctx: Ctx, days: list[date], start: time, end: time, errors: Errors) -> None:
    """The service's rule for each window (past, end before start, outside the site's hours), on its field."""
    site = my_site(ctx)
    for start_at, end_at in utc_windows(Draft(windows=tuple(Window(d, start, end) for d in days)), ctx.zone):
        problem = service.window_problem(ctx, site, start_at, end_at)
        if problem is not None:
            errors.add(PARTS[problem.part], problem.message)
            return


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


registry.form(FormSpec(NAME, REQUESTERS, describe, submit, main_field=DAY, command="floater"))
