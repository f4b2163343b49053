"""Who may be offered a shift: one query over roles, age groups, credentials, blocks and bookings."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, exists, or_
from sqlalchemy.sql.expression import Exists
from sqlmodel import Session, col, select

from models.alliance import Credential, Person, PersonAgeGroup, PersonRole
from models.cover import Shift, SitePreference


@dataclass(frozen=True)
class CredentialRule:
    """Credentials a floater must hold, valid on the shift's date: some always, some per age group."""

    always: tuple[str, ...] = ("background_check", "cpr_first_aid")
    by_age_group: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {"infant": ("infant_toddler",), "toddler": ("infant_toddler",)}
    )

    def required(self, age_group: str) -> tuple[str, ...]:
        return (*self.always, *self.by_age_group.get(age_group, ()))


def eligible_floaters(
    session: Session,
    *,
    shift: Shift,
    on: date,
    rule: CredentialRule,
    favourites_only: bool = False,
    exclude: Collection[int] = (),
) -> list[Person]:
    """Active floaters of the pool (or of the shift's site) who cover its age group, hold the credentials it
    needs on `on`, are not blocked by the site and have no overlapping shift; ordered by name."""
    statement = (
        select(Person)
        .where(col(Person.active).is_(True))
        .where(or_(col(Person.site_id).is_(None), col(Person.site_id) == shift.site_id))
        .where(exists().where(col(PersonRole.person_id) == col(Person.id), col(PersonRole.role) == "floater"))
        .where(
            exists().where(
                col(PersonAgeGroup.person_id) == col(Person.id), col(PersonAgeGroup.age_group) == shift.age_group
            )
        )
        .where(~_preference(shift.site_id, "blocked"))
        .where(~_overlapping_booking(shift))
        .order_by(col(Person.name))
    )
    for code in rule.required(shift.age_group):
        statement = statement.where(_holds(code, on))
    if favourites_only:
        statement = statement.where(_preference(shift.site_id, "favourite"))
    if exclude:
        statement = statement.where(col(Person.id).not_in(list(exclude)))
    return list(session.exec(statement).all())


def _holds(code: str, on: date) -> Exists:
    return exists().where(
        col(Credential.person_id) == col(Person.id),
        col(Credential.code) == code,
        or_(col(Credential.expires_on).is_(None), col(Credential.expires_on) >= on),
    )


def _preference(site_id: int, kind: str) -> Exists:
    return exists().where(
        col(SitePreference.floater_id) == col(Person.id),
        col(SitePreference.site_id) == site_id,
        col(SitePreference.kind) == kind,
    )


def _overlapping_booking(shift: Shift) -> Exists:
    other = Shift.__table__.alias("booked")  # type: ignore[attr-defined]
    return exists().where(
        and_(
            other.c.floater_id == col(Person.id),
            other.c.status == "filled",
            other.c.id != shift.id,
            other.c.starts_at < shift.ends_at,
            other.c.ends_at > shift.starts_at,
        )
    )


def has_overlapping_booking(session: Session, *, floater_id: int, shift: Shift) -> bool:
    """True when the floater already holds a filled shift that overlaps this one."""
    statement = select(Shift.id).where(
        Shift.floater_id == floater_id,
        Shift.status == "filled",
        col(Shift.id) != shift.id,
        col(Shift.starts_at) < shift.ends_at,
        col(Shift.ends_at) > shift.starts_at,
    )
    return session.exec(statement).first() is not None
