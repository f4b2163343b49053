"""Her Home tab is asked to be redrawn when something it shows changes: subscribers of cover's and supervision's
events name the people concerned, and each of them with a Slack account gets one throttled request (a row; the
view itself is drawn later, when the dispatcher sends it, never in the transaction of the change)."""

from __future__ import annotations

from collections.abc import Iterable

from handlers import surfaces
from handlers.bus import Event, bus
from handlers.context import Ctx
from handlers.contract import Reply
from handlers.cover import events as cover
from handlers.home.policy import HomePolicy
from handlers.supervision import events as supervision
from models.cover.queries import requesters_and_directors
from models.messaging.tables import OutboxKind
from models.roster import queries as roster_queries
from models.roster.tables import Person
from models.roster.vocab import Platform
from models.supervision.tables import SupervisionBooking, SupervisionSession

SLACK = Platform.slack.value
COVER_EVENTS = (
    cover.ShiftRequested,
    cover.OffersSent,
    cover.OffersClosed,
    cover.ShiftFilled,
    cover.ShiftDeclined,
    cover.ShiftDropped,
    cover.ShiftCancelled,
    cover.ShiftMoved,
    cover.ShiftEscalated,
    cover.ShiftStartedUncovered,
)
HUB_EVENTS = (cover.ShiftEscalated, cover.ShiftStartedUncovered)  # what joins the Hub's unfilled shifts
SUPERVISION_EVENTS = (
    supervision.SessionBooked,
    supervision.BookingConfirmed,
    supervision.CoverLost,
    supervision.BookingCancelled,
    supervision.DirectorAsked,
    supervision.NotHeld,
    supervision.SeatGiven,
    supervision.SessionCancelled,
    supervision.SessionMoved,
    supervision.SeriesCancelled,
    supervision.SeriesLeft,
)


def request_homes(ctx: Ctx, person_ids: Iterable[int]) -> None:
    """A redraw of the Home tab of each of these people who is on Slack (the others: nothing): gathered for the
    whole unit of work, then asked for once (one throttled request each, in a few statements)."""
    ctx.gather("home tabs", _redraw).update(person_ids)


def _redraw(ctx: Ctx, person_ids: set[int]) -> None:
    throttle = ctx.config.policy(HomePolicy).throttle
    surfaces.request(
        ctx.session, kind=OutboxKind.HOME, person_ids=person_ids, platform=SLACK, at=ctx.now, throttle=throttle
    )


def cover_changed(ctx: Ctx, event: Event) -> list[Reply]:
    """A shift changed: its requester, the floaters the event names and the site's directors; the Hub only when
    it joins the shifts still without a floater (escalated, or started uncovered). The Hub's board is the whole
    Alliance's: redrawn for every change anywhere, its staff's tabs would be drawn again all day at a large
    Alliance; it is drawn fresh whenever she opens the tab. The shifts are gathered too: a [Send] or an accept
    changes one shift several times, and its requester and directors are read once."""
    ctx.gather("home tabs: shifts", _shifts_changed).add(getattr(event, "shift_id", 0))
    request_homes(ctx, _floaters(event))
    if isinstance(event, HUB_EVENTS):
        request_homes(ctx, _hub(ctx))
    return []


def _shifts_changed(ctx: Ctx, shift_ids: set[int]) -> None:
    """The requesters of these shifts and the directors of their sites."""
    request_homes(ctx, requesters_and_directors(ctx.session, shift_ids=shift_ids))


def supervision_changed(ctx: Ctx, event: Event) -> list[Reply]:
    """Bookings changed: their teachers, the sessions' supervisors and the teachers' directors (the Hub sees
    sessions on its board, drawn when she opens the tab)."""
    bookings = [ctx.session.get(SupervisionBooking, i) for i in _booking_ids(event)]
    found = [b for b in bookings if b is not None]
    session_ids = {b.session_id for b in found} | _session_ids(event)
    sittings = [ctx.session.get(SupervisionSession, i) for i in session_ids]
    teachers = [ctx.session.get(Person, b.teacher_id) for b in found]
    sites = {t.site_id for t in teachers if t is not None and t.site_id is not None}
    concerned = {b.teacher_id for b in found} | {s.supervisor_id for s in sittings if s is not None}
    if sites:
        concerned |= roster_queries.active_person_ids(ctx.session, roles=["director"], site_ids=sites)
    request_homes(ctx, concerned)
    return []


def _floaters(event: Event) -> set[int]:
    named = [getattr(event, field, None) for field in ("floater_id", "kept", "released")]
    return {i for i in named if isinstance(i, int)} | set(getattr(event, "floater_ids", ()))


def _booking_ids(event: Event) -> set[int]:
    one = getattr(event, "booking_id", None)
    return set(getattr(event, "booking_ids", ())) | ({one} if isinstance(one, int) else set())


def _session_ids(event: Event) -> set[int]:
    one = getattr(event, "session_id", None)
    return set(getattr(event, "session_ids", ())) | ({one} if isinstance(one, int) else set())


def _hub(ctx: Ctx) -> set[int]:
    return roster_queries.active_person_ids(ctx.session, roles=["hub"])


def _subscribe() -> None:
    for kind in COVER_EVENTS:
        bus.subscribe(kind)(cover_changed)
    for other in SUPERVISION_EVENTS:
        bus.subscribe(other)(supervision_changed)


_subscribe()
