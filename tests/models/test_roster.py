"""Roster import: good files, re-import, updates, and bad files that change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import func, select

from models.db import session_scope
from models.problems import FileProblems
from models.roster.apply import ImportReport, import_roster
from models.roster.export import export_people, export_preferences, export_sites
from models.roster.files import decode, read_people, read_preferences, read_sites
from models.roster.tables import ChatIdentity, Person, Room, Site

FILES = Path(__file__).parent / "roster_files"
AT = datetime(2026, 11, 28, tzinfo=UTC)


def load(engine: Engine, people: str, sites: str = "") -> ImportReport:
    site_rows = read_sites(sites) if sites else None
    with session_scope(engine) as session:
        return import_roster(session, sites=site_rows, people=read_people(people), at=AT)


def good_people() -> str:
    return decode((FILES / "people.csv").read_bytes())


def good_sites() -> str:
    return (FILES / "sites.csv").read_text()


def count(engine: Engine, table: type) -> int:
    with session_scope(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def test_a_good_import_creates_sites_rooms_people_and_links(engine: Engine) -> None:
    report = load(engine, good_people(), good_sites())
    assert sorted(report.created) == sorted(
        ["site Oak Hill", "site Pine Grove", "Ada Teacher", "Bruno Maestro", "Cora Floater", "Dee Director"]
    )
    assert (count(engine, Site), count(engine, Room), count(engine, Person), count(engine, ChatIdentity)) == (
        2,
        3,
        4,
        2,
    )
    with session_scope(engine) as session:
        cora = session.exec(select(Person).where(Person.name == "Cora Floater")).one()
        assert {g.age_group for g in cora.age_groups} == {"infant", "toddler"}
        assert {(c.code, c.expires_on) for c in cora.credentials} == {
            ("background_check", None),
            ("cpr_first_aid", date(2027, 1, 31)),
            ("infant_toddler", None),
        }
        oak = session.exec(select(Site).where(Site.name == "Oak Hill")).one()
        assert (oak.address, oak.bring, oak.timezone) == ("1 Oak Road", "ID badge", "America/Chicago")
        assert (oak.address_es, oak.bring_es) == ("", "credencial")
        dee = session.exec(select(Person).where(Person.name == "Dee Director")).one()
        assert dee.role_names == {"director", "teacher"}
        assert dee.language == "en"


def test_importing_the_same_files_twice_changes_nothing(engine: Engine) -> None:
    load(engine, good_people(), good_sites())
    again = load(engine, good_people(), good_sites())
    assert not again.changed
    assert len(again.unchanged) == 6


def test_a_changed_row_updates_that_person_only(engine: Engine) -> None:
    load(engine, good_people(), good_sites())
    changed = (
        good_people()
        .replace("cpr_first_aid:2027-01-31", "cpr_first_aid:2028-01-31")
        .replace("bruno@pine.example,,es", "bruno@pine.example,,en")
    )
    report = load(engine, changed)
    assert sorted(report.updated) == ["Bruno Maestro", "Cora Floater"]
    assert sorted(report.unchanged) == ["Ada Teacher", "Dee Director"]
    with session_scope(engine) as session:
        bruno = session.exec(select(Person).where(Person.name == "Bruno Maestro")).one()
        assert bruno.language == "en"


def test_an_export_reimports_as_no_changes(engine: Engine) -> None:
    load(engine, good_people(), good_sites())
    with session_scope(engine) as session:
        people, sites = export_people(session), export_sites(session)
    assert "Cora Floater,,floater,,cora@hub.example,,en,infant;toddler," in people
    assert not load(engine, people, sites).changed


BAD_ROWS = [
    ("Eve,Oak Hill,teacher;janitor,,,,en,,,,", "roles"),
    ("Eve,Nowhere,teacher,,,,en,,,,", "unknown site 'Nowhere'"),
    ("Eve,Oak Hill,teacher,Kitchen,,,en,,,,", "has no room 'Kitchen'"),
    ("Eve,,floater,,,,en,teens,,,", "age_groups"),
    ("Eve,,floater,,,,en,infant,cpr_first_aid:2027-13-45,,", "YYYY-MM-DD"),
    ("Eve,,floater,,,,fr,,,,", "language"),
    ("Eve,,floater,,not-an-email,,en,,,,", "not an e-mail"),
    ("Ada Teacher,Oak Hill,teacher,,,,en,,,,", "duplicate name 'Ada Teacher'"),
    ("Eve,,floater,,ADA@oak.example,,en,,,,", "duplicate email 'ada@oak.example'"),
    ("Eve,,floater,,,555-0100,en,,,,", "phone: '555-0100' is not a phone number"),
    ("Eve,,floater,,,+1 555 010 2030,en,,,,", "phone: '+1 555 010 2030' is not a phone number"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_file_with_a_bad_row_imports_nothing_and_names_the_line(engine: Engine, row: str, message: str) -> None:
    people = good_people() + row + "\n"
    with pytest.raises(FileProblems) as raised:
        load(engine, people, good_sites())
    assert [error.line for error in raised.value.errors] == [6]
    assert message in str(raised.value)
    assert (count(engine, Site), count(engine, Person)) == (0, 0)


def test_every_bad_line_is_reported_at_once(engine: Engine) -> None:
    people = good_people() + "X,,janitor,,,,en,,,,\n\nY,,floater,,,,en,,bad:2020-99-99,,\n"
    with pytest.raises(FileProblems) as raised:
        load(engine, people, good_sites())
    assert [error.line for error in raised.value.errors] == [6, 8]


def test_a_missing_column_is_named() -> None:
    assert [str(problem) for problem in read_people("name,site\nA,B\n").problems] == [
        "PEOPLE.csv, line 1: missing column(s): roles, room, email, phone, language, age_groups, credentials, "
        "slack_user_id, telegram_user_id"
    ]


def test_phone_numbers_are_stored_the_same_way_however_they_are_written(engine: Engine) -> None:
    people = good_people().replace("cora@hub.example,,", "cora@hub.example,+34 612-34-56-78,")
    load(engine, people.replace("(201) 555-0100", "201.555.0100"), good_sites())
    with session_scope(engine) as session:
        phones = dict(session.exec(select(Person.name, Person.phone).where(Person.phone != "")).all())
    assert phones == {"Ada Teacher": "+12015550100", "Cora Floater": "+34612345678"}
    assert not load(engine, people).changed


def test_an_email_of_someone_else_on_the_roster_is_refused_but_two_people_may_trade(engine: Engine) -> None:
    load(engine, good_people(), good_sites())
    header = good_people().splitlines()[0]
    with pytest.raises(FileProblems) as raised:
        load(engine, f"{header}\nEve,,floater,,Dee@Oak.example,,en,,,,\n")
    assert str(raised.value) == "PEOPLE.csv, line 2: email: 'dee@oak.example' is already Dee Director's e-mail"
    traded = f"{header}\nEve,,floater,,dee@oak.example,,en,,,,\n"
    traded += "Dee Director,Oak Hill,director,Bears,dee@new.example,,en,,,,\n"  # Dee's own row: hers changes
    assert sorted(load(engine, traded).created) == ["Eve"]


# One import of three bad files: every bad line of each is named in one report, in file order, and nothing is
# stored. A name whose own line is bad (the Mars Base site) is not called unknown where it is used.
BAD_SITES = """site,timezone,opens,closes,rooms,address,bring
Oak Hill,America/Chicago,07:00,18:00,Ducklings:infant;Bears:toddler,1 Oak Road,ID badge
Mars Base,Mars/Olympus,07:00,18:00,Dome:infant,,
Late Site,,18:00,07:00,Owls:preschool,,
"""
BAD_PEOPLE = """name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id
Ada Teacher,Oak Hill,teacher,Ducklings,ada@oak.example,(201) 555-0100,en,,,U01ADA,
Eve,Nowhere,teacher;janitor,,,,en,,,,
Fay,Oak Hill,teacher,Kitchen,,555-0100,en,,,,
Gil,,floater,,ada@oak.example,,en,,,,
Hal,,floater,,dee@oak.example,,en,,,,
Ivy,Mars Base,teacher,Dome,,,en,,,,
Jo,Mars Base,teacher,,,,en,teens,,,
"""
BAD_PREFERENCES = """site,floater,kind
Oak Hill,Cora Floater,favourite
Nowhere,Ada Teacher,blocked
Oak Hill,Cora Floater,friend
Mars Base,Jo,favourite
"""
EVERY_PROBLEM = [
    "SITES.csv, line 3: timezone: unknown time zone 'Mars/Olympus' (use an IANA name like America/New_York)",
    "SITES.csv, line 4: closes must be after opens",
    "PEOPLE.csv, line 3: roles: Input should be 'teacher', 'floater', 'director', 'supervisor' or 'hub'",
    "PEOPLE.csv, line 3: site: unknown site 'Nowhere'",
    "PEOPLE.csv, line 4: phone: '555-0100' is not a phone number (write the area code, and +country code outside "
    "the US)",
    "PEOPLE.csv, line 4: room: 'Oak Hill' has no room 'Kitchen'",
    "PEOPLE.csv, line 5: duplicate email 'ada@oak.example' (already on an earlier line)",
    "PEOPLE.csv, line 6: email: 'dee@oak.example' is already Dee Director's e-mail",
    "PEOPLE.csv, line 8: age_groups: Input should be 'infant', 'toddler', 'preschool' or 'school_age'",
    "PREFERENCES.csv, line 3: site: unknown site 'Nowhere'",
    "PREFERENCES.csv, line 3: floater: 'Ada Teacher' is not a floater on the roster",
    "PREFERENCES.csv, line 4: kind: Input should be 'favourite' or 'blocked'",
]


def test_every_problem_of_every_file_is_named_in_one_report_and_nothing_is_stored(engine: Engine) -> None:
    load(engine, good_people(), good_sites())
    with session_scope(engine) as session:
        before = (export_sites(session), export_people(session), export_preferences(session))
    sites, people, preferences = read_sites(BAD_SITES), read_people(BAD_PEOPLE), read_preferences(BAD_PREFERENCES)
    with pytest.raises(FileProblems) as raised, session_scope(engine) as session:
        import_roster(session, sites=sites, people=people, preferences=preferences, at=AT)
    assert [str(problem) for problem in raised.value.errors] == EVERY_PROBLEM
    with session_scope(engine) as session:
        assert (export_sites(session), export_people(session), export_preferences(session)) == before


PREFERENCES = "site,floater,kind\nOak Hill,Cora Floater,favourite\n"


def test_favourites_and_blocks_import_update_and_export(engine: Engine) -> None:
    site_rows, people_rows = read_sites(good_sites()), read_people(good_people())
    with session_scope(engine) as session:
        report = import_roster(
            session, sites=site_rows, people=people_rows, preferences=read_preferences(PREFERENCES), at=AT
        )
    assert "favourite Cora Floater at Oak Hill" in report.created
    with session_scope(engine) as session:
        again = import_roster(session, preferences=read_preferences(PREFERENCES), at=AT)
        assert not again.changed
        blocked = import_roster(
            session,
            preferences=read_preferences(PREFERENCES.replace("favourite", "Blocked")),
            at=AT,
        )
        assert blocked.updated == ["blocked Cora Floater at Oak Hill"]
        assert export_preferences(session) == "site,floater,kind\nOak Hill,Cora Floater,blocked\n"


def test_bad_preferences_name_their_lines_and_change_nothing(engine: Engine) -> None:
    load(engine, good_people(), good_sites())
    bad = (
        "site,floater,kind\nOak Hill,Ada Teacher,favourite\nNowhere,Cora Floater,blocked\n"
        "Oak Hill,Cora Floater,favourite\nOak Hill,Cora Floater,blocked\n"
    )
    with pytest.raises(FileProblems) as raised, session_scope(engine) as session:
        import_roster(session, preferences=read_preferences(bad), at=AT)
    text = str(raised.value)
    assert "line 2: floater: 'Ada Teacher' is not a floater" in text
    assert "line 3: site: unknown site 'Nowhere'" in text
    assert "line 5: 'Oak Hill' and 'Cora Floater' are already on an earlier line" in text
    with session_scope(engine) as session:
        assert export_preferences(session) == "site,floater,kind\n"
    assert "kind" in str(read_preferences("site,floater,kind\nOak Hill,Cora Floater,friend\n").problems[0])


def with_supervisors(ada: str = "Zoe Supervisor", bruno: str = "", zoe_roles: str = "supervisor") -> str:
    """The good file with a `supervisor` column, Ada's supervisor named on a later line."""
    header, *rows = good_people().splitlines()
    cells = {"Ada Teacher": ada, "Bruno Maestro": bruno}
    lines = [f"{header},supervisor", *(f"{row},{cells.get(row.split(',')[0], '')}" for row in rows)]
    lines.append(f"Zoe Supervisor,,{zoe_roles},,zoe@hub.example,,en,,,,,")
    return "\n".join(lines) + "\n"


def supervisor_of(engine: Engine, name: str) -> str | None:
    with session_scope(engine) as session:
        person = session.exec(select(Person).where(Person.name == name)).one()
        boss = session.get(Person, person.supervisor_id) if person.supervisor_id else None
        return boss.name if boss else None


def test_a_supervisor_named_before_her_own_line_is_linked_and_exported(engine: Engine) -> None:
    report = load(engine, with_supervisors(), good_sites())
    assert "Zoe Supervisor" in report.created
    assert supervisor_of(engine, "Ada Teacher") == "Zoe Supervisor"
    assert supervisor_of(engine, "Bruno Maestro") is None
    assert not load(engine, with_supervisors()).changed
    with session_scope(engine) as session:
        people, sites = export_people(session), export_sites(session)
    assert people.splitlines()[0].endswith(",telegram_user_id,supervisor")
    assert "Ada Teacher,Oak Hill,teacher,Ducklings,ada@oak.example,+12015550100,en,,,U01ADA,,Zoe Supervisor" in people
    assert not load(engine, people, sites).changed


def test_a_changed_or_emptied_supervisor_updates_and_a_file_without_the_column_keeps_it(engine: Engine) -> None:
    load(engine, with_supervisors(), good_sites())
    changed = load(engine, with_supervisors(ada="", bruno="zoe supervisor"))
    assert sorted(changed.updated) == ["Ada Teacher", "Bruno Maestro"]
    assert (supervisor_of(engine, "Ada Teacher"), supervisor_of(engine, "Bruno Maestro")) == (None, "Zoe Supervisor")
    assert not load(engine, good_people()).changed  # no column: everyone's supervisor stays
    assert supervisor_of(engine, "Bruno Maestro") == "Zoe Supervisor"


def test_a_supervisor_already_in_the_database_may_be_named(engine: Engine) -> None:
    load(engine, with_supervisors(ada=""), good_sites())
    only_ada = (
        "name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id,supervisor\n"
    )
    only_ada += "Ada Teacher,Oak Hill,teacher,Ducklings,ada@oak.example,+12015550100,en,,,U01ADA,,Zoe Supervisor\n"
    assert load(engine, only_ada).updated == ["Ada Teacher"]
    assert supervisor_of(engine, "Ada Teacher") == "Zoe Supervisor"


@pytest.mark.parametrize(
    ("people", "message"),
    [
        (with_supervisors(ada="Zed"), "line 2: supervisor: no one called 'Zed' is on the roster"),
        (with_supervisors(ada="Cora Floater"), "line 2: supervisor: 'Cora Floater' is not a supervisor"),
        (with_supervisors(zoe_roles="hub"), "line 2: supervisor: 'Zoe Supervisor' is not a supervisor"),
        (with_supervisors(ada="Ada Teacher"), "line 2: supervisor: a teacher cannot be her own supervisor"),
    ],
)
def test_a_bad_supervisor_names_the_line_and_imports_nothing(engine: Engine, people: str, message: str) -> None:
    with pytest.raises(FileProblems) as raised:
        load(engine, people, good_sites())
    assert message in str(raised.value)
    assert (count(engine, Site), count(engine, Person)) == (0, 0)


def test_only_a_teacher_has_a_supervisor() -> None:
    floater_with_one = with_supervisors().replace("infant_toddler,,,", "infant_toddler,,,Zoe Supervisor")
    assert [str(problem) for problem in read_people(floater_with_one).problems] == [
        "PEOPLE.csv, line 4: supervisor: only a teacher has a reflective supervisor"
    ]
