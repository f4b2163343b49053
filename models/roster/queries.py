"""Read-side queries about the roster (summaries for the Hub)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.roster.tables import Credential, Person, PersonRole, Room, Site


@dataclass(frozen=True)
class RosterCounts:
    sites: int
    rooms: int
    people: int
    by_role: dict[str, int]


@dataclass(frozen=True)
class Expiry:
    name: str
    code: str
    expires_on: date


def counts(session: Session) -> RosterCounts:
    by_role = session.exec(
        select(PersonRole.role, func.count())
        .join(Person, col(Person.id) == col(PersonRole.person_id))
        .where(col(Person.active).is_(True))
        .group_by(col(PersonRole.role))
    ).all()
    return RosterCounts(
        sites=session.exec(select(func.count()).select_from(Site)).one(),
        rooms=session.exec(select(func.count()).select_from(Room)).one(),
        people=session.exec(select(func.count()).select_from(Person).where(col(Person.active).is_(True))).one(),
        by_role={role: number for role, number in by_role},
    )


def credentials_expiring(session: Session, *, until: date) -> list[Expiry]:
    """Credentials of active people with an expiry on or before `until` (expired ones included)."""
    rows = session.exec(
        select(Person.name, Credential.code, col(Credential.expires_on))
        .join(Person, col(Person.id) == col(Credential.person_id))
        .where(col(Person.active).is_(True), col(Credential.expires_on).is_not(None))
        .where(col(Credential.expires_on) <= until)
        .order_by(col(Credential.expires_on), col(Person.name))
    ).all()
    return [Expiry(name, code, expires_on) for name, code, expires_on in rows if expires_on is not None]


def other_sites(session: Session, *, site_id: int | None) -> list[Site]:
    """Every site but this one (to notice a request that names another site)."""
    return list(session.exec(select(Site).where(Site.id != site_id).order_by(col(Site.name))).all())
