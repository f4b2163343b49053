"""Due tasks of supervision: the director's deadline, the start (not held without cover), the reminders.

Each remembers the session's start it was set for; after a move, the move's own timers apply.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from handlers.context import Ctx
from handlers.contract import Reply, tell
from handlers.i18n import Msg, _
from handlers.reminders import too_late
from handlers.supervision import service
from handlers.supervision.describe import own_line, session_line
from handlers.supervision.policy import DEADLINE, REMIND, START
from handlers.supervision.views import STATE_LABELS
from models.roster.queries import people_by_id
from models.supervision.queries import bookings_of_session
from models.supervision.tables import SEATED, BookingStatus, SupervisionBooking, SupervisionSession
from scheduler.tasks import tasks

COVER_STATE: dict[BookingStatus, Msg] = {  # her own reminder: seated bookings only
    BookingStatus.AWAITING_COVER: _("Classroom cover: not yet — floaters are still being asked."),
    BookingStatus.CONFIRMED: _("Classroom cover: confirmed."),
}


def _current(ctx: Ctx, payload: dict[str, Any]) -> tuple[SupervisionBooking, SupervisionSession] | None:
    booking = ctx.session.get(SupervisionBooking, int(payload["booking_id"]))
    sitting = ctx.session.get(SupervisionSession, booking.session_id) if booking is not None else None
    if booking is None or sitting is None or datetime.fromisoformat(payload["starts_at"]) != sitting.starts_at:
        return None
    return booking, sitting


@tasks.task(DEADLINE)
def deadline(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """Close to the start with no cover yet: the director is asked."""
    found = _current(ctx, payload)
    if found is not None:
        service.no_cover_by_deadline(ctx, found[0])
    return []


@tasks.task(START)
def start(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """At the start, still no cover: not held."""
    found = _current(ctx, payload)
    if found is not None:
        service.started(ctx, found[0])
    return []


@tasks.task(REMIND)
def remind(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The evening before and an hour before: to her, with the state of her cover; and once per session to the
    supervisor (by the session's first seated booking), with each booked teacher's cover."""
    found = _current(ctx, payload)
    if found is None or found[0].status not in SEATED:
        return []
    booking, sitting = found
    if too_late(ctx, sitting.starts_at):
        return []
    evening = payload.get("kind") == "evening"

    def first(session: Msg) -> Msg:
        if evening:
            return _("Reminder: tomorrow, reflective supervision {session}.", session=session)
        return _("Reminder: soon, reflective supervision {session}.", session=session)

    replies = [tell(booking.teacher_id, first(session_line(ctx, sitting)), COVER_STATE[booking.status])]
    seated = bookings_of_session(ctx.session, session_id=sitting.id or 0, statuses=SEATED)
    if seated[0].id == booking.id:
        teachers = people_by_id(ctx.session, ids=[b.teacher_id for b in seated])
        lines = [
            _("{teacher}: {state}.", teacher=teachers[b.teacher_id].name, state=STATE_LABELS[b.status]) for b in seated
        ]
        replies.append(tell(sitting.supervisor_id, first(own_line(ctx, sitting)), *lines))
    return [replace(reply, routine=True) for reply in replies]
