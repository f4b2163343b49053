"""How a session reads: when, with whom, where — in the place's zone and the reader's language."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Attachment
from handlers.cover.describe import name_of, when
from handlers.i18n import Msg, _, verbatim
from handlers.supervision.calendar import ics
from models.roster.tables import Room, Site
from models.supervision.tables import BookingStatus, SupervisionBooking, SupervisionSession

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


def calendar_file(ctx: Ctx, booking: SupervisionBooking, sitting: SupervisionSession, lang: str) -> Attachment:
    """Her booking's event, for her calendar app: a new SEQUENCE after a move, METHOD:CANCEL once it ended."""
    ctx.session.refresh(booking)
    title = _("Reflective supervision with {supervisor}", supervisor=name_of(ctx.session, sitting.supervisor_id))
    return ics(
        booking_id=booking.id or 0,
        sequence=booking.sequence,
        starts_at=sitting.starts_at,
        ends_at=sitting.ends_at,
        summary=title.render(lang),
        location=place(ctx, sitting).render(lang),
        stamp=ctx.now,
        cancel=booking.status in (BookingStatus.CANCELLED, BookingStatus.NOT_HELD),
    )
