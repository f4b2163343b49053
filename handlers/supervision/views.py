"""What each person sees of supervision: /sessions (hers, or a supervisor's bookings), /hours (her protected time
this year), and a teacher cancelling one of hers."""

from __future__ import annotations

import calendar
from datetime import datetime, time, timedelta

from handlers.confirm import confirm
from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.describe import name_of, when
from handlers.errors import UserError
from handlers.i18n import Msg, Number, _
from handlers.registry import registry
from handlers.supervision import service
from handlers.supervision.describe import own_line, session_line
from handlers.supervision.events import Why
from models.cover.queries import protected_minutes
from models.roster.queries import people_by_id
from models.supervision.queries import (
    bookings_of_session,
    held_minutes,
    sessions_between,
    upcoming_of_site,
    upcoming_of_supervisor,
    upcoming_of_teacher,
)
from models.supervision.tables import BookingStatus, SupervisionBooking, SupervisionSession

MAX_BUTTONS = 6
STATE_LABELS: dict[BookingStatus, Msg] = {
    BookingStatus.AWAITING_COVER: _("waiting for classroom cover"),
    BookingStatus.CONFIRMED: _("confirmed, classroom covered"),
    BookingStatus.WAITLISTED: _("on the waitlist"),
    BookingStatus.CANCELLED: _("cancelled"),
    BookingStatus.NOT_HELD: _("not held: no cover"),
}
PEOPLE = frozenset({"teacher", "supervisor", "director", "hub"})
SUPERVISOR_HORIZON = timedelta(weeks=2)


@registry.command("sessions", _("your reflective supervision sessions"), roles=PEOPLE, spanish="sesiones")
def sessions(ctx: Ctx, args: str) -> list[Reply]:
    """A teacher's upcoming sessions with their cover (and [Cancel]); a supervisor's sessions with who is booked;
    a director's teachers' sessions; the Hub is pointed to /board."""
    if "supervisor" in ctx.roles:
        return [supervisor_page(ctx)]
    if "teacher" in ctx.roles:
        return [teacher_page(ctx, 0)]
    if "director" in ctx.roles and ctx.me.site_id is not None:
        return [_site_view(ctx, ctx.me.site_id)]
    return [reply(_("/board lists today's and tomorrow's reflective supervision sessions with their cover."))]


def _site_view(ctx: Ctx, site_id: int) -> Reply:
    """A director's view: her teachers' sessions in the next two weeks, each with her classroom's cover."""
    theirs = upcoming_of_site(ctx.session, site_id=site_id, now=ctx.now, until=ctx.now + SUPERVISOR_HORIZON)
    if not theirs:
        return reply(_("None of your teachers has a reflective supervision session in the next two weeks."))
    lines: list[Msg] = [_("Your teachers' reflective supervision in the next two weeks:")]
    for booking, sitting in theirs:
        name = name_of(ctx.session, booking.teacher_id)
        lines.append(
            _(
                "• {name}, {session} — {state}",
                name=name,
                session=session_line(ctx, sitting),
                state=STATE_LABELS[booking.status],
            )
        )
    return reply(*lines)


@registry.button("rso")
def more(ctx: Ctx, arg: str) -> list[Reply]:
    """[More]: the next page of her sessions, with their [Cancel] buttons."""
    return [teacher_page(ctx, int(arg) if arg.isdigit() else 0)]


def teacher_page(ctx: Ctx, start: int) -> Reply:
    """Her upcoming sessions from `start` on, each with [Cancel], and [More] (/sessions and her Home tab)."""
    mine = upcoming_of_teacher(ctx.session, teacher_id=ctx.person_id, now=ctx.now)
    if not mine:
        return reply(_("You have no upcoming sessions. Send /supervision to book one."))
    shown = mine[start : start + MAX_BUTTONS]
    lines: list[Msg] = [_("Your reflective supervision:")]
    lines += [_("• {session} — {state}", session=session_line(ctx, s), state=STATE_LABELS[b.status]) for b, s in shown]
    choices = [
        Choice(_("Cancel {when}", when=when(s.starts_at, s.ends_at, ctx.site_zone(s.site_id))), f"rsx:{b.id}")
        for b, s in shown
    ]
    if len(mine) > start + MAX_BUTTONS:
        lines.append(_("({count} more: [More] shows them.)", count=len(mine) - start - MAX_BUTTONS))
        choices.append(Choice(_("More"), f"rso:{start + MAX_BUTTONS}"))
    return reply(*lines, choices=tuple(choices))


def supervisor_page(ctx: Ctx) -> Reply:
    """A supervisor's sessions in the next two weeks with who is booked (/sessions and her Home tab)."""
    upcoming = upcoming_of_supervisor(ctx.session, supervisor_id=ctx.person_id, now=ctx.now)
    if not upcoming:
        return reply(_("You have no upcoming sessions. Send /slots to publish some."))
    soon = [s for s in upcoming if s.starts_at < ctx.now + SUPERVISOR_HORIZON]
    lines: list[Msg] = [_("Your sessions in the next two weeks:")]
    if len(soon) < len(upcoming):
        lines.append(_("({count} more later: /slots lists them.)", count=len(upcoming) - len(soon)))
    for sitting in soon:
        lines.append(_("• {session}", session=own_line(ctx, sitting)))
        statuses = (BookingStatus.AWAITING_COVER, BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
        for booking in bookings_of_session(ctx.session, session_id=sitting.id or 0, statuses=statuses):
            name = name_of(ctx.session, booking.teacher_id)
            lines.append(_("   {name}: {state}", name=name, state=STATE_LABELS[booking.status]))
    return reply(*lines)


@registry.button("rsx")
def ask_cancel(ctx: Ctx, arg: str) -> list[Reply]:
    """Asks her to confirm cancelling one of her sessions."""
    booking = _hers(ctx, arg)
    series = (
        ((_("Cancel it and my later ones of the series"), f"rsxs:{booking.id}"),)
        if _later_of_series(ctx, booking)
        else ()
    )
    question = _("Cancel this reflective supervision session and its classroom cover?")
    return [confirm(ctx, question, _("Yes, cancel it"), f"rsxy:{booking.id}", also=series)]


@registry.button("rsxs")
def cancel_series(ctx: Ctx, arg: str) -> list[Reply]:
    """Cancels this place and her later ones of the same series, each with its cover; told once."""
    booking = _hers(ctx, arg)
    if not service.leave_series(ctx, booking_id=booking.id or 0, by=ctx.person_id):
        return [reply(_("That session was already cancelled or is over."))]
    return []


def _later_of_series(ctx: Ctx, booking: SupervisionBooking) -> bool:
    """Whether she has another upcoming booking, after this one, of the same series."""
    sitting = ctx.session.get(SupervisionSession, booking.session_id)
    if sitting is None or sitting.series_id is None:
        return False
    mine = upcoming_of_teacher(ctx.session, teacher_id=ctx.person_id, now=ctx.now)
    return any(s.series_id == sitting.series_id and s.starts_at > sitting.starts_at for _b, s in mine)


@registry.button("rsxy")
def cancel(ctx: Ctx, arg: str) -> list[Reply]:
    """Cancels her place and its cover (the floater is told); a freed seat goes to the waitlist."""
    booking = _hers(ctx, arg)
    if not service.cancel_booking(ctx, booking_id=booking.id or 0, why=Why.TEACHER, by=ctx.person_id):
        return [reply(_("That session was already cancelled or is over."))]
    return []


def _hers(ctx: Ctx, arg: str) -> SupervisionBooking:
    booking = service.get_booking(ctx, int(arg) if arg.isdigit() else 0)
    if booking.teacher_id != ctx.person_id:
        raise UserError(_("That button is no longer active. Send /sessions to see your sessions."))
    return booking


@registry.command("hours", _("your protected time this year"), roles=frozenset({"teacher"}), spanish="horas")
def hours(ctx: Ctx, args: str) -> list[Reply]:
    """Hours of reflective supervision (against the yearly target), planning and training this year."""
    local = ctx.now.astimezone(ctx.zone)
    year_start = datetime(local.year, 1, 1, tzinfo=ctx.zone)
    rs = held_minutes(ctx.session, teacher_id=ctx.person_id, start=year_start, end=ctx.now) / 60
    other = protected_minutes(ctx.session, requester_id=ctx.person_id, start=year_start, end=ctx.now)
    target = service.policy(ctx).hours_target_per_year
    done_share = local.timetuple().tm_yday / (366 if calendar.isleap(local.year) else 365)
    lines: list[Msg] = [
        _("Your protected time in {year}:", year=str(local.year)),
        _("Reflective supervision: {hours} h of {target} h this year.", hours=_h(rs), target=_h(target)),
        _(
            "Planning: {hours} h. Training: {training} h.",
            hours=_h(other.get("planning", 0) / 60),
            training=_h(other.get("training", 0) / 60),
        ),
    ]
    if rs < target * done_share:
        lines.append(_("You are behind the yearly pace — send /supervision to book a session."))
    return [reply(*lines)]


@registry.section("board")
def on_the_board(ctx: Ctx, site_id: int | None) -> list[Msg]:
    """Today's and tomorrow's sessions on the Hub's /board, each booking with the state of its cover; on a site's
    board, only the bookings of that site's teachers (whose classrooms need the cover)."""
    today = ctx.now.astimezone(ctx.config.zone).date()
    start = datetime.combine(today, time(0), tzinfo=ctx.config.zone)
    upcoming = sessions_between(ctx.session, start=start, end=start + timedelta(days=2))
    statuses = (BookingStatus.AWAITING_COVER, BookingStatus.CONFIRMED, BookingStatus.NOT_HELD)
    booked = {s.id: bookings_of_session(ctx.session, session_id=s.id or 0, statuses=statuses) for s in upcoming}
    teachers = people_by_id(ctx.session, ids={b.teacher_id for bookings in booked.values() for b in bookings})
    if site_id is not None:
        booked = {i: [b for b in bs if teachers[b.teacher_id].site_id == site_id] for i, bs in booked.items()}
        upcoming = [s for s in upcoming if booked[s.id]]
    if not upcoming:
        return []
    lines: list[Msg] = [_("Reflective supervision today and tomorrow:")]
    for sitting in upcoming:
        lines.append(_("• {session}", session=session_line(ctx, sitting)))
        for booking in booked[sitting.id]:
            lines.append(
                _("   {name}: {state}", name=teachers[booking.teacher_id].name, state=STATE_LABELS[booking.status])
            )
    return lines


def _h(value: float) -> Number:
    """Hours the reader's way: "1.5" in English, "1,5" in Spanish."""
    return Number(value, digits=1)
