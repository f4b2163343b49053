"""The supervisor changes a session: cancel it (or it and the rest of its series), or move it — every booking
and its cover move or end with it; each person is told once (notify.py, notify_series.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.context import Ctx
from handlers.cover import service as cover
from handlers.cover.describe import when
from handlers.errors import UserError
from handlers.i18n import _
from handlers.supervision.events import SeriesCancelled, SessionCancelled, SessionMoved
from handlers.supervision.service import get_session, policy, set_timers
from models.roster.tables import Person, Site
from models.supervision import writes
from models.supervision.queries import bookings_of_session, outside_hours, overlapping, series_from
from models.supervision.tables import LIVE, SEATED, BookingStatus, SupervisionBooking, SupervisionSession


def cancel_session(ctx: Ctx, *, session_id: int, by: int) -> list[int]:
    """The supervisor cancels: every booking and its cover with it; each person is told once."""
    sitting = _hers(ctx, session_id, by)
    cancelled, waitlisted = _cancel_sitting(ctx, sitting, by)
    ctx.record(SessionCancelled(session_id, tuple(cancelled), tuple(waitlisted)))
    return cancelled


def cancel_series(ctx: Ctx, *, session_id: int, by: int) -> tuple[list[int], list[int]]:
    """The supervisor cancels this session and every later one of its series: (sessions, bookings) cancelled;
    each person is told once for all of them."""
    first = _hers(ctx, session_id, by)
    if first.series_id is None:
        return [session_id], cancel_session(ctx, session_id=session_id, by=by)
    sessions, cancelled, waitlisted = [], [], []
    for sitting in series_from(ctx.session, series_id=first.series_id, start=first.starts_at):
        ended, waiting = _cancel_sitting(ctx, sitting, by)
        sessions.append(sitting.id or 0)
        cancelled += ended
        waitlisted += waiting
    ctx.record(SeriesCancelled(tuple(sessions), tuple(cancelled), tuple(waitlisted)))
    return sessions, cancelled


def _hers(ctx: Ctx, session_id: int, by: int) -> SupervisionSession:
    sitting = get_session(ctx, session_id)
    if sitting.supervisor_id != by:
        raise UserError(_("Only the session's supervisor can change it."))
    return sitting


def _cancel_sitting(ctx: Ctx, sitting: SupervisionSession, by: int) -> tuple[list[int], list[int]]:
    """The session closes; each live booking is cancelled with its cover: (all of them, the waitlisted)."""
    writes.cancel_session(ctx.session, session_id=sitting.id or 0)
    cancelled, waitlisted = [], []
    for booking in bookings_of_session(ctx.session, session_id=sitting.id or 0, statuses=LIVE):
        if booking.status == BookingStatus.WAITLISTED:
            waitlisted.append(booking.id or 0)
        if booking.shift_id is not None:
            cover.cancel(ctx, shift_id=booking.shift_id, by=by)
        writes.change_booking(
            ctx.session, booking_id=booking.id or 0, to=BookingStatus.CANCELLED, at=ctx.now, only_from=LIVE
        )
        writes.raise_sequence(ctx.session, booking_id=booking.id or 0)
        cancelled.append(booking.id or 0)
    return cancelled, waitlisted


def move_session(ctx: Ctx, *, session_id: int, starts_at: datetime, by: int) -> list[int]:
    """The supervisor moves it (same length): each booking's cover moves with it — her floater kept when she is
    free then — and each person is told once, with the calendar file again."""
    sitting = _hers(ctx, session_id, by)
    if starts_at <= ctx.now:
        raise UserError(_("That time has already passed. Send a day and time ahead, like: thu 10:00."))
    old = (sitting.starts_at, sitting.ends_at)
    ends_at = starts_at + (sitting.ends_at - sitting.starts_at)
    check_time(ctx, sitting, starts_at, ends_at)
    writes.move_session(ctx.session, session_id=session_id, starts_at=starts_at, ends_at=ends_at)
    ctx.session.refresh(sitting)
    moved = []
    bookings = bookings_of_session(ctx.session, session_id=session_id, statuses=LIVE)
    # The covers a floater holds move first: a cover still open, offered afresh at the new time, is then not
    # offered to a floater who is booked then by her own moved cover.
    for booking in sorted(bookings, key=lambda b: b.status != BookingStatus.CONFIRMED):
        if booking.shift_id is not None and booking.status in SEATED:
            _move_cover(ctx, booking, sitting)
        writes.raise_sequence(ctx.session, booking_id=booking.id or 0)
        moved.append(booking.id or 0)
    ctx.record(SessionMoved(session_id, *old, booking_ids=tuple(moved)))
    return moved


def check_time(ctx: Ctx, sitting: SupervisionSession, starts_at: datetime, ends_at: datetime) -> None:
    """A move obeys what publishing does: inside the site's hours, and over none of her other sessions."""
    site = ctx.session.get(Site, sitting.site_id) if sitting.site_id is not None else None
    if site is not None and outside_hours(site, [(starts_at, ends_at)], ctx.config.zone):
        raise UserError(
            _(
                "{site} is open {opens}–{closes}; send a time inside those hours, or /cancel.",
                site=site.name,
                opens=site.opens,
                closes=site.closes,
            )
        )
    clash = overlapping(
        ctx.session, supervisor_id=sitting.supervisor_id, times=[(starts_at, ends_at)], moving=sitting.id
    )
    if clash is not None:
        zone = ctx.site_zone(clash.site_id)
        raise UserError(
            _(
                "That overlaps your session {when}. Send another day and time, or /cancel.",
                when=when(clash.starts_at, clash.ends_at, zone),
            )
        )


def _move_cover(ctx: Ctx, booking: SupervisionBooking, sitting: SupervisionSession) -> None:
    teacher = ctx.session.get(Person, booking.teacher_id)
    assert teacher is not None
    assert booking.shift_id is not None
    travel = policy(ctx).travel if sitting.site_id not in (None, teacher.site_id) else timedelta(0)
    moved = cover.move(
        ctx, shift_id=booking.shift_id, starts_at=sitting.starts_at - travel, ends_at=sitting.ends_at + travel, by=None
    )
    if moved.released is not None:
        writes.change_booking(
            ctx.session,
            booking_id=booking.id or 0,
            to=BookingStatus.AWAITING_COVER,
            at=ctx.now,
            only_from=(BookingStatus.CONFIRMED,),
        )
    set_timers(ctx, booking, sitting)
