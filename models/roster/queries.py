"""Read-side queries about the roster: summaries for the Hub, who a message or a survey goes to, and the
floaters' credentials and the site names the digest reads."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.roster.tables import Credential, Person, PersonRole, Room, Site
from models.roster.vocab import Role


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


@dataclass(frozen=True)
class FloaterExpiry:
    person_id: int
    name: str
    code: str
    expires_on: date


CredentialRow = tuple[str, str, date | None]  # person's name, credential code, expires on (None: never)


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


def sites_by_name(session: Session) -> list[tuple[int, str]]:
    """Every site's id and name, by name."""
    rows = session.exec(select(Site.id, Site.name).order_by(col(Site.name))).all()
    return [(site_id, name) for site_id, name in rows if site_id is not None]


def sites_version(session: Session) -> tuple[int, int]:
    """How many sites there are and the newest id. It changes whenever a site is added — sites are never renamed
    or removed (the roster import matches them by name) — so a copy of their names can tell when it is stale. The
    newest id alone would not do on PostgreSQL: ids are handed out at insert, so a site whose import commits after
    a later one's leaves the newest id as it was (the count, over the primary key's index, catches it)."""
    count, newest = session.execute(_SITES_VERSION).one()
    return int(count), int(newest or 0)


# Asked on every request: built once, of core columns.
_SITES_VERSION = select_columns(func.count(), func.max(Site.__table__.c.id))  # type: ignore[attr-defined]


def rooms_elsewhere(session: Session, *, site_id: int | None) -> list[tuple[str, str]]:
    """(site name, room name) of every room of the other sites, by site name (one statement)."""
    rows = session.exec(
        select(Site.name, Room.name)
        .join(Room, col(Room.site_id) == col(Site.id))
        .where(Site.id != site_id)
        .order_by(col(Site.name), col(Room.id))
    ).all()
    return list(rows)


def people_by_id(session: Session, *, ids: Collection[int]) -> dict[int, Person]:
    """The people with these ids (one statement), by id; an unknown id is left out."""
    if not ids:
        return {}
    people = session.exec(_PEOPLE_BY_ID, params={"ids": list(ids)}).all()
    return {person.id: person for person in people if person.id is not None}


_PEOPLE_BY_ID = select(Person).where(col(Person.id).in_(bindparam("ids", expanding=True)))  # built once


def active_person_ids(
    session: Session,
    *,
    roles: Collection[str] = (),
    site_names: Collection[str] = (),
    site_ids: Collection[int] = (),
) -> set[int]:
    """The ids of active people with one of `roles` (any role when empty) at one of the sites named or of these
    ids (any site when both are empty)."""
    statement = select(Person.id).where(col(Person.active).is_(True))
    if roles:
        with_role = select(PersonRole.person_id).where(col(PersonRole.role).in_(list(roles)))
        statement = statement.where(col(Person.id).in_(with_role))
    if site_names:
        named = select(Site.id).where(col(Site.name).in_(list(site_names)))
        statement = statement.where(col(Person.site_id).in_(named))
    if site_ids:
        statement = statement.where(col(Person.site_id).in_(list(site_ids)))
    return {i for i in session.exec(statement).all() if i is not None}


def person_ids_named(session: Session, *, names: Collection[str]) -> set[int]:
    """The ids of the people with these names, active or not."""
    if not names:
        return set()
    statement = select(Person.id).where(col(Person.name).in_(list(names)))
    return {i for i in session.exec(statement).all() if i is not None}


def site_zones(session: Session, *, person_ids: Collection[int]) -> dict[int, str]:
    """Person id → the time zone name of her site ('' where the roster leaves it empty); people without a site
    are left out."""
    if not person_ids:
        return {}
    statement = (
        select(Person.id, Site.timezone)
        .join(Site, col(Site.id) == col(Person.site_id))
        .where(col(Person.id).in_(list(person_ids)))
    )
    return {person_id: zone for person_id, zone in session.exec(statement).all() if person_id is not None}


def site_names(session: Session) -> list[str]:
    """Every site's name, in alphabetical order (the database's)."""
    return [str(name) for name in session.exec(select(Site.name).order_by(col(Site.name))).all()]


def _floater_ids() -> SelectOfScalar[int]:
    """The ids of the people with the floater role (a subquery)."""
    return select(col(PersonRole.person_id)).where(col(PersonRole.role) == Role.floater)


def floater_credential_rows(session: Session) -> list[CredentialRow]:
    """(name, code, expires on) of every credential of an active floater."""
    statement = (
        select(col(Person.name), col(Credential.code), col(Credential.expires_on))
        .join(Person, col(Person.id) == col(Credential.person_id))
        .where(col(Person.active).is_(True), col(Person.id).in_(_floater_ids()))
    )
    return [tuple(row) for row in session.execute(statement).all()]


def active_floater_names(session: Session) -> list[str]:
    """The names of the active floaters, sorted (in Python), with or without credentials."""
    statement = select(col(Person.name)).where(col(Person.active).is_(True), col(Person.id).in_(_floater_ids()))
    return sorted(str(name) for name in session.execute(statement).scalars().all())


def floater_credentials_expiring(session: Session, *, first: date, last: date) -> list[FloaterExpiry]:
    """Active floaters' credentials that expire between `first` and `last` (both included), soonest first."""
    rows = session.exec(
        select(Person.id, Person.name, Credential.code, col(Credential.expires_on))
        .join(Person, col(Person.id) == col(Credential.person_id))
        .where(col(Person.active).is_(True), col(Person.id).in_(_floater_ids()))
        .where(col(Credential.expires_on) >= first, col(Credential.expires_on) <= last)
        .order_by(col(Credential.expires_on))
    ).all()
    return [
        FloaterExpiry(person_id or 0, name, code, expires_on)
        for person_id, name, code, expires_on in rows
        if expires_on is not None
    ]
