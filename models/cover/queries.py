"""Read-side queries about cover: who to tell, what is booked, what is on the board."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TypeVar

from sqlalchemy import BindParameter, CompoundSelect, bindparam, exists, func, union
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.cover.eligibility import MAX_SHIFT
from models.cover.tables import CoverRequest, Offer, OfferStatus, Origin, Shift, ShiftStatus
from models.roster.tables import Person, PersonRole, Room

T = TypeVar("T")


def site_directors(session: Session, *, site_id: int) -> list[Person]:
    return list(
        session.exec(
            select(Person)
            .where(Person.site_id == site_id, col(Person.active).is_(True))
            .where(exists().where(col(PersonRole.person_id) == col(Person.id), col(PersonRole.role) == "director"))
            .order_by(col(Person.name))
        ).all()
    )


def site_rooms(session: Session, *, site_id: int) -> list[Room]:
    return list(session.exec(_SITE_ROOMS, params={"site_id": site_id}).all())


_SITE_ROOMS = select(Room).where(col(Room.site_id) == bindparam("site_id")).order_by(col(Room.id))  # built once


def requesters_then(session: Session, *, room_id: int, starts_at: datetime, ends_at: datetime) -> set[int]:
    """Who asked for cover in this room at times overlapping these, for a shift open or covered (one statement,
    built once: asked of every request, its own repeat refused and another person's said)."""
    params = {"room_id": room_id, "starts_at": starts_at, "ends_at": ends_at, "not_before": starts_at - MAX_SHIFT}
    return {int(i) for i in session.execute(_REQUESTERS_THEN, params).scalars()}


_shifts, _requests = Shift.__table__.c, CoverRequest.__table__.c  # type: ignore[attr-defined]
_REQUESTERS_THEN = (
    select_columns(_requests.requester_id)
    .join_from(Shift.__table__, CoverRequest.__table__, _requests.id == _shifts.request_id)  # type: ignore[attr-defined]
    .where(_shifts.room_id == bindparam("room_id"), _shifts.status.in_((ShiftStatus.OPEN, ShiftStatus.FILLED)))
    .where(_shifts.starts_at < bindparam("ends_at"), _shifts.ends_at > bindparam("starts_at"))
    # A shift lies within a day, so an overlapping one starts less than a day earlier: the bound keeps the read to
    # the room's shifts of the last day, not its whole history.
    .where(_shifts.starts_at > bindparam("not_before"))
    .distinct()
)


def shifts_of_request(session: Session, *, request_id: int) -> list[Shift]:
    return list(session.exec(select(Shift).where(Shift.request_id == request_id).order_by(col(Shift.starts_at))).all())


def request_origin(session: Session, *, shift: Shift) -> Origin:
    request = session.get(CoverRequest, shift.request_id)
    assert request is not None
    return request.origin


def upcoming_for_floater(session: Session, *, floater_id: int, now: datetime) -> list[Shift]:
    statement = (
        select(Shift)
        .where(Shift.floater_id == floater_id, Shift.status == ShiftStatus.FILLED, col(Shift.ends_at) > now)
        .order_by(col(Shift.starts_at))
    )
    return list(session.exec(statement).all())


def pending_offers_for(session: Session, *, floater_id: int, now: datetime) -> list[Shift]:
    statement = (
        select(Shift)
        .join(Offer, col(Offer.shift_id) == col(Shift.id))
        .where(Offer.floater_id == floater_id, Offer.status == OfferStatus.SENT)
        .where(Shift.status == ShiftStatus.OPEN, col(Shift.ends_at) > now)  # under way: she may still come
        .order_by(col(Shift.starts_at))
    )
    return list(session.exec(statement).all())


def requested_shifts(
    session: Session,
    *,
    now: datetime,
    requester_id: int | None = None,
    site_id: int | None = None,
    statuses: Collection[ShiftStatus] = (),
    limit: int | None = None,
) -> list[Shift]:
    """Shifts not yet over that this person asked for (or of this site; or in these `statuses`), oldest start
    first; at most `limit` of them (`count_requested_shifts` says how many there are)."""
    statement = _requested(select(Shift), now, requester_id, site_id, statuses).order_by(
        col(Shift.starts_at), col(Shift.id)
    )
    return list(session.exec(statement.limit(limit)).all())


def count_requested_shifts(
    session: Session,
    *,
    now: datetime,
    requester_id: int | None = None,
    site_id: int | None = None,
    statuses: Collection[ShiftStatus] = (),
) -> int:
    """How many shifts `requested_shifts` would list without its limit."""
    statement = _requested(select(func.count(col(Shift.id))), now, requester_id, site_id, statuses)
    return session.exec(statement).one()


def _requested(
    statement: SelectOfScalar[T],
    now: datetime,
    requester_id: int | None,
    site_id: int | None,
    statuses: Collection[ShiftStatus],
) -> SelectOfScalar[T]:
    statement = statement.join(CoverRequest, col(CoverRequest.id) == col(Shift.request_id)).where(
        col(Shift.ends_at) > now
    )
    if requester_id is not None:
        statement = statement.where(CoverRequest.requester_id == requester_id)
    if site_id is not None:
        statement = statement.where(Shift.site_id == site_id)
    if statuses:
        statement = statement.where(col(Shift.status).in_(list(statuses)))
    return statement


def shifts_between(session: Session, *, start: datetime, end: datetime, site_id: int | None = None) -> list[Shift]:
    """Every shift that is not cancelled and starts in [start, end) — the Hub's board (of one site: a director's)."""
    statement = (
        select(Shift)
        .where(col(Shift.status) != ShiftStatus.CANCELLED, col(Shift.starts_at) >= start, col(Shift.starts_at) < end)
        .order_by(col(Shift.starts_at), col(Shift.id))
    )
    if site_id is not None:
        statement = statement.where(Shift.site_id == site_id)
    return list(session.exec(statement).all())


def offer_of(session: Session, *, shift_id: int, floater_id: int) -> Offer | None:
    return session.exec(select(Offer).where(Offer.shift_id == shift_id, Offer.floater_id == floater_id)).first()


def pending_floaters(session: Session, *, shift_id: int) -> list[int]:
    """Floaters whose offer of this shift waits for their answer."""
    statement = select(Offer.floater_id).where(Offer.shift_id == shift_id, Offer.status == OfferStatus.SENT)
    return list(session.exec(statement.order_by(col(Offer.floater_id))).all())


def offered_floaters(session: Session, *, shift_id: int) -> set[int]:
    return set(session.exec(select(Offer.floater_id).where(Offer.shift_id == shift_id)).all())


def offer_counts(session: Session, *, shift_id: int) -> dict[OfferStatus, int]:
    rows = session.exec(
        select(Offer.status, func.count()).where(Offer.shift_id == shift_id).group_by(col(Offer.status))
    ).all()
    return {OfferStatus(status): number for status, number in rows}


def requesters_and_directors(session: Session, *, shift_ids: Collection[int]) -> set[int]:
    """Who asked for these shifts, and the active directors of their sites: one statement, built once (asked on
    every change of a shift, for the Home tabs that show it)."""
    if not shift_ids:
        return set()
    return {int(i) for i in session.execute(_CONCERNED, {"ids": list(shift_ids)}).scalars()}


def _concerned() -> CompoundSelect[int]:
    shift, request = Shift.__table__.c, CoverRequest.__table__.c  # type: ignore[attr-defined]
    person, role = Person.__table__.c, PersonRole.__table__.c  # type: ignore[attr-defined]
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    requesters = select_columns(request.requester_id).join_from(
        Shift.__table__,  # type: ignore[attr-defined]
        CoverRequest.__table__,  # type: ignore[attr-defined]
        request.id == shift.request_id,
    )
    directors = select_columns(person.id).where(
        person.active.is_(True),
        person.site_id.in_(select_columns(shift.site_id).where(shift.id.in_(ids))),
        exists().where(role.person_id == person.id, role.role == "director"),
    )
    return union(requesters.where(shift.id.in_(ids)), directors)


_CONCERNED = _concerned()


def requester_of(session: Session, *, shift: Shift) -> int:
    request = session.get(CoverRequest, shift.request_id)
    assert request is not None
    return request.requester_id


def protected_minutes(session: Session, *, requester_id: int, start: datetime, end: datetime) -> dict[str, int]:
    """Reason → minutes of covered shifts this person asked for that ended in [start, end)."""
    rows = session.exec(
        select(Shift.reason, Shift.starts_at, Shift.ends_at)
        .join(CoverRequest, col(CoverRequest.id) == col(Shift.request_id))
        .where(CoverRequest.requester_id == requester_id, Shift.status == ShiftStatus.FILLED)
        .where(col(Shift.ends_at) >= start, col(Shift.ends_at) < end)
    ).all()
    minutes: dict[str, int] = {}
    for reason, starts_at, ends_at in rows:
        minutes[reason] = minutes.get(reason, 0) + int((ends_at - starts_at).total_seconds() // 60)
    return minutes
