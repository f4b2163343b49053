"""Write-side functions for cover: every state change is one conditional statement, and logged as a ShiftEvent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Insert, and_, bindparam, exists, null, or_, update
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models.cover.tables import (
    CoverRequest,
    Offer,
    OfferStatus,
    Origin,
    PreferenceKind,
    Reason,
    Shift,
    ShiftEvent,
    ShiftEventKind,
    ShiftStatus,
    SitePreference,
    Tier,
)
from models.roster.tables import Person
from models.sql import dialect_insert

LIVE = (ShiftStatus.OPEN, ShiftStatus.FILLED)  # not cancelled
ENDED_UNANSWERED = (OfferStatus.FILLED, OfferStatus.WITHDRAWN)  # may be offered again


def create_request(
    session: Session,
    *,
    requester_id: int,
    site_id: int,
    room_id: int,
    age_group: str,
    reason: Reason,
    windows: Sequence[tuple[datetime, datetime]],
    at: datetime,
    origin: Origin = Origin.CHAT,
) -> tuple[CoverRequest, list[Shift]]:
    """Store a request and one open shift per (start, end) window."""
    request = CoverRequest(
        requester_id=requester_id, site_id=site_id, room_id=room_id, reason=reason, origin=origin, created_at=at
    )
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
        log_event(session, shift_id=shift.id, kind=ShiftEventKind.REQUESTED, person_id=requester_id, at=at)
    return request, shifts


def claim_shift(session: Session, *, shift_id: int, floater_id: int, at: datetime, by_hub: bool = False) -> bool:
    """The first accept wins: open → filled in one statement, and only if she holds no overlapping shift.

    False when the shift was no longer open or she is booked at that time. Her row is locked first, so two of
    her accounts accepting two overlapping shifts at once are taken one after the other (on PostgreSQL; SQLite
    writes one transaction at a time anyway), and the second sees the first's booking.
    """
    # NO KEY UPDATE: it serializes her claims, yet lets other transactions insert rows that merely refer to her
    # (an outbox message to her), which a plain FOR UPDATE would block — and deadlock with our own such inserts.
    session.execute(select(Person.id).where(Person.id == floater_id).with_for_update(key_share=True))
    other = aliased(Shift)
    booked_then = exists().where(
        and_(
            col(other.floater_id) == floater_id,
            col(other.status) == ShiftStatus.FILLED,
            col(other.id) != shift_id,
            col(other.starts_at) < col(Shift.ends_at),
            col(other.ends_at) > col(Shift.starts_at),
        )
    )
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status) == ShiftStatus.OPEN, ~booked_then)
        .values(status=ShiftStatus.FILLED, floater_id=floater_id, accepted_at=at, assigned_by_hub=by_hub)
        .returning(col(Shift.id))
    )
    won = session.execute(statement).first() is not None
    if won:
        log_event(session, shift_id=shift_id, kind=ShiftEventKind.ACCEPTED, person_id=floater_id, at=at)
    return won


def release_shift(session: Session, *, shift_id: int, floater_id: int, at: datetime, dropped: bool = True) -> bool:
    """Filled (by her) → open again; False when it was not hers. A drop is logged as one (the digest counts
    them); a release because the shift moved away from her is logged by the move."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status) == ShiftStatus.FILLED, col(Shift.floater_id) == floater_id)
        .values(status=ShiftStatus.OPEN, floater_id=None, accepted_at=None, assigned_by_hub=False, escalated_at=None)
        .returning(col(Shift.id))
    )
    released = session.execute(statement).first() is not None
    if released and dropped:
        log_event(session, shift_id=shift_id, kind=ShiftEventKind.DROPPED, person_id=floater_id, at=at)
    return released


def cancel_shift(session: Session, *, shift_id: int, by: int | None, at: datetime) -> tuple[bool, int | None]:
    """Open or filled → cancelled; returns (cancelled?, the floater who had it)."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status).in_(LIVE))
        .values(status=ShiftStatus.CANCELLED, cancelled_at=at)
        .returning(col(Shift.floater_id))
    )
    row = session.execute(statement).first()
    if row is None:
        return False, None
    log_event(session, shift_id=shift_id, kind=ShiftEventKind.CANCELLED, person_id=by, at=at)
    return True, row[0]


def move_shift(
    session: Session, *, shift_id: int, starts_at: datetime, ends_at: datetime, by: int | None, at: datetime
) -> bool:
    """A live shift gets new times (its floater, if any, is kept or released by the caller); False if cancelled."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status).in_(LIVE))
        .values(starts_at=starts_at, ends_at=ends_at, escalated_at=None)
        .returning(col(Shift.id))
    )
    moved = session.execute(statement).first() is not None
    if moved:
        log_event(session, shift_id=shift_id, kind=ShiftEventKind.MOVED, person_id=by, at=at)
    return moved


def mark_offered(session: Session, *, shift_id: int, at: datetime) -> None:
    """When it was first offered (metrics: time to fill): a core UPDATE, as no step reads it back."""
    session.execute(_MARK_OFFERED, {"shift": shift_id, "at": at})


_shifts = Shift.__table__.c  # type: ignore[attr-defined]
_MARK_OFFERED = (
    update(Shift.__table__)  # type: ignore[attr-defined]
    .where(_shifts.id == bindparam("shift"), _shifts.first_offered_at.is_(None))
    .values(first_offered_at=bindparam("at", type_=_shifts.first_offered_at.type))
)


def mark_escalated(session: Session, *, shift_id: int, at: datetime) -> bool:
    """Open and not yet escalated → escalated now; False otherwise (so it happens once)."""
    statement = (
        update(Shift)
        .where(col(Shift.id) == shift_id, col(Shift.status) == ShiftStatus.OPEN, col(Shift.escalated_at).is_(None))
        .values(escalated_at=at)
        .returning(col(Shift.id))
    )
    escalated = session.execute(statement).first() is not None
    if escalated:
        log_event(session, shift_id=shift_id, kind=ShiftEventKind.ESCALATED, person_id=None, at=at)
    return escalated


def reopen_offer(session: Session, *, shift_id: int, floater_id: int, tier: Tier, at: datetime) -> bool:
    """Offer again to someone offered before (the Hub asks her directly)."""
    statement = (
        update(Offer)
        .where(col(Offer.shift_id) == shift_id, col(Offer.floater_id) == floater_id)
        .values(status=OfferStatus.SENT, tier=tier, offered_at=at, answered_at=None)
        .returning(col(Offer.id))
    )
    if session.execute(statement).first() is not None:
        return True
    return bool(send_offers(session, shift_id=shift_id, floater_ids=[floater_id], tier=tier, at=at))


def answer_offer(session: Session, *, shift_id: int, floater_id: int, status: OfferStatus, at: datetime) -> bool:
    """A pending offer → accepted, declined (or filled, when she was too late), once."""
    statement = (
        update(Offer)
        .where(
            col(Offer.shift_id) == shift_id, col(Offer.floater_id) == floater_id, col(Offer.status) == OfferStatus.SENT
        )
        .values(status=status, answered_at=at)
        .returning(col(Offer.id))
    )
    answered = session.execute(statement).first() is not None
    if answered and status == OfferStatus.DECLINED:
        log_event(session, shift_id=shift_id, kind=ShiftEventKind.DECLINED, person_id=floater_id, at=at)
    return answered


def close_offers(
    session: Session, *, shift_id: int, status: OfferStatus, at: datetime, only: Sequence[int] | None = None
) -> list[int]:
    """Every offer still pending (or only those of `only`) → `status` (filled, withdrawn); returns the floaters."""
    statement = update(Offer).where(col(Offer.shift_id) == shift_id, col(Offer.status) == OfferStatus.SENT)
    if only is not None:
        statement = statement.where(col(Offer.floater_id).in_(only))
    rows = session.execute(statement.values(status=status, answered_at=at).returning(col(Offer.floater_id))).all()
    return [row[0] for row in rows]


def offer_statuses(session: Session, *, shift_id: int) -> dict[int, OfferStatus]:
    """Floater id → the status of her offer for this shift."""
    rows = session.execute(_OFFER_STATUSES, {"shift": shift_id})
    return {floater_id: OfferStatus(status) for floater_id, status in rows}


_offers = Offer.__table__.c  # type: ignore[attr-defined]
_OFFER_STATUSES = select_columns(_offers.floater_id, _offers.status).where(_offers.shift_id == bindparam("shift"))


def askable(session: Session, *, shift_id: int, floater_ids: Sequence[int]) -> list[int]:
    """Those of `floater_ids` (in their order) who may be offered the shift now: never asked, or their offer
    ended unanswered."""
    before = offer_statuses(session, shift_id=shift_id)
    return [f for f in floater_ids if f not in before or before[f] in ENDED_UNANSWERED]


def send_offers(session: Session, *, shift_id: int, floater_ids: Sequence[int], tier: Tier, at: datetime) -> list[int]:
    """Offer the shift to each floater never asked, or whose offer ended unanswered (filled, withdrawn); an offer
    still open or answered is left as it is. Returns who was offered it now, in `floater_ids`' order.

    One statement whatever the number of floaters (and one more, the shift's first offer, when someone was).
    """
    if not floater_ids:
        return []
    rows = [
        {"shift_id": shift_id, "floater_id": f, "tier": tier, "status": OfferStatus.SENT, "offered_at": at}
        for f in floater_ids
    ]
    now = set(session.execute(_offering(session.get_bind().dialect.name), rows).scalars())
    offered = [f for f in floater_ids if f in now]
    if offered:
        mark_offered(session, shift_id=shift_id, at=at)
    return offered


@lru_cache(maxsize=2)
def _offering(dialect: str) -> Insert:
    """New offers go in; one that ended unanswered is sent again; any other stays: who was offered comes back.
    Built once; SQLAlchemy sends the rows as one INSERT of many VALUES ("insertmanyvalues")."""
    statement = dialect_insert(dialect, Offer.__table__)  # type: ignore[attr-defined]
    again = {
        "status": OfferStatus.SENT,
        "tier": statement.excluded.tier,
        "offered_at": statement.excluded.offered_at,
        "answered_at": null(),  # not None: a bound None makes SQLAlchemy send the rows as one INSERT each
    }
    return statement.on_conflict_do_update(
        index_elements=[_offers.shift_id, _offers.floater_id],
        set_=again,
        where=or_(*(_offers.status == status for status in ENDED_UNANSWERED)),  # not IN: a list can't be batched
    ).returning(_offers.floater_id)


def log_event(session: Session, *, shift_id: int, kind: ShiftEventKind, person_id: int | None, at: datetime) -> None:
    session.add(ShiftEvent(shift_id=shift_id, kind=kind, person_id=person_id, at=at))


def set_preference(session: Session, *, site_id: int, floater_id: int, kind: PreferenceKind) -> None:
    """Make a floater a favourite of, or blocked at, a site (replacing what was there)."""
    existing = session.get(SitePreference, (site_id, floater_id))
    if existing is None:
        session.add(SitePreference(site_id=site_id, floater_id=floater_id, kind=kind))
    else:
        existing.kind = kind
        session.add(existing)
    session.flush()
