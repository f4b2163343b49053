"""Supervision as a service: book a session (its classroom cover asked of the cover service), cancel one or a
series of hers, the director's choice when no cover comes (the supervisor's moves and cancels: changes.py).
Functions of the `Ctx` that change the data and record events; no chat in them."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Ctx
from handlers.cover import service as cover
from handlers.errors import UserError
from handlers.i18n import _
from handlers.reminders import reminder_times
from handlers.supervision.events import (
    BookingCancelled,
    BookingConfirmed,
    DirectorAsked,
    NotHeld,
    SeatGiven,
    SeriesLeft,
    SessionBooked,
    Why,
)
from handlers.supervision.policy import DEADLINE, REMIND, START, SupervisionPolicy
from models.cover.tables import Origin, Reason
from models.messaging import tasks
from models.roster.tables import Person
from models.supervision import writes
from models.supervision.queries import bookings_of_session, upcoming_of_teacher
from models.supervision.tables import (
    LIVE,
    SEATED,
    BookingStatus,
    SessionStatus,
    SupervisionBooking,
    SupervisionSession,
)


def policy(ctx: Ctx) -> SupervisionPolicy:
    return ctx.config.policy(SupervisionPolicy)


def get_session(ctx: Ctx, session_id: int) -> SupervisionSession:
    found = ctx.session.get(SupervisionSession, session_id)
    if found is None or found.status != SessionStatus.OPEN:
        raise UserError(_("That session is no longer offered. Send /supervision to see the open ones."))
    return found


def get_booking(ctx: Ctx, booking_id: int) -> SupervisionBooking:
    found = ctx.session.get(SupervisionBooking, booking_id)
    if found is None:
        raise UserError(_("That button is no longer active. Send /sessions to see your sessions."))
    return found


def book(ctx: Ctx, *, session_id: int, teacher_id: int, waitlist: bool = False) -> SupervisionBooking:
    """A seat and its classroom cover asked for — or, when the session is full and she asked to, a place on the
    waitlist. Refused for a past session, one she already has, or a teacher without a classroom."""
    sitting = get_session(ctx, session_id)
    teacher = ctx.session.get(Person, teacher_id)
    if teacher is None or teacher.room_id is None:
        raise UserError(_("You need a classroom on the roster to book supervision; ask your Hub coordinator."))
    if sitting.starts_at <= ctx.now:
        raise UserError(_("That session has already started. Send /supervision to see the open ones."))
    mine = bookings_of_session(ctx.session, session_id=session_id, statuses=LIVE)
    if any(b.teacher_id == teacher_id and b.status == BookingStatus.WAITLISTED for b in mine):
        raise UserError(_("You are already on the waitlist for that session. Send /sessions to see it."))
    if any(b.teacher_id == teacher_id for b in mine):
        raise UserError(_("You already have a place in that session. Send /sessions to see it."))
    for _mine, other in upcoming_of_teacher(ctx.session, teacher_id=teacher_id, now=ctx.now):
        if other.starts_at < sitting.ends_at and other.ends_at > sitting.starts_at:
            raise UserError(_("You already have a supervision session at that time. Send /sessions to see it."))
    booking = writes.book(ctx.session, session_id=session_id, teacher_id=teacher_id, at=ctx.now)
    if booking.status == BookingStatus.WAITLISTED and not waitlist:
        raise UserError(_("That session has just filled up. Join its waitlist, or pick another."))
    if booking.status != BookingStatus.WAITLISTED:
        ask_cover(ctx, booking, sitting, teacher)
    ctx.record(SessionBooked(booking.id or 0, waitlisted=booking.status == BookingStatus.WAITLISTED))
    return booking


def ask_cover(ctx: Ctx, booking: SupervisionBooking, sitting: SupervisionSession, teacher: Person) -> None:
    """Cover of her room for the session (and the travel either side when it is not at her site), and the
    booking's timers: the director's deadline, the start, the reminders."""
    travel = policy(ctx).travel if sitting.site_id not in (None, teacher.site_id) else timedelta(0)
    requested = cover.request_cover(
        ctx,
        requester_id=teacher.id or 0,
        room_id=teacher.room_id or 0,
        windows=[(sitting.starts_at - travel, sitting.ends_at + travel)],
        reason=Reason.REFLECTION,
        origin=Origin.SUPERVISION,
    )
    writes.set_shift(ctx.session, booking_id=booking.id or 0, shift_id=requested.shift_ids[0])
    set_timers(ctx, booking, sitting)


def set_timers(ctx: Ctx, booking: SupervisionBooking, sitting: SupervisionSession) -> None:
    rules = policy(ctx)
    stamp = {"booking_id": booking.id, "starts_at": sitting.starts_at.isoformat()}
    key = f"{booking.id}:{int(sitting.starts_at.timestamp())}:{int(ctx.now.timestamp())}"
    deadline = max(ctx.now, sitting.starts_at - rules.cover_deadline)
    timers = [
        tasks.Timer(DEADLINE, deadline, stamp, f"rs-deadline:{key}"),
        tasks.Timer(START, sitting.starts_at, stamp, f"rs-start:{key}"),
    ]
    zone = ctx.site_zone(sitting.site_id)
    times = reminder_times(ctx, sitting.starts_at, zone, evening=rules.reminder_evening, before=rules.reminder_before)
    timers += [tasks.Timer(REMIND, due, {**stamp, "kind": which}, f"rs-remind:{which}:{key}") for which, due in times]
    tasks.schedule_many(ctx.session, timers)  # one statement for the booking's timers


def confirm(ctx: Ctx, booking: SupervisionBooking, *, in_house: bool = False) -> bool:
    """Her classroom is covered: the session will happen."""
    done = writes.change_booking(
        ctx.session,
        booking_id=booking.id or 0,
        to=BookingStatus.CONFIRMED,
        at=ctx.now,
        only_from=(BookingStatus.AWAITING_COVER,),
        covered_in_house=in_house,
        invited=True,  # the confirmation carries her calendar file
    )
    if done:
        ctx.record(BookingConfirmed(booking.id or 0, in_house=in_house))
    return done


def cancel_booking(ctx: Ctx, *, booking_id: int, why: Why, by: int | None, quiet: bool = False) -> bool:
    """Her place ends; her cover shift is cancelled (its floater told by cover); a freed seat goes to the first
    on the waitlist. False when it had already ended. `quiet`: the caller tells her once for several."""
    booking = get_booking(ctx, booking_id)
    seated = booking.status in SEATED
    if not writes.change_booking(
        ctx.session, booking_id=booking_id, to=BookingStatus.CANCELLED, at=ctx.now, only_from=LIVE
    ):
        return False
    if booking.shift_id is not None and why != Why.COVER_CANCELLED:
        cover.cancel(ctx, shift_id=booking.shift_id, by=by)
    writes.raise_sequence(ctx.session, booking_id=booking_id)
    given = give_seat(ctx, booking.session_id, freed_by=None if quiet else booking_id) if seated else None
    if not quiet:
        ctx.record(BookingCancelled(booking_id, why, seat_to=given))
    return True


def give_seat(ctx: Ctx, session_id: int, *, freed_by: int | None = None) -> int | None:
    """The first on the waitlist whose cover can be asked for gets the freed seat: her booking's id. `freed_by`:
    the booking whose end freed it, when the supervisor hears of both in one message."""
    sitting = ctx.session.get(SupervisionSession, session_id)
    if sitting is None or sitting.status != SessionStatus.OPEN or sitting.starts_at <= ctx.now:
        return None
    for waiting in bookings_of_session(ctx.session, session_id=session_id, statuses=(BookingStatus.WAITLISTED,)):
        teacher = ctx.session.get(Person, waiting.teacher_id)
        assert teacher is not None
        try:
            with ctx.attempt():
                writes.change_booking(
                    ctx.session,
                    booking_id=waiting.id or 0,
                    to=BookingStatus.AWAITING_COVER,
                    at=ctx.now,
                    only_from=(BookingStatus.WAITLISTED,),
                )
                ask_cover(ctx, waiting, sitting, teacher)
        except UserError:
            continue  # her cover can't be asked for then (say she asked for other cover): the next in line
        ctx.record(SeatGiven(waiting.id or 0, freed_by=freed_by))
        return waiting.id
    return None


def no_cover_by_deadline(ctx: Ctx, booking: SupervisionBooking) -> None:
    if booking.status == BookingStatus.AWAITING_COVER:
        ctx.record(DirectorAsked(booking.id or 0))


def covered_in_house(ctx: Ctx, booking: SupervisionBooking) -> bool:
    """The site covers her room itself: confirmed, and the floaters' offers withdrawn."""
    if not confirm(ctx, booking, in_house=True):
        return False
    if booking.shift_id is not None:
        cover.cancel(ctx, shift_id=booking.shift_id, by=None)
    return True


def started(ctx: Ctx, booking: SupervisionBooking) -> None:
    """At the start, still no cover: recorded as not held, and the cover request withdrawn."""
    if writes.change_booking(
        ctx.session,
        booking_id=booking.id or 0,
        to=BookingStatus.NOT_HELD,
        at=ctx.now,
        only_from=(BookingStatus.AWAITING_COVER,),
    ):
        if booking.shift_id is not None:
            cover.cancel(ctx, shift_id=booking.shift_id, by=None)
        ctx.record(NotHeld(booking.id or 0))


def leave_series(ctx: Ctx, *, booking_id: int, by: int) -> list[int]:
    """A teacher cancels this booking and her later ones of the same series (each cover cancelled, each freed
    seat given on); she and her supervisor are told once."""
    booking = get_booking(ctx, booking_id)
    sitting = ctx.session.get(SupervisionSession, booking.session_id)
    assert sitting is not None
    hers = [
        b
        for b, s in upcoming_of_teacher(ctx.session, teacher_id=booking.teacher_id, now=ctx.now)
        if s.series_id is not None and s.series_id == sitting.series_id and s.starts_at >= sitting.starts_at
    ] or [booking]
    left = [b.id or 0 for b in hers if cancel_booking(ctx, booking_id=b.id or 0, why=Why.TEACHER, by=by, quiet=True)]
    if left:
        ctx.record(SeriesLeft(tuple(left)))
    return left
