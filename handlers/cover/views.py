"""What each person sees of cover: a floater's shifts, a requester's requests, the Hub's board."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.describe import STATUS_LABELS, name_of, shift_summary, when
from handlers.cover.service.offers import policy
from handlers.i18n import Msg, _, n_
from handlers.registry import registry
from models.cover.queries import (
    count_requested_shifts,
    offer_counts,
    pending_offers_for,
    requested_shifts,
    shifts_between,
    upcoming_for_floater,
)
from models.cover.tables import OfferStatus, Shift, ShiftStatus
from models.roster.tables import Room, Site

MAX_BUTTONS = 8
MAX_LISTED = 15  # requests listed at once (a director's busy site, a teacher's long series); then how many more


@registry.command("shifts", _("your upcoming shifts (and drop one)"), roles=frozenset({"floater"}), spanish="turnos")
def my_shifts(ctx: Ctx, args: str) -> list[Reply]:
    """Lists her upcoming shifts with a [Drop] button each, then the offers still waiting for her answer, each
    with its [Accept] and [Decline] (the offer messages may be far above, or gone)."""
    waiting = waiting_offers(ctx)
    return [upcoming_shifts(ctx), *((waiting,) if waiting is not None else ())]


def upcoming_shifts(ctx: Ctx) -> Reply:
    """Her upcoming shifts, each with [Drop] (/shifts and her Home tab)."""
    shifts = upcoming_for_floater(ctx.session, floater_id=ctx.person_id, now=ctx.now)
    lines: list[Msg] = [_("Your upcoming shifts:") if shifts else _("You have no upcoming shifts.")]
    lines += [_("• {shift}", shift=shift_summary(ctx.session, s, ctx.config.zone)) for s in shifts[:MAX_LISTED]]
    lines += _more(len(shifts))
    choices = tuple(Choice(_("Drop {when}", when=_short(ctx, s)), f"drp:{s.id}") for s in shifts[:MAX_BUTTONS])
    return reply(*lines, choices=choices)


def waiting_offers(ctx: Ctx) -> Reply | None:
    """The offers waiting for her answer, each with the [Accept] [Decline] of the offer message; None: none."""
    waiting = pending_offers_for(ctx.session, floater_id=ctx.person_id, now=ctx.now)
    if not waiting:
        return None
    lines: list[Msg] = [_("Offers waiting for your answer:")]
    lines += [_("• {shift}", shift=shift_summary(ctx.session, s, ctx.config.zone)) for s in waiting[:MAX_LISTED]]
    lines += _more(len(waiting))
    choices: list[Choice] = []
    shown = waiting[: MAX_BUTTONS // 2]
    times = [_short(ctx, shift) for shift in shown]
    for shift, short in zip(shown, times, strict=True):
        when = short
        if times.count(short) > 1:  # two offers at one hour: which site and room each is (read only then)
            site, room = ctx.session.get(Site, shift.site_id), ctx.session.get(Room, shift.room_id)
            if site is not None and room is not None:
                when = _("{site} · {room}, {when}", site=site.name, room=room.name, when=short)
        choices += [Choice(_("Accept {when}", when=when), f"acc:{shift.id}")]
        choices += [Choice(_("Decline {when}", when=when), f"dec:{shift.id}")]
    if len(waiting) > len(shown):
        more = _("Buttons for the first {count}; each offer's own message has its buttons too.", count=len(shown))
        lines.append(more)
    return reply(*lines, choices=tuple(choices))


@registry.command(
    "requests",
    _("your requests for cover and their state"),
    roles=frozenset({"teacher", "director"}),
    spanish="solicitudes",
)
def my_requests(ctx: Ctx, args: str) -> list[Reply]:
    """A teacher's own requests, or all of a director's site; each shift with its state and a [Cancel] button."""
    return [requests_of(ctx)]


def requests_of(ctx: Ctx) -> Reply:
    """Her requests (a director: her site's) not yet over, with [Cancel] on those still open or covered."""
    site_id = ctx.me.site_id if "director" in ctx.roles else None
    requester_id = None if site_id is not None else ctx.person_id
    shifts = requested_shifts(
        ctx.session, now=ctx.now, requester_id=requester_id, site_id=site_id, limit=MAX_LISTED + 1
    )
    if not shifts:
        return reply(_("No upcoming requests. To ask for a floater, just write it, like: floater tomorrow 8-12."))
    lines = [_("Upcoming requests:")] + [_state_line(ctx, s) for s in shifts[:MAX_LISTED]]
    if len(shifts) > MAX_LISTED:
        lines += _more(count_requested_shifts(ctx.session, now=ctx.now, requester_id=requester_id, site_id=site_id))
    shifts = shifts[:MAX_LISTED]
    open_ones = [s for s in shifts if s.status in (ShiftStatus.OPEN, ShiftStatus.FILLED)]
    choices = tuple(Choice(_("Cancel {when}", when=_short(ctx, s)), f"cx:{s.id}") for s in open_ones[:MAX_BUTTONS])
    return reply(*lines, choices=choices)


@registry.command("board", _("every shift today and tomorrow"), roles=frozenset({"hub"}), spanish="tablero")
def board(ctx: Ctx, args: str) -> list[Reply]:
    """Today's and tomorrow's shifts across the Alliance: at risk first, then open, offered, covered."""
    return [board_of(ctx)]


def board_of(ctx: Ctx, site_id: int | None = None) -> Reply:
    """The board of the whole Alliance, or of one site (a director's Home tab)."""
    today = ctx.now.astimezone(ctx.config.zone).date()
    start = datetime.combine(today, time(0), tzinfo=ctx.config.zone)
    shifts = shifts_between(ctx.session, start=start, end=start + timedelta(days=2), site_id=site_id)
    others = registry.sections_of("board", ctx, site_id)  # what other features add (supervision's sessions)
    if not shifts and not others:
        return reply(_("Nothing on the board for today and tomorrow."))
    rows = sorted(((_board_state(ctx, s), s) for s in shifts), key=lambda item: (RANK[item[0]], item[1].starts_at))
    lines: list[Msg] = [
        n_("Board — today and tomorrow ({count} shift):", "Board — today and tomorrow ({count} shifts):", len(shifts))
        if shifts
        else _("No cover shifts today or tomorrow.")
    ]
    for state, shift in rows:
        lines.append(
            _("{state}: {shift}", state=BOARD_LABELS[state], shift=shift_summary(ctx.session, shift, ctx.config.zone))
        )
    return reply(*lines, *others)


def unfilled(ctx: Ctx, limit: int = MAX_BUTTONS * 2) -> Reply:
    """Every upcoming shift still looking for a floater, soonest first (the Hub's Home tab)."""
    shifts = requested_shifts(ctx.session, now=ctx.now, statuses=(ShiftStatus.OPEN,), limit=limit + 1)
    if not shifts:
        return reply(_("Every upcoming shift has a floater."))
    total = len(shifts)
    if total > limit:
        total = count_requested_shifts(ctx.session, now=ctx.now, statuses=(ShiftStatus.OPEN,))
    lines: list[Msg] = [n_("{count} shift still needs a floater:", "{count} shifts still need a floater:", total)]
    lines += [_state_line(ctx, s) for s in shifts[:limit]]
    lines += _more(total, limit)  # not "see /board": it shows only today and tomorrow
    return reply(*lines)


class BoardState(StrEnum):
    STARTED = "started"  # open at its start: nobody came
    AT_RISK = "at_risk"
    OPEN = "open"
    OFFERED = "offered"
    FILLED = "filled"


RANK = {state: rank for rank, state in enumerate(BoardState)}  # started uncovered, then at risk, first
BOARD_LABELS = {
    BoardState.STARTED: _("STARTED UNCOVERED"),
    BoardState.AT_RISK: _("AT RISK"),
    BoardState.OPEN: _("open"),
    BoardState.OFFERED: _("offered"),
    BoardState.FILLED: _("covered"),
}


def _board_state(ctx: Ctx, shift: Shift) -> BoardState:
    if shift.status == ShiftStatus.FILLED:
        return BoardState.FILLED
    if shift.starts_at <= ctx.now:
        return BoardState.STARTED
    if shift.escalated_at is not None or shift.starts_at - ctx.now <= policy(ctx).urgent_window:
        return BoardState.AT_RISK
    pending = offer_counts(ctx.session, shift_id=shift.id or 0).get(OfferStatus.SENT)
    return BoardState.OFFERED if pending else BoardState.OPEN


def _more(total: int, listed: int = MAX_LISTED) -> list[Msg]:
    """The line after a list cut at `listed` of `total`: how many more there are (none when all are listed)."""
    if total <= listed:
        return []
    return [n_("…and {count} more, later on.", "…and {count} more, later on.", total - listed)]


def _state_line(ctx: Ctx, shift: Shift) -> Msg:
    summary = shift_summary(ctx.session, shift, ctx.config.zone)
    if shift.status == ShiftStatus.FILLED:
        return _("• {shift} — covered by {name}", shift=summary, name=name_of(ctx.session, shift.floater_id))
    if shift.status == ShiftStatus.OPEN:
        asked = sum(offer_counts(ctx.session, shift_id=shift.id or 0).values())
        return _("• {shift} — looking for a floater (asked {asked})", shift=summary, asked=asked)
    return _("• {shift} — {state}", shift=summary, state=STATUS_LABELS[shift.status])


def _short(ctx: Ctx, shift: Shift) -> Msg:
    return when(shift.starts_at, shift.ends_at, ctx.site_zone(shift.site_id))
