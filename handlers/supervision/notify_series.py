"""Messages of a whole series changing at once: each teacher, her supervisor and each director hear it once,
with every calendar file it changes on the one message."""

from __future__ import annotations

from collections import defaultdict

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Reply, tell
from handlers.cover.describe import name_of
from handlers.i18n import Msg, _, n_
from handlers.supervision.describe import calendar_file, own_line, session_file, session_line
from handlers.supervision.events import SeriesCancelled, SeriesLeft
from models.cover.queries import site_directors
from models.roster.tables import Person
from models.supervision.tables import SupervisionBooking, SupervisionSession


def _bookings(ctx: Ctx, ids: tuple[int, ...]) -> list[tuple[SupervisionBooking, SupervisionSession]]:
    """In the order of their sessions, each read as it is now."""
    found = []
    for booking_id in ids:
        booking = ctx.session.get(SupervisionBooking, booking_id)
        assert booking is not None
        ctx.session.refresh(booking)
        sitting = ctx.session.get(SupervisionSession, booking.session_id)
        assert sitting is not None
        found.append((booking, sitting))
    return sorted(found, key=lambda pair: pair[1].starts_at)


def _lang(ctx: Ctx, person_id: int) -> str:
    person = ctx.session.get(Person, person_id)
    return person.language if person is not None else "en"


@bus.subscribe(SeriesCancelled)
def series_cancelled(ctx: Ctx, event: SeriesCancelled) -> list[Reply]:
    """Each teacher once, with the calendar's cancel of each of her sessions she had; each director once."""
    per_teacher: dict[int, list[tuple[SupervisionBooking, SupervisionSession]]] = defaultdict(list)
    for booking, sitting in _bookings(ctx, event.booking_ids):
        per_teacher[booking.teacher_id].append((booking, sitting))
    replies: list[Reply] = []
    directors: set[int] = set()
    for teacher_id, hers in per_teacher.items():
        first = hers[0][1]
        lines: list[Msg] = [
            n_(
                "{supervisor} cancelled {count} session of reflective supervision: {session}.",
                "{supervisor} cancelled {count} sessions of reflective supervision, from {session} on.",
                len(hers),
                supervisor=name_of(ctx.session, first.supervisor_id),
                session=own_line(ctx, first),
            )
        ]
        if any(b.id not in event.waitlisted for b, _s in hers):
            lines.append(_("Your classroom cover is cancelled too."))
            teacher = ctx.session.get(Person, teacher_id)
            if teacher is not None and teacher.site_id is not None:
                directors |= {d.id for d in site_directors(ctx.session, site_id=teacher.site_id) if d.id is not None}
        lang = _lang(ctx, teacher_id)
        files = tuple(calendar_file(ctx, b, s, lang) for b, s in hers if b.invited)
        replies.append(tell(teacher_id, *lines, files=files))
    opening = ctx.session.get(SupervisionSession, event.session_ids[0]) if event.session_ids else None
    if opening is not None:
        note = _(
            "Cancelled: reflective supervision {session} and the rest of its series.",
            session=session_line(ctx, opening),
        )
        replies += [tell(director, note) for director in sorted(directors)]
    return replies


@bus.subscribe(SeriesLeft)
def series_left(ctx: Ctx, event: SeriesLeft) -> list[Reply]:
    """She hears it once, with each calendar cancel; her supervisor once, with her updated session events."""
    hers = _bookings(ctx, event.booking_ids)
    booking, first = hers[0]
    teacher = name_of(ctx.session, booking.teacher_id)
    mine = n_(
        "Cancelled {count} session of reflective supervision: {session}. Its classroom cover is cancelled too.",
        "Cancelled {count} sessions of reflective supervision, from {session} on. Their classroom cover is "
        "cancelled too.",
        len(hers),
        session=session_line(ctx, first),
    )
    theirs = n_(
        "{teacher} will not come to {count} session: {session}.",
        "{teacher} will not come to {count} sessions, from {session} on.",
        len(hers),
        teacher=teacher,
        session=own_line(ctx, first),
    )
    lang, supervisor_lang = _lang(ctx, booking.teacher_id), _lang(ctx, first.supervisor_id)
    return [
        tell(booking.teacher_id, mine, files=tuple(calendar_file(ctx, b, s, lang) for b, s in hers if b.invited)),
        tell(
            first.supervisor_id,
            theirs,
            files=tuple(session_file(ctx, s, supervisor_lang) for b, s in hers if b.invited),
        ),
    ]
