"""A teacher signs up for reflective supervision: `/supervision` (or "sign me up for reflective supervision
thursday") shows the open sessions that fit — her own supervisor's first — as buttons; one tap books one, or the
weekly series; a full one offers the waitlist. The booking asks for its own classroom cover.

/supervision ──► [session] ──► booked, cover asked ──► (a floater accepts) confirmed, with a calendar file
            └──► [every week] ──► each session of the series booked
            └──► [Join the waitlist] (full) ──► waitlisted ──► (a seat frees) [Keep it] [Give it up]
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.describe import when
from handlers.errors import UserError
from handlers.i18n import Joined, Msg, _
from handlers.labels import month_label, ordinal_label
from handlers.parsing import fold, parse_request
from handlers.parsing.vocab import WEEKDAYS
from handlers.registry import registry
from handlers.supervision import service
from handlers.supervision.describe import session_line
from handlers.supervision.events import Why
from handlers.supervision.views import sessions
from models.roster.queries import active_person_ids, people_by_id
from models.roster.tables import Person
from models.supervision.queries import Offered, bookable, upcoming_of_teacher
from models.supervision.tables import SEATED, BookingStatus, Repeat, SupervisionSeries, SupervisionSession

TEACHERS = frozenset({"teacher"})
MAX_CHOICES = 6
COVER_WORDS = re.compile(r"\b(floater|flotante|cover|cubr\w*|sub|substitute|suplente)\b")
WANTS = re.compile(r"\b(reflective supervision|supervision|supervisión|supervision reflexiva|reflexiva|coaching)\b")
# Weekdays as the parser knows them (folded: lun, mié → mie, jue, sáb → sab …), so a wish reads like a request.
ABSENT = re.compile(r"\b(sick|ill|absent|enferm\w*|ausente|malestar)\b")
LEAVING = re.compile(
    r"\b(cancel\w*|no (puedo|podre|voy a poder) ir|no voy a ir|can ?not (make|come|go)|can'?t (make|come|go)|miss)\b"
)
registry.hint(
    TEACHERS, _("For reflective supervision, send /supervision or write: sign me up for supervision thursday.")
)


@registry.text(before=True)  # else cover would read "supervision thursday" as a request
def read_wish(ctx: Ctx, text: str) -> list[Reply]:
    """ "sign me up for reflective supervision thursday", "quiero supervisión reflexiva el jueves a las 14": the
    sessions of the days it names (read like a cover request), or all that fit; a past day is said so."""
    folded = fold(text)
    if not WANTS.search(folded) or COVER_WORDS.search(folded):
        return []  # "floater thu 8-12 for supervision" asks for cover
    if "teacher" not in ctx.roles:
        if ABSENT.search(folded):
            return []
        return [reply(_("Teachers book reflective supervision themselves, with /supervision."))]
    if ABSENT.search(folded):
        return []  # "out sick tomorrow, I will miss supervision" is a cover request for her absence
    if LEAVING.search(folded):
        return sessions(ctx, "")  # "cancel my supervision on tuesday": hers, each with [Cancel]
    site = ctx.me.site
    opens, closes = (site.opens, site.closes) if site is not None else (None, None)
    parsed = parse_request(text, now=ctx.now, zone=ctx.zone, opens=opens, closes=closes, lang=ctx.lang)
    chosen = _supervisors_named(ctx, folded)
    if parsed.past:
        return choices_for(ctx, note=_("That day has already passed; here are the sessions ahead."), by=chosen)
    if parsed.impossible_date is not None and not parsed.shifts:  # `feb 30`: said, as a cover request says it
        month, day = parsed.impossible_date
        note = _("{month} has no {day}; here are the sessions ahead.", month=month_label(month), day=ordinal_label(day))
        return choices_for(ctx, note=note, by=chosen)
    days = {shift.day for shift in parsed.shifts} or _week_named(ctx, parsed.week_unread)
    if not days:
        named = {day for word, day in WEEKDAYS.items() if re.search(rf"\b{word}\b", folded)}
        return choices_for(ctx, weekdays=named or None, by=chosen)
    return choices_for(ctx, days=days, by=chosen)


def _supervisors_named(ctx: Ctx, folded: str) -> set[int]:
    """The supervisors whose first (or full) name she wrote: "book supervision with marisol"."""
    ids = active_person_ids(ctx.session, roles=("supervisor",))
    people = people_by_id(ctx.session, ids=ids)
    return {
        person_id
        for person_id, person in people.items()
        if re.search(rf"\b{re.escape(fold(person.name).split()[0])}\b", folded)
    }


def _week_named(ctx: Ctx, monday: date | None) -> set[date]:
    """The days of the week the parser found named without its day ("next week", "esta semana"), from today on."""
    if monday is None:
        return set()
    today = ctx.now.astimezone(ctx.zone).date()
    return {day for n in range(7) if (day := monday + timedelta(days=n)) >= today}


@registry.command("supervision", _("book reflective supervision"), roles=TEACHERS)
def supervision(ctx: Ctx, args: str) -> list[Reply]:
    """The open sessions that fit her, as buttons."""
    return choices_for(ctx)


def choices_for(
    ctx: Ctx,
    *,
    days: set[date] | None = None,
    weekdays: set[int] | None = None,
    note: Msg | None = None,
    by: set[int] | None = None,
) -> list[Reply]:
    """Her own supervisor's sessions first (or only those of the supervisors `by` she named); one button per
    session (and per weekly series), the waitlist for a full one."""
    if ctx.me.room_id is None:
        raise UserError(_("You need a classroom on the roster to book supervision; ask your Hub coordinator."))
    found = open_for(ctx, ctx.me)
    if by:
        theirs = [o for o in found if o.session.supervisor_id in by]
        if theirs:
            found = theirs
        elif found:
            note = _("No sessions of that supervisor fit; here are the others.")
    if days or weekdays:
        wanted = [o for o in found if _on(ctx, o.session, days or set(), weekdays or set())]
        if wanted:
            found = wanted
        elif found:
            note = _("No sessions fit then; here are the others.")
    lines, choices = listing(ctx, found)
    if not lines:
        return [reply(_("No open sessions fit in the next weeks. Ask your supervisor, or try /supervision later."))]
    return [reply(*([note] if note is not None else []), *lines, choices=choices)]


def open_for(ctx: Ctx, teacher: Person, *, after: datetime | None = None) -> list[Offered]:
    """The open sessions she may book in the next weeks (from `after`, by default now) — not one she left that
    starts inside the cover deadline (her director has just said nobody covers her room then)."""
    rules = service.policy(ctx)
    found = bookable(
        ctx.session,
        teacher_id=teacher.id or 0,
        own_supervisor_id=teacher.supervisor_id,
        start=after or ctx.now,
        end=ctx.now + timedelta(weeks=rules.weeks_ahead),
        limit=40,
        left_before=ctx.now + rules.cover_deadline,
    )
    busy = [s for _b, s in upcoming_of_teacher(ctx.session, teacher_id=teacher.id or 0, now=ctx.now)]
    return [o for o in found if not any(_overlap(o.session, s) for s in busy)]  # she can't be in two at once


def _overlap(one: SupervisionSession, other: SupervisionSession) -> bool:
    return one.starts_at < other.ends_at and other.starts_at < one.ends_at


def listing(ctx: Ctx, found: list[Offered]) -> tuple[list[Msg], tuple[Choice, ...]]:
    """The numbered lines and their buttons (none when nothing is offered)."""
    found = _one_per_series(found)[:MAX_CHOICES]
    if not found:
        return [], ()
    lines: list[Msg] = [_("Reflective supervision — pick a session (your classroom cover is booked for you):")]
    choices: list[Choice] = []
    for number, offered in enumerate(found, start=1):
        line = session_line(ctx, offered.session)
        lines.append(
            _("{number}. {session} (full)", number=number, session=line)
            if offered.full
            else _("{number}. {session}", number=number, session=line)
        )
        choices += _buttons(ctx, number, offered)
    return lines, tuple(choices)


def _on(ctx: Ctx, sitting: SupervisionSession, days: set[date], weekdays: set[int]) -> bool:
    local = sitting.starts_at.astimezone(ctx.site_zone(sitting.site_id)).date()
    return local in days or local.weekday() in weekdays


def _one_per_series(found: list[Offered]) -> list[Offered]:
    """The next session of each series (its others are one [every week] tap away), and every single one."""
    seen: set[int] = set()
    kept = []
    for offered in found:
        series = offered.session.series_id
        if series is None or series not in seen:
            kept.append(offered)
            if series is not None:
                seen.add(series)
    return kept


def _buttons(ctx: Ctx, number: int, offered: Offered) -> list[Choice]:
    sitting = offered.session
    if offered.full:
        return [Choice(_("{number}: join the waitlist", number=number), f"rsw:{sitting.id}")]
    buttons = [Choice(_("{number}: book it", number=number), f"rsb:{sitting.id}")]
    series = ctx.session.get(SupervisionSeries, sitting.series_id) if sitting.series_id is not None else None
    if series is not None:
        label = (
            _("{number}: every two weeks", number=number)
            if series.repeat == Repeat.BIWEEKLY
            else _("{number}: every week", number=number)
        )
        buttons.append(Choice(label, f"rss:{sitting.id}"))
    return buttons


@registry.button("rsb")
def book_one(ctx: Ctx, arg: str) -> list[Reply]:
    """Books the session and asks for her classroom's cover."""
    sitting = _session(ctx, arg)
    service.book(ctx, session_id=sitting.id or 0, teacher_id=ctx.person_id)
    return [_booked(ctx, [sitting])]


@registry.button("rss")
def book_series(ctx: Ctx, arg: str) -> list[Reply]:
    """Books this session and every later one of its series that she has not booked (full ones: waitlist)."""
    first = _session(ctx, arg)
    later = [
        o.session
        for o in bookable(
            ctx.session,
            teacher_id=ctx.person_id,
            own_supervisor_id=ctx.me.supervisor_id,
            start=first.starts_at,
            end=first.starts_at + timedelta(weeks=52),
            limit=60,
        )
        if o.session.series_id == first.series_id and first.series_id is not None
    ]
    if not later:  # a second tap: the first booked them all
        return [reply(_("You already have every session of this series. Send /sessions to see them."))]
    booked: list[SupervisionSession] = []
    waitlisted: list[SupervisionSession] = []
    skipped: list[Msg] = []
    for sitting in later:
        problem = _book_one_of_series(ctx, sitting)
        if isinstance(problem, BookingStatus):
            (waitlisted if problem == BookingStatus.WAITLISTED else booked).append(sitting)
        else:
            skipped.append(_("Not booked: {when} — {why}", when=_when(ctx, sitting), why=problem))
    return [_booked(ctx, booked, waitlisted=waitlisted, skipped=skipped)]


def _book_one_of_series(ctx: Ctx, sitting: SupervisionSession) -> BookingStatus | Msg:
    """One session of the series in a savepoint of its own: its status, or why it can't be booked (say she
    already asked for cover of her room that day) — the others are booked all the same."""
    try:
        with ctx.attempt():
            booking = service.book(ctx, session_id=sitting.id or 0, teacher_id=ctx.person_id, waitlist=True)
    except UserError as problem:
        return problem.message
    return booking.status


def _when(ctx: Ctx, sitting: SupervisionSession) -> Msg:
    return when(sitting.starts_at, sitting.ends_at, ctx.site_zone(sitting.site_id))


@registry.button("rsw")
def join_waitlist(ctx: Ctx, arg: str) -> list[Reply]:
    """A place on the waitlist; she gets the first seat that frees, and is asked to keep it."""
    sitting = _session(ctx, arg)
    booking = service.book(ctx, session_id=sitting.id or 0, teacher_id=ctx.person_id, waitlist=True)
    if booking.status != BookingStatus.WAITLISTED:
        return [_booked(ctx, [sitting])]
    return [
        reply(
            _(
                "You are on the waitlist for {session}. I'll tell you if a seat opens.",
                session=session_line(ctx, sitting),
            )
        )
    ]


@registry.button("rsk")
def keep_seat(ctx: Ctx, arg: str) -> list[Reply]:
    """[Keep it]: nothing to change — unless the place has ended meanwhile (a stale button)."""
    booking = service.get_booking(ctx, int(arg) if arg.isdigit() else 0)
    if booking.teacher_id != ctx.person_id or booking.status not in SEATED:
        return [reply(_("That place had already ended. Send /sessions to see your sessions."))]
    if booking.status == BookingStatus.CONFIRMED:
        return [reply(_("OK, nothing changed."))]
    return [reply(_("Good — the seat is yours. I'll confirm when your classroom is covered."))]


@registry.button("rsg")
def give_up(ctx: Ctx, arg: str) -> list[Reply]:
    """She gives up the seat she got from the waitlist; it goes to the next in line."""
    booking = service.get_booking(ctx, int(arg) if arg.isdigit() else 0)
    if booking.teacher_id != ctx.person_id:
        raise UserError(_("That button is no longer active. Send /sessions to see your sessions."))
    if booking.status == BookingStatus.CANCELLED:  # a second tap
        return [reply(_("You already gave that seat up. Send /supervision to book another."))]
    if not service.cancel_booking(ctx, booking_id=booking.id or 0, why=Why.TEACHER, by=ctx.person_id):
        return [reply(_("That place had already ended. Send /sessions to see your sessions."))]
    return []


def _session(ctx: Ctx, arg: str) -> SupervisionSession:
    if not arg.isdigit():
        raise UserError(_("That button is no longer active. Send /supervision to start again."))
    return service.get_session(ctx, int(arg))


def _booked(
    ctx: Ctx,
    sessions: list[SupervisionSession],
    *,
    waitlisted: list[SupervisionSession] | None = None,
    skipped: list[Msg] | None = None,
) -> Reply:
    """What she booked (and asked cover for); in a series also where she is waitlisted and what was not booked."""
    lines: list[Msg] = []
    if sessions:
        soon = sessions[0].starts_at - ctx.now <= service.policy(ctx).cover_deadline
        lines += [
            _("Booked: {sessions}.", sessions=_days(ctx, sessions)),
            _("I'm asking a floater to cover your classroom; you'll get a confirmation with a calendar file."),
        ]
        if soon:
            lines.append(_("It starts soon, so your director is asked now too, in case no floater accepts in time."))
    if waitlisted:
        lines.append(_("On the waitlist (full): {sessions}.", sessions=_days(ctx, waitlisted)))
    lines += skipped or []
    lines.append(_("Send /sessions to see or cancel your sessions."))
    return reply(*lines)


def _days(ctx: Ctx, sessions: list[SupervisionSession]) -> Msg | Joined:
    """The first six sessions' days, and how many more (rendered with the reply: in her language, a far day with
    its year)."""
    days = Joined(tuple(_when(ctx, s) for s in sessions[:6]))
    return Msg("{days} (+{more})", (("days", days), ("more", len(sessions) - 6))) if len(sessions) > 6 else days
