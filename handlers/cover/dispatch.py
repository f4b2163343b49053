"""Offering a shift: the site's favourites first, then every eligible floater; escalation; reminders."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from handlers.contract import Choice, Reply, tell, tell_hub
from handlers.cover.describe import floater_reason, shift_summary
from handlers.cover.env import Env
from handlers.cover.policy import ESCALATE, OFFER_EVERYONE, REMIND
from handlers.i18n import Msg, _
from models.cover import writes as shift_data
from models.cover.eligibility import eligible_floaters
from models.cover.queries import offer_counts, requester_of, site_directors
from models.cover.tables import Shift
from models.messaging import tasks
from models.roster.tables import Person, Room, Site


def start_offers(env: Env, shift: Shift) -> list[Reply]:
    """Offer a new (or dropped) shift: favourites now and everyone after the wait, or everyone now."""
    assert shift.id is not None
    replies: list[Reply] = []
    favourites = eligible(env, shift, favourites_only=True)
    if favourites:
        replies += _offer(env, shift, favourites, tier=1)
        wait = env.policy.urgent_wait if _is_urgent(env, shift) else env.policy.favourites_wait
        tasks.schedule(
            env.session,
            kind=OFFER_EVERYONE,
            due_at=env.now + wait,
            payload={"shift_id": shift.id},
            key=_key("all", shift, env),
        )
    else:
        replies += offer_everyone(env, shift)
    due = env.now if _is_urgent(env, shift) else max(env.now, shift.starts_at - env.policy.escalate_before)
    tasks.schedule(env.session, kind=ESCALATE, due_at=due, payload={"shift_id": shift.id}, key=_key("esc", shift, env))
    return replies


def offer_everyone(env: Env, shift: Shift, *, skip: tuple[int, ...] = ()) -> list[Reply]:
    """Offer to every eligible floater not yet asked (or asked before a drop); escalate if there is nobody."""
    env.session.refresh(shift)
    if shift.status != "open":
        return []
    replies = _offer(env, shift, eligible(env, shift, exclude=skip), tier=2)
    if not replies and not offer_counts(env.session, shift_id=shift.id or 0).get("sent"):
        replies += escalate(env, shift)
    return replies


def escalate(env: Env, shift: Shift) -> list[Reply]:
    """Once per open period: the Hub channel gets the shift and buttons to ask an eligible floater."""
    assert shift.id is not None
    if not shift_data.mark_escalated(env.session, shift_id=shift.id, at=env.now):
        return []
    counts = offer_counts(env.session, shift_id=shift.id)
    candidates = eligible(env, shift)[: env.policy.hub_assign_choices]
    choices = tuple(
        Choice(_("Ask {name}", name=person.name), f"asg:{shift.id}:{person.id}") for person in candidates if person.id
    )
    lines = [
        _("⚠ Not filled yet: {shift}", shift=shift_summary(env.session, shift, env.zone)),
        _(
            "Offered to {offered}, declined by {declined}.",
            offered=sum(counts.values()),
            declined=counts.get("declined", 0),
        ),
    ]
    lines.append(_("Ask one of these floaters to confirm:") if choices else _("No eligible floater is free."))
    replies = [tell_hub(*lines, choices=choices, urgent=True, ref=f"esc:{shift.id}")]
    replies += tell_site(
        env,
        shift,
        _(
            "Still looking for cover: {shift}. The Hub has been alerted.",
            shift=shift_summary(env.session, shift, env.zone),
        ),
    )
    return replies


def offer_message(env: Env, shift: Shift, floater_id: int, *, by_hub: bool = False) -> Reply:
    """The offer a floater reads, with [Accept] [Decline]; never the reason if it is sick or personal."""
    return offer_messages(env, shift, [floater_id], by_hub=by_hub)[0]


def offer_messages(env: Env, shift: Shift, floater_ids: list[int], *, by_hub: bool = False) -> list[Reply]:
    """The same offer to each floater (its text built once)."""
    site, room = env.session.get(Site, shift.site_id), env.session.get(Room, shift.room_id)
    assert site is not None
    assert room is not None
    assert shift.id is not None
    lines: list[Msg] = [_("The Hub asks: can you cover this shift?") if by_hub else _("Can you cover this shift?")]
    lines.append(shift_summary(env.session, shift, env.zone))
    lines += floater_reason(shift)
    if site.bring:
        lines.append(_("Bring: {bring}", bring=site.bring))
    choices = (Choice(_("Accept"), f"acc:{shift.id}"), Choice(_("Decline"), f"dec:{shift.id}"))
    return [tell(f, *lines, choices=choices, urgent=True, ref=f"offer:{shift.id}") for f in floater_ids]


def tell_site(env: Env, shift: Shift, *lines: Msg, skip: int | None = None) -> list[Reply]:
    """The same message to the person who asked and to the site's directors (once each)."""
    people = [
        requester_of(env.session, shift=shift),
        *(d.id for d in site_directors(env.session, site_id=shift.site_id)),
    ]
    seen: list[int] = []
    for person_id in people:
        if person_id is not None and person_id != skip and person_id not in seen:
            seen.append(person_id)
    return [tell(person_id, *lines) for person_id in seen]


def schedule_reminders(env: Env, shift: Shift, floater_id: int) -> None:
    """The evening before (if still ahead) and shortly before the start."""
    zone = env.site_zone(shift.site_id)
    local_start = shift.starts_at.astimezone(zone)
    evening = datetime.combine(local_start.date() - timedelta(days=1), env.policy.reminder_evening, tzinfo=zone)
    stamp = int(env.now.timestamp())
    for kind, due in (("evening", evening), ("soon", shift.starts_at - env.policy.reminder_before)):
        if due > env.now:
            payload = {"shift_id": shift.id, "floater_id": floater_id, "kind": kind}
            tasks.schedule(
                env.session,
                kind=REMIND,
                due_at=due,
                payload=payload,
                key=f"remind:{shift.id}:{floater_id}:{kind}:{stamp}",
            )


def reminder(env: Env, shift: Shift, floater_id: int, kind: str) -> list[Reply]:
    """The reminder itself, only if she still has the shift."""
    env.session.refresh(shift)
    if shift.status != "filled" or shift.floater_id != floater_id:
        return []
    site = env.session.get(Site, shift.site_id)
    assert site is not None
    summary = shift_summary(env.session, shift, env.zone)
    first = (
        _("Reminder: tomorrow you cover {shift}.", shift=summary)
        if kind == "evening"
        else _("Reminder: soon you cover {shift}.", shift=summary)
    )
    return [tell(floater_id, first, _("Address: {address}", address=site.address or "—"), routine=True)]


def _offer(env: Env, shift: Shift, people: list[Person], *, tier: int) -> list[Reply]:
    """Offer to those not asked yet, or whose earlier offer ended without an answer (filled, withdrawn)."""
    assert shift.id is not None
    ids = [p.id for p in people if p.id is not None]
    offered = shift_data.send_offers(env.session, shift_id=shift.id, floater_ids=ids, tier=tier, at=env.now)
    return offer_messages(env, shift, offered)


def eligible(env: Env, shift: Shift, *, favourites_only: bool = False, exclude: Collection[int] = ()) -> list[Person]:
    """Who may be offered this shift now: the credential rule checked on the shift's date in its site's zone."""
    return eligible_floaters(
        env.session,
        shift=shift,
        on=shift.starts_at.astimezone(env.site_zone(shift.site_id)).date(),
        rule=env.policy.credentials,
        favourites_only=favourites_only,
        exclude=exclude,
    )


def _is_urgent(env: Env, shift: Shift) -> bool:
    return shift.starts_at - env.now <= env.policy.urgent_window


def _key(kind: str, shift: Shift, env: Env) -> str:
    return f"{kind}:{shift.id}:{int(env.now.timestamp())}"
