"""Supervision's messages, as subscribers of its events: the teacher, her supervisor and her site's director
hear what concerns them, once each, with the calendar file where the time is set or ends."""

from __future__ import annotations

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Choice, Reply, tell, tell_hub
from handlers.cover.describe import name_of
from handlers.i18n import Msg, _, verbatim
from handlers.supervision.describe import calendar_file, own_line, session_file, session_line
from handlers.supervision.events import (
    BookingCancelled,
    BookingConfirmed,
    CoverLost,
    DirectorAsked,
    NotHeld,
    SeatGiven,
    SessionCancelled,
    SessionMoved,
    Why,
)
from handlers.supervision.service import policy
from handlers.supervision.signup import listing, open_for
from models.cover.queries import site_directors
from models.cover.tables import Shift
from models.roster.tables import Person, Room
from models.supervision.tables import SEATED, BookingStatus, SupervisionBooking, SupervisionSession


def _load(ctx: Ctx, booking_id: int) -> tuple[SupervisionBooking, SupervisionSession, Person]:
    booking = ctx.session.get(SupervisionBooking, booking_id)
    assert booking is not None
    ctx.session.refresh(booking)  # changed by one statement: read it as it is now
    sitting = ctx.session.get(SupervisionSession, booking.session_id)
    teacher = ctx.session.get(Person, booking.teacher_id)
    assert sitting is not None
    assert teacher is not None
    return booking, sitting, teacher


def _with_calendar(
    ctx: Ctx, person_id: int, booking: SupervisionBooking, sitting: SupervisionSession, *lines: Msg
) -> Reply:
    person = ctx.session.get(Person, person_id)
    lang = person.language if person is not None else "en"
    return tell(person_id, *lines, files=(calendar_file(ctx, booking, sitting, lang),))


def _told(ctx: Ctx, person_id: int, booking: SupervisionBooking, sitting: SupervisionSession, *lines: Msg) -> Reply:
    """With her booking's calendar file only when it is in her calendar (she was confirmed once)."""
    if booking.invited:
        return _with_calendar(ctx, person_id, booking, sitting, *lines)
    return tell(person_id, *lines)


def _supervisor_told(ctx: Ctx, booking: SupervisionBooking, sitting: SupervisionSession, *lines: Msg) -> Reply:
    """With the session's event again (fewer teachers, or cancelled) when this booking was on it."""
    supervisor = ctx.session.get(Person, sitting.supervisor_id)
    lang = supervisor.language if supervisor is not None else "en"
    files = (session_file(ctx, sitting, lang),) if booking.invited else ()
    return tell(sitting.supervisor_id, *lines, files=files)


def _seat_to(ctx: Ctx, booking_id: int | None) -> list[Msg]:
    """The line naming who got the freed seat, for the supervisor's one message."""
    booking = ctx.session.get(SupervisionBooking, booking_id) if booking_id is not None else None
    if booking is None:
        return []
    name = name_of(ctx.session, booking.teacher_id)
    return [_("{teacher} has her seat now (from the waitlist); her classroom cover is being asked for.", teacher=name)]


def _directors(ctx: Ctx, teacher: Person) -> list[int]:
    if teacher.site_id is None:
        return []
    return [d.id for d in site_directors(ctx.session, site_id=teacher.site_id) if d.id is not None]


def _room(ctx: Ctx, teacher: Person) -> str:
    room = ctx.session.get(Room, teacher.room_id) if teacher.room_id is not None else None
    return room.name if room is not None else "?"


@bus.subscribe(BookingConfirmed)
def confirmed(ctx: Ctx, event: BookingConfirmed) -> list[Reply]:
    """Teacher, supervisor and director: it will happen, and who covers her room (with the calendar file)."""
    booking, sitting, teacher = _load(ctx, event.booking_id)
    line = session_line(ctx, sitting)
    shift = ctx.session.get(Shift, booking.shift_id) if booking.shift_id is not None else None
    coverer = (
        _("the site itself")
        if event.in_house or shift is None or shift.floater_id is None
        else verbatim(name_of(ctx.session, shift.floater_id))
    )
    covered = _("{room} is covered by {who}.", room=_room(ctx, teacher), who=coverer)
    replies = [
        _with_calendar(
            ctx,
            teacher.id or 0,
            booking,
            sitting,
            _("Confirmed: reflective supervision {session}.", session=line),
            covered,
        ),
        _supervisor_told(
            ctx,
            booking,
            sitting,
            _("Confirmed: {teacher}, {session}.", teacher=teacher.name, session=own_line(ctx, sitting)),
            covered,
        ),
    ]
    note = _("{teacher} has reflective supervision {session}.", teacher=teacher.name, session=line)
    replies += [tell(d, note, covered) for d in _directors(ctx, teacher)]
    return replies


@bus.subscribe(CoverLost)
def cover_lost(ctx: Ctx, event: CoverLost) -> list[Reply]:
    _booking, sitting, teacher = _load(ctx, event.booking_id)

    def line(session: Msg) -> Msg:
        return _(
            "The floater covering {room} for reflective supervision {session} can no longer come. "
            "I'm finding someone else.",
            room=_room(ctx, teacher),
            session=session,
        )

    others = _("{teacher}: {line}", teacher=teacher.name, line=line(session_line(ctx, sitting)))
    return [
        tell(teacher.id or 0, line(session_line(ctx, sitting))),
        tell(sitting.supervisor_id, _("{teacher}: {line}", teacher=teacher.name, line=line(own_line(ctx, sitting)))),
        *(tell(d, others) for d in _directors(ctx, teacher)),  # she was told it was covered
    ]


@bus.subscribe(BookingCancelled)
def cancelled(ctx: Ctx, event: BookingCancelled) -> list[Reply]:
    """She hears it ended (with the calendar's cancel); her supervisor hears she will not come."""
    booking, sitting, teacher = _load(ctx, event.booking_id)
    line = session_line(ctx, sitting)
    why = {
        Why.TEACHER: _(
            "Cancelled: reflective supervision {session}. Your classroom cover is cancelled too.", session=line
        ),
        Why.DIRECTOR: _(
            "Your director could not cover your room for reflective supervision {session}, so it is cancelled. "
            "Send /supervision to pick another time.",
            session=line,
        ),
        Why.DIRECTOR_MOVE: _(
            "Nobody can cover your room for reflective supervision {session}, so your director asked to move it.",
            session=line,
        ),
        Why.COVER_CANCELLED: _(
            "The cover of your room for reflective supervision {session} was cancelled, so the session is too. "
            "Send /supervision to pick another time.",
            session=line,
        ),
        Why.SUPERVISOR: _("Cancelled: reflective supervision {session}.", session=line),
    }[event.why]
    replies = [_told(ctx, teacher.id or 0, booking, sitting, why)]
    if event.why == Why.DIRECTOR_MOVE:
        replies.append(_other_times(ctx, teacher))
    away = _("{teacher} will not come to {session}.", teacher=teacher.name, session=own_line(ctx, sitting))
    replies.append(_supervisor_told(ctx, booking, sitting, away, *_seat_to(ctx, event.seat_to)))
    if booking.invited and event.why not in (Why.DIRECTOR, Why.DIRECTOR_MOVE):  # the director was told it's on
        note = _("Cancelled: {teacher}'s reflective supervision {session}.", teacher=teacher.name, session=line)
        replies += [tell(d, note) for d in _directors(ctx, teacher)]
    return replies


def _other_times(ctx: Ctx, teacher: Person) -> Reply:
    """The sessions she may book instead, after the cover deadline (closer, her room can't be covered)."""
    lines, choices = listing(ctx, open_for(ctx, teacher, after=ctx.now + policy(ctx).cover_deadline))
    if not lines:
        return tell(teacher.id or 0, _("No other session is open in the next weeks; try /supervision later."))
    return tell(teacher.id or 0, *lines, choices=choices)


@bus.subscribe(DirectorAsked)
def director_asked(ctx: Ctx, event: DirectorAsked) -> list[Reply]:
    """No floater yet close to the start: the site's director chooses (the Hub, if the site has none)."""
    booking, sitting, teacher = _load(ctx, event.booking_id)
    lines = (
        _(
            "No floater has accepted to cover {room} for {teacher}'s reflective supervision {session}.",
            room=_room(ctx, teacher),
            teacher=teacher.name,
            session=session_line(ctx, sitting),
        ),
        _("Can the site cover it in-house, or should it move or be cancelled?"),
    )
    choices = (
        Choice(_("We cover it in-house"), f"rsd:{booking.id}:house"),
        Choice(_("Move it"), f"rsd:{booking.id}:move"),
        Choice(_("Cancel it"), f"rsd:{booking.id}:cancel"),
    )
    directors = _directors(ctx, teacher)
    if not directors:  # the Hub answers for a site with no director, with the same buttons
        return [tell_hub(*lines, choices=choices, urgent=True, ref=f"rsd:{booking.id}")]
    return [tell(d, *lines, choices=choices, urgent=True, ref=f"rsd:{booking.id}") for d in directors]


@bus.subscribe(NotHeld)
def not_held(ctx: Ctx, event: NotHeld) -> list[Reply]:
    booking, sitting, teacher = _load(ctx, event.booking_id)

    def line(session: Msg) -> Msg:
        return _(
            "Reflective supervision {session} could not happen: nobody covered {room}.",
            session=session,
            room=_room(ctx, teacher),
        )

    theirs = _("{teacher}: {line}", teacher=teacher.name, line=line(own_line(ctx, sitting)))
    return [
        _told(ctx, teacher.id or 0, booking, sitting, line(session_line(ctx, sitting))),
        _supervisor_told(ctx, booking, sitting, theirs),
    ]


@bus.subscribe(SeatGiven)
def seat_given(ctx: Ctx, event: SeatGiven) -> list[Reply]:
    """She gets the seat (and may give it up); her supervisor hears who comes instead."""
    booking, sitting, teacher = _load(ctx, event.booking_id)
    choices = (Choice(_("Keep it"), f"rsk:{booking.id}"), Choice(_("Give it up"), f"rsg:{booking.id}"))
    line = _("A seat opened in reflective supervision {session}: it is yours now.", session=session_line(ctx, sitting))
    asking = _("I'm asking a floater to cover your room.")
    theirs = _(
        "{teacher} has the freed seat in {session} (from the waitlist); her classroom cover is being asked for.",
        teacher=teacher.name,
        session=own_line(ctx, sitting),
    )
    mine = tell(booking.teacher_id, line, asking, choices=choices)
    return [mine] if event.freed_by is not None else [mine, tell(sitting.supervisor_id, theirs)]


@bus.subscribe(SessionCancelled)
def session_cancelled(ctx: Ctx, event: SessionCancelled) -> list[Reply]:
    """Each teacher once, with the calendar's cancel; each director once."""
    replies: list[Reply] = []
    told: set[int] = set()
    for booking_id in event.booking_ids:
        booking, sitting, teacher = _load(ctx, booking_id)
        line = (
            _(
                "{supervisor} cancelled reflective supervision {session}; you were on its waitlist.",
                supervisor=name_of(ctx.session, sitting.supervisor_id),
                session=own_line(ctx, sitting),
            )
            if booking_id in event.waitlisted
            else _(
                "{supervisor} cancelled reflective supervision {session}. Your classroom cover is cancelled too.",
                supervisor=name_of(ctx.session, sitting.supervisor_id),
                session=own_line(ctx, sitting),
            )
        )
        replies.append(_told(ctx, teacher.id or 0, booking, sitting, line))
        for director in _directors(ctx, teacher):
            if director not in told and booking_id not in event.waitlisted:
                told.add(director)
                replies.append(
                    tell(
                        director, _("Cancelled: reflective supervision {session}.", session=session_line(ctx, sitting))
                    )
                )
    return replies


@bus.subscribe(SessionMoved)
def session_moved(ctx: Ctx, event: SessionMoved) -> list[Reply]:
    """Each teacher once, with the calendar file again and the state of her cover; each director once."""
    replies: list[Reply] = []
    told: set[int] = set()
    for booking_id in event.booking_ids:
        booking, sitting, teacher = _load(ctx, booking_id)
        line = _("Moved: reflective supervision is now {session}.", session=session_line(ctx, sitting))
        state = (
            _("Your classroom is still covered.")
            if booking.status == BookingStatus.CONFIRMED
            else _("I'm asking a floater to cover your room at the new time.")
            if booking.status in SEATED
            else _("You are still on the waitlist.")
        )
        replies.append(_told(ctx, teacher.id or 0, booking, sitting, line, state))
        for director in _directors(ctx, teacher):
            if director not in told and booking.status in SEATED:
                told.add(director)
                replies.append(tell(director, line))
    return replies
