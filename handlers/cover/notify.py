"""Cover's chat messages, as subscribers of its events: offers, confirmations, what the site and the Hub are told.

Floaters are always told what concerns them. The requester and the site's directors are told here only about
requests asked in chat, by the Hub or from the CLI; a feature that books cover for its own purpose (a supervision
booking) tells its own people, so nobody hears the same news twice.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Choice, Reply, tell, tell_hub
from handlers.cover.describe import floater_reason, name_of, shift_summary, site_address, site_bring, when
from handlers.cover.events import (
    OffersClosed,
    OffersSent,
    ShiftCancelled,
    ShiftDropped,
    ShiftEscalated,
    ShiftFilled,
    ShiftMoved,
    ShiftStartedUncovered,
)
from handlers.cover.service import eligible
from handlers.cover.service.offers import policy
from handlers.i18n import Msg, _
from handlers.reminders import too_late
from models.cover.queries import offer_counts, pending_floaters, request_origin, requester_of, site_directors
from models.cover.tables import OfferStatus, Origin, Shift, ShiftStatus
from models.roster.tables import Room, Site

SPEAKS_FOR_SITE = frozenset({Origin.CHAT, Origin.HUB, Origin.CLI})


@bus.subscribe(OffersSent)
def offers(ctx: Ctx, event: OffersSent) -> list[Reply]:
    """The same offer to each floater, with [Accept] [Decline]; never the reason if it is sick or personal."""
    return offer_messages(ctx, _shift(ctx, event.shift_id), event.floater_ids, by_hub=event.by_hub)


@bus.subscribe(OffersClosed)
def offers_closed(ctx: Ctx, event: OffersClosed) -> list[Reply]:
    """Each closed offer's message is edited in place to say why."""
    if event.moved:
        text = _("No longer for you — this shift moved to a time you are not free. Thank you!")
    elif event.over:
        text = _("No longer offered — this shift is over.")
    elif event.why == OfferStatus.FILLED:
        text = _("Filled — thank you!")
    else:
        text = _("No longer needed — this shift was cancelled.")
    summary = _summary(ctx, _shift(ctx, event.shift_id))
    return [tell(f, text, summary, edits=f"offer:{event.shift_id}") for f in event.floater_ids]


@bus.subscribe(ShiftFilled)
def filled(ctx: Ctx, event: ShiftFilled) -> list[Reply]:
    """Her confirmation with the address and room; the requester and directors told who is coming."""
    shift = _shift(ctx, event.shift_id)
    site, room = ctx.session.get(Site, shift.site_id), ctx.session.get(Room, shift.room_id)
    assert site is not None
    assert room is not None
    summary = _summary(ctx, shift)
    mine = tell(
        event.floater_id,
        _("Confirmed — thank you! You cover {shift}.", shift=summary),
        _("Address: {address}. Room: {room}.", address=site_address(site), room=room.name),
        _("Send /shifts to see your shifts or to drop one."),
    )
    coming = _("{name} is coming to cover {shift}.", name=name_of(ctx.session, event.floater_id), shift=summary)
    return [mine, *tell_site(ctx, shift, coming)]


@bus.subscribe(ShiftCancelled)
def cancelled(ctx: Ctx, event: ShiftCancelled) -> list[Reply]:
    """The floater who had it is released with thanks; the site hears who cancelled (not the one who did)."""
    shift = _shift(ctx, event.shift_id)
    summary = _summary(ctx, shift)
    replies: list[Reply] = []
    if event.floater_id is not None:
        replies.append(
            tell(event.floater_id, _("Cancelled — you are no longer needed for {shift}. Thank you!", shift=summary))
        )
    if event.by is not None:
        by = name_of(ctx.session, event.by)
        replies += tell_site(
            ctx, shift, _("{name} cancelled cover for {shift}.", name=by, shift=summary), skip=event.by
        )
    return replies


@bus.subscribe(ShiftDropped)
def dropped(ctx: Ctx, event: ShiftDropped) -> list[Reply]:
    shift = _shift(ctx, event.shift_id)
    line = _(
        "{name} can no longer cover {shift}. I'm finding someone else.",
        name=name_of(ctx.session, event.floater_id),
        shift=_summary(ctx, shift),
    )
    return tell_site(ctx, shift, line)


@bus.subscribe(ShiftMoved)
def moved(ctx: Ctx, event: ShiftMoved) -> list[Reply]:
    """The floater hears once whether she keeps it; pending offers show the new time; the site hears of it."""
    shift = _shift(ctx, event.shift_id)
    summary, before = _summary(ctx, shift), when(event.old_starts_at, event.old_ends_at, ctx.site_zone(shift.site_id))
    replies: list[Reply] = []
    if event.kept is not None:
        replies.append(
            tell(
                event.kept,
                _(
                    "Moved: the shift of {before} is now {shift}. It's still yours — thank you!",
                    before=before,
                    shift=summary,
                ),
            )
        )
    if event.released is not None:
        replies.append(
            tell(
                event.released,
                _(
                    "Moved: the shift of {before} is now {shift}, when you are not free, so it is released. Thank you!",
                    before=before,
                    shift=summary,
                ),
            )
        )
    still_asked = pending_floaters(ctx.session, shift_id=shift.id or 0)
    replies += [replace(r, edits=f"offer:{shift.id}") for r in offer_messages(ctx, shift, still_asked)]
    line = _("Moved: cover of {before} is now {shift}.", before=before, shift=summary)
    return replies + tell_site(ctx, shift, line, skip=event.by)


@bus.subscribe(ShiftEscalated)
def escalated(ctx: Ctx, event: ShiftEscalated) -> list[Reply]:
    """The Hub channel gets the shift and buttons to ask an eligible floater; the site hears the Hub knows."""
    shift = _shift(ctx, event.shift_id)
    counts = offer_counts(ctx.session, shift_id=event.shift_id)
    candidates = eligible(ctx, shift)[: policy(ctx).hub_assign_choices]
    choices = tuple(
        Choice(_("Ask {name}", name=person.name), f"asg:{shift.id}:{person.id}") for person in candidates if person.id
    )
    lines = [
        _("⚠ Not filled yet: {shift}", shift=_summary(ctx, shift)),
        _(
            "Offered to {offered}, declined by {declined}.",
            offered=sum(counts.values()),
            declined=counts.get(OfferStatus.DECLINED, 0),
        ),
        _("Ask one of these floaters to confirm:") if choices else _("No eligible floater is free."),
    ]
    still = _("Still looking for cover: {shift}. The Hub has been alerted.", shift=_summary(ctx, shift))
    return [tell_hub(*lines, choices=choices, urgent=True, ref=f"esc:{shift.id}"), *tell_site(ctx, shift, still)]


@bus.subscribe(ShiftStartedUncovered)
def started_uncovered(ctx: Ctx, event: ShiftStartedUncovered) -> list[Reply]:
    shift = _shift(ctx, event.shift_id)
    return [tell_hub(_("⚠ Started with no floater: {shift}", shift=_summary(ctx, shift)), urgent=True)]


def offer_messages(
    ctx: Ctx, shift: Shift, floater_ids: tuple[int, ...] | list[int], *, by_hub: bool = False
) -> list[Reply]:
    """The same offer to each floater (its text built once)."""
    site = ctx.session.get(Site, shift.site_id)
    assert site is not None
    lines: list[Msg] = [_("The Hub asks: can you cover this shift?") if by_hub else _("Can you cover this shift?")]
    lines.append(_summary(ctx, shift))
    lines += floater_reason(shift)
    if (bring := site_bring(site)) is not None:
        lines.append(_("Bring: {bring}", bring=bring))
    choices = (Choice(_("Accept"), f"acc:{shift.id}"), Choice(_("Decline"), f"dec:{shift.id}"))
    return [tell(f, *lines, choices=choices, urgent=True, ref=f"offer:{shift.id}") for f in floater_ids]


def tell_site(ctx: Ctx, shift: Shift, *lines: Msg, skip: int | None = None) -> list[Reply]:
    """The same message to the person who asked and to the site's directors (once each)."""
    if request_origin(ctx.session, shift=shift) not in SPEAKS_FOR_SITE:
        return []
    people = [
        requester_of(ctx.session, shift=shift),
        *(d.id for d in site_directors(ctx.session, site_id=shift.site_id)),
    ]
    seen: list[int] = []
    for person_id in people:
        if person_id is not None and person_id != skip and person_id not in seen:
            seen.append(person_id)
    return [tell(person_id, *lines) for person_id in seen]


def reminder(ctx: Ctx, shift: Shift, floater_id: int, kind: str) -> list[Reply]:
    """The evening-before or shortly-before reminder, only if she still has the shift."""
    ctx.session.refresh(shift)
    if shift.status != ShiftStatus.FILLED or shift.floater_id != floater_id:
        return []
    if too_late(ctx, shift.starts_at):
        return []
    site = ctx.session.get(Site, shift.site_id)
    assert site is not None
    summary = _summary(ctx, shift)
    first = (
        _("Reminder: tomorrow you cover {shift}.", shift=summary)
        if kind == "evening"
        else _("Reminder: soon you cover {shift}.", shift=summary)
    )
    return [tell(floater_id, first, _("Address: {address}", address=site_address(site)), routine=True)]


def _shift(ctx: Ctx, shift_id: int) -> Shift:
    shift = ctx.session.get(Shift, shift_id)
    assert shift is not None
    return shift


def _summary(ctx: Ctx, shift: Shift) -> Msg:
    return shift_summary(ctx.session, shift, ctx.config.zone)
