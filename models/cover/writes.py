"""Write-side functions for cover: every state change is one conditional statement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from models.cover.tables import CoverRequest, Offer, Shift, ShiftEvent, SitePreference


def create_request(
    session: Session,
    *,
    requester_id: int,
    site_id: int,
    room_id: int,
    age_group: str,
    reason: str,
    windows: Sequence[tuple[datetime, datetime]],
    at: datetime,
) -> tuple[CoverRequest, list[Shift]]:
    """Store a request and one open shift per (start, end) window."""
    request = CoverRequest(requester_id=requester_id, site_id=site_id, room_id=room_id, reason=reason, created_at=at)
    session.add(request)
    session.flush()
    assert request.id is not None
    shifts = [
        Shift(
            request_id=request.id,
            site_id=site_id,
            room_id=room_id,
            age_group=age_group,
            reason=reason,
            starts_at=start,
            ends_at=end,
            requested_at=at,
        )
        for start, end in windows
    ]
    session.add_all(shifts)
    session.flush()
    for shift in shifts:
        assert shift.id is not None
        log_event(session, shift_id=shift.id, kind="requested", person_id=requester_id, at=at)
    return request, shifts


def claim_shift(session: Session, *, shift_id: int, floater_id: int, at: datetime, by_hub: bool = False) -> bool:
    """The first accept wins: open → filled in one statement; False when the shift was no longer open."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status) == "open")
        .values(status="filled", floater_id=floater_id, accepted_at=at, assigned_by_hub=by_hub)
        .returning(col(Shift.id))
    )
    won = session.execute(statement).first() is not None
    if won:
        log_event(session, shift_id=shift_id, kind="accepted", person_id=floater_id, at=at)
    return won


def release_shift(session: Session, *, shift_id: int, floater_id: int, at: datetime) -> bool:
    """A floater drops her shift: filled (by her) → open again; False when it was not hers to drop."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status) == "filled", col(Shift.floater_id) == floater_id)
        .values(status="open", floater_id=None, accepted_at=None, assigned_by_hub=False, escalated_at=None)
        .returning(col(Shift.id))
    )
    released = session.execute(statement).first() is not None
    if released:
        log_event(session, shift_id=shift_id, kind="dropped", person_id=floater_id, at=at)
    return released


def cancel_shift(session: Session, *, shift_id: int, by: int, at: datetime) -> tuple[bool, int | None]:
    """Open or filled → cancelled; returns (cancelled?, the floater who had it)."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status).in_(("open", "filled")))
        .values(status="cancelled", cancelled_at=at)
        .returning(col(Shift.floater_id))
    )
    row = session.execute(statement).first()
    if row is None:
        return False, None
    log_event(session, shift_id=shift_id, kind="cancelled", person_id=by, at=at)
    return True, row[0]


def mark_offered(session: Session, *, shift_id: int, at: datetime) -> None:
    session.execute(
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.first_offered_at).is_(None))
        .values(first_offered_at=at)
    )


def mark_escalated(session: Session, *, shift_id: int, at: datetime) -> bool:
    """Open and not yet escalated → escalated now; False otherwise (so it happens once)."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status) == "open", col(Shift.escalated_at).is_(None))
        .values(escalated_at=at)
        .returning(col(Shift.id))
    )
    escalated = session.execute(statement).first() is not None
    if escalated:
        log_event(session, shift_id=shift_id, kind="escalated", person_id=None, at=at)
    return escalated


def reopen_offer(session: Session, *, shift_id: int, floater_id: int, tier: int, at: datetime) -> bool:
    """Offer again to someone offered before (the Hub asks her directly)."""
    statement = (
        update(Offer)
        .where(col(Offer.shift_id) == shift_id, col(Offer.floater_id) == floater_id)
        .values(status="sent", tier=tier, offered_at=at, answered_at=None)
        .returning(col(Offer.id))
    )
    if session.execute(statement).first() is not None:
        return True
    return bool(send_offers(session, shift_id=shift_id, floater_ids=[floater_id], tier=tier, at=at))


def answer_offer(session: Session, *, shift_id: int, floater_id: int, status: str, at: datetime) -> bool:
    """A pending offer → accepted or declined, once."""
    statement = (
        update(Offer)
        .where(col(Offer.shift_id) == shift_id, col(Offer.floater_id) == floater_id, col(Offer.status) == "sent")
        .values(status=status, answered_at=at)
        .returning(col(Offer.id))
    )
    answered = session.execute(statement).first() is not None
    if answered and status == "declined":
        log_event(session, shift_id=shift_id, kind="declined", person_id=floater_id, at=at)
    return answered


def close_offers(session: Session, *, shift_id: int, status: str, at: datetime) -> list[int]:
    """Every offer still pending → `status` (filled, withdrawn); returns those floaters' ids."""
    statement = (
        update(Offer)
        .where(col(Offer.shift_id) == shift_id, col(Offer.status) == "sent")
        .values(status=status, answered_at=at)
        .returning(col(Offer.floater_id))
    )
    return [row[0] for row in session.execute(statement).all()]


def offer_statuses(session: Session, *, shift_id: int) -> dict[int, str]:
    """Floater id → the status of her offer for this shift."""
    rows = session.exec(select(Offer.floater_id, Offer.status).where(Offer.shift_id == shift_id)).all()
    return {floater_id: status for floater_id, status in rows}


def send_offers(session: Session, *, shift_id: int, floater_ids: Sequence[int], tier: int, at: datetime) -> list[int]:
    """Offer the shift to each floater never asked, or whose offer ended unanswered (filled, withdrawn).

    Two statements whatever the number of floaters; returns who was offered it now.
    """
    before = offer_statuses(session, shift_id=shift_id)
    new = [f for f in floater_ids if f not in before]
    again = [f for f in floater_ids if before.get(f) in ("filled", "withdrawn")]
    if new:
        rows = [{"shift_id": shift_id, "floater_id": f, "tier": tier, "status": "sent", "offered_at": at} for f in new]
        session.execute(insert(Offer), rows)
    if again:
        session.execute(
            update(Offer)
            .where(col(Offer.shift_id) == shift_id, col(Offer.floater_id).in_(again))
            .values(status="sent", tier=tier, offered_at=at, answered_at=None)
        )
    offered = [f for f in floater_ids if f in set(new) | set(again)]
    if offered:
        mark_offered(session, shift_id=shift_id, at=at)
    return offered


def offer_status(session: Session, *, shift_id: int, floater_id: int) -> str | None:
    return session.exec(select(Offer.status).where(Offer.shift_id == shift_id, Offer.floater_id == floater_id)).first()


def offered_floaters(session: Session, *, shift_id: int) -> set[int]:
    return set(session.exec(select(Offer.floater_id).where(Offer.shift_id == shift_id)).all())


def log_event(session: Session, *, shift_id: int, kind: str, person_id: int | None, at: datetime) -> None:
    session.add(ShiftEvent(shift_id=shift_id, kind=kind, person_id=person_id, at=at))


def set_preference(session: Session, *, site_id: int, floater_id: int, kind: str) -> None:
    """Make a floater a favourite of, or blocked at, a site (replacing what was there)."""
    existing = session.get(SitePreference, (site_id, floater_id))
    if existing is None:
        session.add(SitePreference(site_id=site_id, floater_id=floater_id, kind=kind))
    else:
        existing.kind = kind
        session.add(existing)
    session.flush()
