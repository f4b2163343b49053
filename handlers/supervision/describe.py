"""How a session reads: when, with whom, where — in the place's zone and the reader's language."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Attachment
from handlers.cover.describe import name_of, when
from handlers.i18n import Msg, _, verbatim
from handlers.supervision.calendar import Timing, Who, booking_uid, ics, session_uid
from models.roster.tables import Person, Room, Site
from models.supervision.queries import bookings_of_session
from models.supervision.tables import (
    LIVE,
    BookingStatus,
    SessionStatus,
    SupervisionBooking,
    SupervisionSession,
)

VIDEO = _("video call")


def place(ctx: Ctx, sitting: SupervisionSession) -> Msg:
    site = ctx.session.get(Site, sitting.site_id) if sitting.site_id is not None else None
    room = ctx.session.get(Room, sitting.room_id) if sitting.room_id is not None else None
    if site is None:
        return VIDEO
    return _("{site} · {room}", site=site.name, room=room.name) if room is not None else verbatim(site.name)


def session_line(ctx: Ctx, sitting: SupervisionSession) -> Msg:
    """`Thu 3 Dec, 14:00–15:00 with Olivia Reed (video call)`."""
    return _(
        "{when} with {supervisor} ({place})",
        when=when(sitting.starts_at, sitting.ends_at, ctx.site_zone(sitting.site_id)),
        supervisor=name_of(ctx.session, sitting.supervisor_id),
        place=place(ctx, sitting),
    )


def own_line(ctx: Ctx, sitting: SupervisionSession) -> Msg:
    """How a session reads to its own supervisor, or in a sentence that names her already: `Thu 3 Dec, 14:00–15:00
    (video call)` — not "with" herself, nor "Olivia Reed cancelled … with Olivia Reed"."""
    return _(
        "{when} ({place})",
        when=when(sitting.starts_at, sitting.ends_at, ctx.site_zone(sitting.site_id)),
        place=place(ctx, sitting),
    )


def calendar_file(ctx: Ctx, booking: SupervisionBooking, sitting: SupervisionSession, lang: str) -> Attachment:
    """Her booking's event, for her calendar app: a new SEQUENCE after a move, METHOD:CANCEL once it ended,
    TENTATIVE while her room waits for cover again."""
    ctx.session.refresh(booking)
    supervisor, teacher = _who(ctx, sitting.supervisor_id), _who(ctx, booking.teacher_id)
    title = _("Reflective supervision with {supervisor}", supervisor=supervisor.name)
    timing = Timing(booking_uid(booking.id or 0), booking.sequence, sitting.starts_at, sitting.ends_at, ctx.now)
    return ics(
        f"reflective-supervision-{booking.id}.ics",
        timing,
        summary=title.render(lang),
        location=place(ctx, sitting).render(lang),
        organizer=supervisor,
        attendees=[teacher],
        cancel=booking.status in (BookingStatus.CANCELLED, BookingStatus.NOT_HELD),
        tentative=booking.status == BookingStatus.AWAITING_COVER,
    )


def session_file(ctx: Ctx, sitting: SupervisionSession, lang: str) -> Attachment:
    """The supervisor's one event of the session, with the teachers whose bookings are in their calendars;
    METHOD:CANCEL when none is left (or the session was cancelled)."""
    ctx.session.refresh(sitting)
    live = [b for b in bookings_of_session(ctx.session, session_id=sitting.id or 0, statuses=LIVE) if b.invited]
    cancel = sitting.status == SessionStatus.CANCELLED or not live
    teachers = [_who(ctx, b.teacher_id) for b in live]
    title = (
        _("Reflective supervision: {teachers}", teachers=", ".join(t.name for t in teachers))
        if teachers
        else _("Reflective supervision")
    )
    timing = Timing(session_uid(sitting.id or 0), sitting.sequence, sitting.starts_at, sitting.ends_at, ctx.now)
    return ics(
        f"reflective-supervision-session-{sitting.id}.ics",
        timing,
        summary=title.render(lang),
        location=place(ctx, sitting).render(lang),
        organizer=_who(ctx, sitting.supervisor_id),
        attendees=teachers,
        cancel=cancel,
    )


def _who(ctx: Ctx, person_id: int) -> Who:
    person = ctx.session.get(Person, person_id)
    return Who(person.name, person.email) if person is not None else Who("?", "")
