"""A supervisor's schedule: `/slots` (Spanish `/horarios`) lists her upcoming sessions a page at a time, each
with [Move N] and [Cancel N]; a session of a series may be cancelled with the rest of its series.

/slots ──► [New session] (slots.py)
       └─► [Move N] ──► ask_move (a day and time) ──► every booking and its cover move; each person told once
       └─► [Cancel N] ──► [Yes] / [The whole series] ──► bookings and covers cancelled; each person told once
       └─► [More] ──► the next page
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from handlers.confirm import confirm
from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.describe import check_the_year, when
from handlers.errors import UserError
from handlers.i18n import Msg, _, n_
from handlers.registry import registry
from handlers.supervision import changes, service
from handlers.supervision.describe import own_line, session_file
from handlers.supervision.policy import SUPERVISORS
from handlers.supervision.slots import FLOW, day_and_time, draft
from models.supervision.queries import bookings_of_session, upcoming_of_supervisor
from models.supervision.tables import LIVE, SessionStatus, SupervisionBooking, SupervisionSession

PAGE = 5


@registry.command(
    "slots", _("publish, move or cancel your supervision sessions"), roles=SUPERVISORS, spanish="horarios"
)
def slots(ctx: Ctx, args: str) -> list[Reply]:
    """Her upcoming sessions (the first page), [New session], and [Move]/[Cancel] for each one shown."""
    return [_page(ctx, 0)]


@registry.button("rsv", roles=SUPERVISORS)
def more(ctx: Ctx, arg: str) -> list[Reply]:
    """[More]: the next page of her sessions."""
    return [_page(ctx, int(arg) if arg.isdigit() else 0)]


def _page(ctx: Ctx, start: int) -> Reply:
    upcoming = upcoming_of_supervisor(ctx.session, supervisor_id=ctx.person_id, now=ctx.now)
    shown = upcoming[start : start + PAGE]
    lines: list[Msg] = [_("Your upcoming sessions:") if upcoming else _("You have no upcoming sessions.")]
    lines += [_("{number}. {session}", number=n, session=own_line(ctx, s)) for n, s in enumerate(shown, start + 1)]
    choices = [Choice(_("New session"), "rsn:new")]
    for number, sitting in enumerate(shown, start=start + 1):
        choices += [
            Choice(_("Move {number}", number=number), f"rsm:{sitting.id}"),
            Choice(_("Cancel {number}", number=number), f"rsq:{sitting.id}"),
        ]
    if len(upcoming) > start + PAGE:
        lines.append(_("({count} more: [More] shows them.)", count=len(upcoming) - start - PAGE))
        choices.append(Choice(_("More"), f"rsv:{start + PAGE}"))
    return reply(*lines, choices=tuple(choices))


@registry.button("rsm", roles=SUPERVISORS)
def ask_move(ctx: Ctx, arg: str) -> list[Reply]:
    sitting = _mine(ctx, arg)
    ctx.goto(FLOW, "ask_move", {"session_id": sitting.id})
    return [
        reply(
            _(
                "Move {session} to when? Send a day and a start time, like: thu 15:00.",
                session=own_line(ctx, sitting),
            )
        )
    ]


@registry.step(FLOW, "ask_move")
def typed_move(ctx: Ctx, text: str) -> list[Reply]:
    """Moves the session; every booking and its cover follow, each person told once."""
    data = draft(ctx, "ask_move")
    sitting = service.get_session(ctx, int(data["session_id"]))
    day, start, far = day_and_time(ctx, text)
    starts_at = datetime.combine(day, start, tzinfo=ctx.site_zone(sitting.site_id))
    moved = changes.move_session(ctx, session_id=sitting.id or 0, starts_at=starts_at, by=ctx.person_id)
    ctx.end_flow()
    done = reply(
        *(check_the_year([day]) if far else []),
        n_(
            "Moved to {when}. {count} teacher told.",
            "Moved to {when}. {count} teachers told.",
            len(moved),
            when=when(sitting.starts_at, sitting.ends_at, ctx.site_zone(sitting.site_id)),
        ),
    )
    return [_with_her_calendar(ctx, done, [sitting])]


@registry.button("rsq", roles=SUPERVISORS)
def ask_cancel(ctx: Ctx, arg: str) -> list[Reply]:
    """Asks to confirm; a session of a series may go with the rest of its series."""
    sitting = _mine(ctx, arg)
    series = ((_("Cancel it and the rest of the series"), f"rsqs:{sitting.id}"),) if sitting.series_id else ()
    question = _("Cancel {session} for everyone booked?", session=own_line(ctx, sitting))
    return [confirm(ctx, question, _("Yes, cancel it"), f"rsqy:{sitting.id}", also=series)]


@registry.button("rsqy", roles=SUPERVISORS)
def cancel(ctx: Ctx, arg: str) -> list[Reply]:
    """Cancels the session with every booking and its cover."""
    sitting = _mine(ctx, arg)
    cancelled = changes.cancel_session(ctx, session_id=sitting.id or 0, by=ctx.person_id)
    done = reply(n_("Cancelled. {count} teacher told.", "Cancelled. {count} teachers told.", len(cancelled)))
    return [_with_her_calendar(ctx, done, [sitting], ended=cancelled)]


@registry.button("rsqs", roles=SUPERVISORS)
def cancel_series(ctx: Ctx, arg: str) -> list[Reply]:
    """Cancels the session and every later one of its series, with their bookings and covers."""
    sitting = _mine(ctx, arg)
    sessions, cancelled = changes.cancel_series(ctx, session_id=sitting.id or 0, by=ctx.person_id)
    teachers = {b.teacher_id for b in (ctx.session.get(SupervisionBooking, i) for i in cancelled) if b is not None}
    done = reply(
        n_("Cancelled {count} session.", "Cancelled {count} sessions.", len(sessions)),
        n_("{count} teacher told.", "{count} teachers told.", len(teachers)),
    )
    gone = [s for s in (ctx.session.get(SupervisionSession, i) for i in sessions) if s is not None]
    return [_with_her_calendar(ctx, done, gone, ended=cancelled)]


def _with_her_calendar(
    ctx: Ctx, done: Reply, sittings: Sequence[SupervisionSession], ended: Sequence[int] = ()
) -> Reply:
    """Her event of each session again (moved, or cancelled) that is in her calendar: some teacher's booking
    was confirmed and is still on it (or was, until this cancel)."""
    gone = [ctx.session.get(SupervisionBooking, booking_id) for booking_id in ended]
    files = []
    for sitting in sittings:
        kept = bookings_of_session(ctx.session, session_id=sitting.id or 0, statuses=LIVE)
        on_it = [*kept, *(b for b in gone if b is not None and b.session_id == sitting.id)]
        if any(b.invited for b in on_it):
            files.append(session_file(ctx, sitting, ctx.lang))
    return replace(done, files=tuple(files)) if files else done


def _mine(ctx: Ctx, arg: str) -> SupervisionSession:
    """Her open session (a second tap on a cancelled one says so, in her words, not a teacher's)."""
    found = ctx.session.get(SupervisionSession, int(arg) if arg.isdigit() else 0)
    if found is not None and found.supervisor_id == ctx.person_id and found.status == SessionStatus.CANCELLED:
        raise UserError(_("That session is already cancelled. Send /slots to see yours."))
    sitting = service.get_session(ctx, int(arg) if arg.isdigit() else 0)
    if sitting.supervisor_id != ctx.person_id:
        raise UserError(_("Only the session's supervisor can change it."))
    return sitting
