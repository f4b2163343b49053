"""Writing the roster back out in the import format, so an export re-imports as "no changes"."""

from __future__ import annotations

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from models.cover.tables import SitePreference
from models.roster.files import write_csv
from models.roster.rows import (
    OPTIONAL_PEOPLE_COLUMNS,
    OPTIONAL_SITE_COLUMNS,
    PEOPLE_COLUMNS,
    PREFERENCE_COLUMNS,
    SITE_COLUMNS,
)
from models.roster.tables import ChatIdentity, Person, Site


def export_sites(session: Session) -> str:
    sites = session.exec(select(Site).options(selectinload(Site.rooms)).order_by(col(Site.name))).all()  # type: ignore[arg-type]
    records = [
        {
            "site": site.name,
            "timezone": site.timezone,
            "opens": site.opens.strftime("%H:%M"),
            "closes": site.closes.strftime("%H:%M"),
            "rooms": ";".join(f"{room.name}:{room.age_group}" for room in sorted(site.rooms, key=lambda r: r.id or 0)),
            "address": site.address,
            "bring": site.bring,
            "address_es": site.address_es,
            "bring_es": site.bring_es,
        }
        for site in sites
    ]
    return write_csv((*SITE_COLUMNS, *OPTIONAL_SITE_COLUMNS), records)


def export_people(session: Session) -> str:
    people = session.exec(
        select(Person)
        .where(col(Person.active).is_(True))
        .order_by(col(Person.name))
        .options(
            selectinload(Person.roles),  # type: ignore[arg-type]
            selectinload(Person.age_groups),  # type: ignore[arg-type]
            selectinload(Person.credentials),  # type: ignore[arg-type]
            selectinload(Person.site),  # type: ignore[arg-type]
            selectinload(Person.room),  # type: ignore[arg-type]
        )
    ).all()
    identities: dict[tuple[int, str], str] = {}
    for identity in session.exec(select(ChatIdentity).order_by(col(ChatIdentity.id))).all():
        identities.setdefault((identity.person_id, identity.platform), identity.platform_user_id)
    names = {person_id: name for person_id, name in session.exec(select(Person.id, Person.name)).all()}
    records = []
    for person in people:
        assert person.id is not None
        records.append(
            {
                "name": person.name,
                "site": person.site.name if person.site else "",
                "roles": ";".join(sorted(r.role for r in person.roles)),
                "room": person.room.name if person.room else "",
                "email": person.email,
                "phone": person.phone,
                "language": person.language,
                "age_groups": ";".join(sorted(g.age_group for g in person.age_groups)),
                "credentials": ";".join(
                    f"{c.code}:{c.expires_on.isoformat()}" if c.expires_on else c.code
                    for c in sorted(person.credentials, key=lambda c: c.code)
                ),
                "slack_user_id": identities.get((person.id, "slack"), ""),
                "telegram_user_id": identities.get((person.id, "telegram"), ""),
                "supervisor": names.get(person.supervisor_id or 0, ""),
            }
        )
    return write_csv((*PEOPLE_COLUMNS, *OPTIONAL_PEOPLE_COLUMNS), records)


def export_preferences(session: Session) -> str:
    rows = session.exec(
        select(Site.name, Person.name, SitePreference.kind)
        .join(Site, col(Site.id) == col(SitePreference.site_id))
        .join(Person, col(Person.id) == col(SitePreference.floater_id))
        .order_by(col(Site.name), col(Person.name))
    ).all()
    return write_csv(PREFERENCE_COLUMNS, [{"site": s, "floater": f, "kind": k} for s, f, k in rows])
