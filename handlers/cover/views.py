"""What each person sees of cover: a floater's shifts, a requester's requests, the Hub's board."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.cover.describe import STATUS_LABELS, name_of, shift_summary, when
from handlers.cover.env import Env
from handlers.i18n import Msg, _
from handlers.registry import registry
from models.cover.queries import (
    offer_counts,
    pending_offers_for,
    requested_shifts,
    shifts_between,
    upcoming_for_floater,
)
from models.cover.tables import Shift

MAX_BUTTONS = 8


@registry.command("shifts", _("your upcoming shifts (and drop one)"), roles=frozenset({"floater"}), spanish="turnos")
def my_shifts(ctx: Ctx, args: str) -> list[Reply]:
    """Lists her upcoming shifts with a [Drop] button each, and offers still waiting for her answer."""
    env = Env.of(ctx)
    shifts = upcoming_for_floater(ctx.session, floater_id=ctx.person_id, now=env.now)
    lines: list[Msg] = [_("Your upcoming shifts:") if shifts else _("You have no upcoming shifts.")]
    lines += [_("• {shift}", shift=shift_summary(ctx.session, s, env.zone)) for s in shifts]
    waiting = pending_offers_for(ctx.session, floater_id=ctx.person_id, now=env.now)
    if waiting:
        lines.append(_("Offers waiting for your answer: {count} (see the messages above).", count=len(waiting)))
    choices = tuple(Choice(_("Drop {when}", when=_short(env, s)), f"drp:{s.id}") for s in shifts[:MAX_BUTTONS])
    return [reply(*lines, choices=choices)]


@registry.command(
    "requests",
    _("your requests for cover and their state"),
    roles=frozenset({"teacher", "director"}),
    spanish="solicitudes",
)
def my_requests(ctx: Ctx, args: str) -> list[Reply]:
    """A teacher's own requests, or all of a director's site; each shift with its state and a [Cancel] button."""
    env = Env.of(ctx)
    if "director" in ctx.roles and ctx.me.site_id is not None:
        shifts = requested_shifts(ctx.session, now=env.now, site_id=ctx.me.site_id)
    else:
        shifts = requested_shifts(ctx.session, now=env.now, requester_id=ctx.person_id)
    if not shifts:
        return [reply(_("No upcoming requests. To ask for a floater, just write it, like: floater tomorrow 8-12."))]
    lines = [_("Upcoming requests:")] + [_state_line(ctx, env, s) for s in shifts]
    open_ones = [s for s in shifts if s.status in ("open", "filled")]
    choices = tuple(Choice(_("Cancel {when}", when=_short(env, s)), f"cx:{s.id}") for s in open_ones[:MAX_BUTTONS])
    return [reply(*lines, choices=choices)]


@registry.command("board", _("every shift today and tomorrow"), roles=frozenset({"hub"}), spanish="tablero")
def board(ctx: Ctx, args: str) -> list[Reply]:
    """Today's and tomorrow's shifts across the Alliance: at risk first, then open, offered, covered."""
    env = Env.of(ctx)
    today = env.now.astimezone(env.zone).date()
    start = datetime.combine(today, time(0), tzinfo=env.zone)
    shifts = shifts_between(ctx.session, start=start, end=start + timedelta(days=2))
    if not shifts:
        return [reply(_("Nothing on the board for today and tomorrow."))]
    rank = {"at_risk": 0, "open": 1, "offered": 2, "filled": 3}
    rows = sorted(((_board_state(env, s), s) for s in shifts), key=lambda item: (rank[item[0]], item[1].starts_at))
    lines: list[Msg] = [_("Board — today and tomorrow ({count} shifts):", count=len(shifts))]
    for state, shift in rows:
        lines.append(
            _("{state}: {shift}", state=BOARD_LABELS[state], shift=shift_summary(ctx.session, shift, env.zone))
        )
    return [reply(*lines)]


BOARD_LABELS = {"at_risk": _("AT RISK"), "open": _("open"), "offered": _("offered"), "filled": _("covered")}


def _board_state(env: Env, shift: Shift) -> str:
    if shift.status == "filled":
        return "filled"
    if shift.escalated_at is not None or shift.starts_at - env.now <= env.policy.urgent_window:
        return "at_risk"
    return "offered" if offer_counts(env.session, shift_id=shift.id or 0).get("sent") else "open"


def _state_line(ctx: Ctx, env: Env, shift: Shift) -> Msg:
    summary = shift_summary(ctx.session, shift, env.zone)
    if shift.status == "filled":
        return _("• {shift} — covered by {name}", shift=summary, name=name_of(ctx.session, shift.floater_id))
    if shift.status == "open":
        asked = sum(offer_counts(ctx.session, shift_id=shift.id or 0).values())
        return _("• {shift} — looking for a floater (asked {asked})", shift=summary, asked=asked)
    return _("• {shift} — {state}", shift=summary, state=STATUS_LABELS.get(shift.status, STATUS_LABELS["cancelled"]))


def _short(env: Env, shift: Shift) -> Msg:
    return when(shift.starts_at, shift.ends_at, env.site_zone(shift.site_id))
