"""Applying validated roster rows: cross-checks first, then creates or updates; all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from models.cover.tables import PreferenceKind, SitePreference
from models.cover.writes import set_preference
from models.problems import Problem, raise_if_any
from models.roster import people as people_data
from models.roster.files import RowFile
from models.roster.rows import PersonRow, PreferenceRow, SiteRow
from models.roster.tables import ChatIdentity, Credential, Person, PersonAgeGroup, PersonRole, Room, Site
from models.roster.vocab import Platform, Role

MENU_FIELDS = ("language", "active", "roles", "accounts")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # People whose roles, language or chat accounts are new or changed: their command menus are drawn again.
    menus_changed: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def import_roster(
    session: Session,
    *,
    sites: RowFile[SiteRow] | None = None,
    people: RowFile[PersonRow] | None = None,
    preferences: RowFile[PreferenceRow] | None = None,
    at: datetime,
) -> ImportReport:
    """Create or update sites, rooms, people and site preferences. Every file's own problems and every check
    against the others and the database are collected first; any problem raises FileProblems, writing nothing."""
    sites, people = sites or RowFile("SITES.csv"), people or RowFile("PEOPLE.csv")
    preferences = preferences or RowFile("PREFERENCES.csv")
    raise_if_any(
        [
            *sites.problems,
            *people.problems,
            *_check_people(session, people, _known_rooms(session, sites)),
            *_check_supervisors(session, people),
            *preferences.problems,
            *_check_preferences(session, preferences, sites, people),
        ]
    )
    report = ImportReport()
    for _line, site_row in sites.rows:
        _apply_site(session, site_row, report)
    session.flush()
    site_ids = {site.name.lower(): site for site in session.exec(select(Site)).all()}
    applied = [(row, *_apply_person(session, row, site_ids, at)) for _line, row in people.rows]
    _link_supervisors(session, [(row, person) for row, person, _before in applied])
    for row, person, before in applied:
        session.refresh(person)
        after = _snapshot(person)
        if before is None:
            report.created.append(row.name)
        else:
            (report.updated if after != before else report.unchanged).append(row.name)
        if _menu_changed(before, after) and person.id is not None:
            report.menus_changed.append(person.id)
    _apply_preferences(session, preferences.rows, report)
    return report


def _check_preferences(
    session: Session, rows: RowFile[PreferenceRow], sites: RowFile[SiteRow], people: RowFile[PersonRow]
) -> list[Problem]:
    """Each row's site and floater exist once the other files are applied (a name on a line already reported is
    not called unknown); a site and floater pair once."""
    known_sites = {site.lower() for site in session.exec(select(Site.name)).all()}
    known_sites |= {row.site.lower() for _line, row in sites.rows} | sites.rejected_names("site")
    floaters = {name.lower() for name, roles in _roles(session, people).items() if Role.floater in roles}
    unchecked = people.rejected_names("name")
    problems, seen = [], set()
    for line, row in rows.rows:
        pair = (row.site.lower(), row.floater.lower())
        if pair[0] not in known_sites:
            problems.append(Problem(rows.source, line, f"site: unknown site {row.site!r}"))
        if pair[1] not in floaters | unchecked:
            problems.append(Problem(rows.source, line, f"floater: {row.floater!r} is not a floater on the roster"))
        if pair in seen:
            message = f"{row.site!r} and {row.floater!r} are already on an earlier line"
            problems.append(Problem(rows.source, line, message))
        seen.add(pair)
    return problems


def _apply_preferences(session: Session, rows: Sequence[tuple[int, PreferenceRow]], report: ImportReport) -> None:
    """Set each site's favourites and blocks (the rows were checked with the rest)."""
    sites = {site.name.lower(): site.id for site in session.exec(select(Site)).all()}
    people = {person.name.lower(): person.id for person in session.exec(select(Person)).all()}
    for _line, row in rows:
        site_id, floater_id = sites[row.site.lower()], people[row.floater.lower()]
        assert site_id is not None
        assert floater_id is not None
        existing = session.get(SitePreference, (site_id, floater_id))
        label = f"{row.kind} {row.floater} at {row.site}"
        if existing is not None and existing.kind == row.kind:
            report.unchanged.append(label)
            continue
        (report.updated if existing is not None else report.created).append(label)
        set_preference(session, site_id=site_id, floater_id=floater_id, kind=PreferenceKind(row.kind))


def _known_rooms(session: Session, sites: RowFile[SiteRow]) -> dict[str, set[str] | None]:
    """Site name → room names, from the database and the sites file together (lower-case); None for a site whose
    own line is bad (its rooms are not known, so they are not checked)."""
    known: dict[str, set[str] | None] = {}
    for site in session.exec(select(Site).options(selectinload(Site.rooms))).all():  # type: ignore[arg-type]
        known[site.name.lower()] = {room.name.lower() for room in site.rooms}
    for _line, row in sites.rows:
        rooms = known.setdefault(row.site.lower(), set())
        if rooms is not None:
            rooms.update(room.name.lower() for room in row.rooms)
    known.update(dict.fromkeys(sites.rejected_names("site")))
    return known


def _check_people(
    session: Session, people: RowFile[PersonRow], site_rooms: dict[str, set[str] | None]
) -> list[Problem]:
    """Names, e-mails and chat ids once in the file; an e-mail not another person's in the database; the site and
    room known (on a bad line too, so that line's every problem is named at once)."""
    source, problems = people.source, []
    seen: dict[str, Counter[str]] = {kind: Counter() for kind in ("name", "email", "slack", "telegram")}
    in_file = {row.name for _line, row in people.rows} | {cells["name"].strip() for _line, cells in people.rejected}
    emails = {
        email.lower(): name
        for name, email in session.exec(select(Person.name, Person.email).where(Person.email != "")).all()
        if name not in in_file  # her row here says what her e-mail becomes
    }
    for line, row in people.rows:
        keys = {"name": row.name, "email": row.email, "slack": row.slack_user_id, "telegram": row.telegram_user_id}
        for kind, value in keys.items():
            if value and seen[kind][value.lower()]:
                problems.append(Problem(source, line, f"duplicate {kind} {value!r} (already on an earlier line)"))
            seen[kind][value.lower()] += 1
        if row.email and row.email in emails:
            problems.append(Problem(source, line, f"email: {row.email!r} is already {emails[row.email]}'s e-mail"))
    places = [(line, row.site, row.room) for line, row in people.rows]
    places += [(line, cells["site"].strip(), cells["room"].strip()) for line, cells in people.rejected]
    for line, site, room in places:
        if site and site.lower() not in site_rooms:
            problems.append(Problem(source, line, f"site: unknown site {site!r}"))
        elif room and (rooms := site_rooms[site.lower()]) is not None and room.lower() not in rooms:
            problems.append(Problem(source, line, f"room: {site!r} has no room {room!r}"))
    return problems


def _roles(session: Session, people: RowFile[PersonRow]) -> dict[str, set[str]]:
    """Everyone's roles by lower-case name once the file is applied: the file's, else the database's."""
    roles: dict[str, set[str]] = {}
    for name, role in session.exec(select(Person.name, PersonRole.role).outerjoin(PersonRole)).all():
        roles.setdefault(name.lower(), set()).add(role or "")
    roles.update({row.name.lower(): {r.value for r in row.roles} for _line, row in people.rows})
    return roles


def _check_supervisors(session: Session, people: RowFile[PersonRow]) -> list[Problem]:
    """Each named supervisor is a person with the supervisor role — as this file says, or else the database.
    She may come later in the file: she is looked up once every row has been read."""
    roles, unchecked = _roles(session, people), people.rejected_names("name")
    problems = []
    for line, row in people.rows:
        if not row.supervisor or row.supervisor.lower() in unchecked:
            continue
        if row.supervisor.lower() not in roles:
            message = f"supervisor: no one called {row.supervisor!r} is on the roster"
            problems.append(Problem(people.source, line, message))
        elif Role.supervisor not in roles[row.supervisor.lower()]:
            problems.append(Problem(people.source, line, f"supervisor: {row.supervisor!r} is not a supervisor"))
    return problems


def _link_supervisors(session: Session, applied: Sequence[tuple[PersonRow, Person]]) -> None:
    """After everyone exists: each row's supervisor by name (an empty cell clears it, no column keeps it)."""
    ids = {name.lower(): person_id for person_id, name in session.exec(select(Person.id, Person.name)).all()}
    for row, person in applied:
        if row.supervisor is not None:
            person.supervisor_id = ids[row.supervisor.lower()] if row.supervisor else None
            session.add(person)
    session.flush()


def _apply_site(session: Session, row: SiteRow, report: ImportReport) -> None:
    site = session.exec(select(Site).where(Site.name == row.site)).first()
    wanted: dict[str, Any] = {
        "timezone": row.timezone,
        "opens": row.opens,
        "closes": row.closes,
        "address": row.address,
        "bring": row.bring,
        "address_es": row.address_es,
        "bring_es": row.bring_es,
    }
    rooms = {room.name: room.age_group.value for room in row.rooms}
    if site is None:
        site = Site(name=row.site, **wanted)
        session.add(site)
        session.flush()
        report.created.append(f"site {row.site}")
    before = (_fields(site, wanted), {room.name: room.age_group for room in site.rooms})
    for name, value in wanted.items():
        setattr(site, name, value)
    by_name = {room.name: room for room in site.rooms}
    for name, age_group in rooms.items():
        assert site.id is not None
        room = by_name.get(name) or Room(site_id=site.id, name=name, age_group=age_group)
        room.age_group = age_group
        session.add(room)
    session.flush()
    session.refresh(site)
    after = (_fields(site, wanted), {room.name: room.age_group for room in site.rooms})
    if f"site {row.site}" not in report.created:
        (report.updated if before != after else report.unchanged).append(f"site {row.site}")


def _fields(obj: object, names: dict[str, Any]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _apply_person(
    session: Session, row: PersonRow, sites: dict[str, Site], at: datetime
) -> tuple[Person, dict[str, object] | None]:
    """Create or update the person; returns her with how she was before (None: new)."""
    site = sites.get(row.site.lower()) if row.site else None
    room = next((r for r in site.rooms if r.name.lower() == row.room.lower()), None) if site and row.room else None
    person = session.exec(select(Person).where(Person.name == row.name)).first()
    created = person is None
    if person is None:
        person = Person(name=row.name)
    before = None if created else _snapshot(person)
    person.site_id = site.id if site else None
    person.room_id = room.id if room else None
    person.email, person.phone, person.language, person.active = (
        row.email,
        row.phone,
        row.language.value,
        True,
    )
    session.add(person)
    session.flush()
    assert person.id is not None
    _replace_sets(session, person, row)
    for platform, user_id in ((Platform.slack, row.slack_user_id), (Platform.telegram, row.telegram_user_id)):
        if user_id:
            people_data.link_account(
                session,
                person_id=person.id,
                platform=platform.value,
                platform_user_id=user_id,
                chat_id="",
                at=at,
            )
    session.flush()
    return person, before


def _replace_sets(session: Session, person: Person, row: PersonRow) -> None:
    assert person.id is not None
    if {r.role for r in person.roles} != {r.value for r in row.roles}:
        person.roles = [PersonRole(person_id=person.id, role=r.value) for r in sorted(row.roles)]
    if {g.age_group for g in person.age_groups} != {g.value for g in row.age_groups}:
        person.age_groups = [PersonAgeGroup(person_id=person.id, age_group=g.value) for g in sorted(row.age_groups)]
    if _credential_set(person) != set(row.credentials):
        person.credentials = [Credential(person_id=person.id, code=c, expires_on=d) for c, d in row.credentials]
    session.add(person)
    session.flush()


def _credential_set(person: Person) -> set[tuple[str, date | None]]:
    return {(c.code, c.expires_on) for c in person.credentials}


def _snapshot(person: Person) -> dict[str, object]:
    return {
        "site": person.site_id,
        "room": person.room_id,
        "email": person.email,
        "phone": person.phone,
        "language": person.language,
        "active": person.active,
        "supervisor": person.supervisor_id,
        "roles": frozenset(r.role for r in person.roles),
        "age_groups": frozenset(g.age_group for g in person.age_groups),
        "credentials": frozenset(_credential_set(person)),
        "accounts": person_identities(person),
    }


def _menu_changed(before: dict[str, object] | None, after: dict[str, object]) -> bool:
    """Whether what her command menu shows (by her roles, in her language, on her accounts) may have changed."""
    if before is None:
        return bool(after["accounts"])
    return any(before[key] != after[key] for key in MENU_FIELDS)


def person_identities(person: Person) -> frozenset[tuple[str, str]]:
    session = Session.object_session(person)
    if not isinstance(session, Session) or person.id is None:
        return frozenset()
    rows = session.exec(select(ChatIdentity).where(ChatIdentity.person_id == person.id)).all()
    return frozenset((row.platform, row.platform_user_id) for row in rows)
