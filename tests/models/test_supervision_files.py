"""SLOTS.csv: rows checked on their own, then against the roster and the clock; sessions and series published all
or nothing; a second import and an export re-imported change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import col, func, select

from models.db import session_scope
from models.problems import FileProblems
from models.roster.tables import Room, Site
from models.supervision.apply import SlotsReport, import_slots
from models.supervision.files import export_slots, read_slots
from models.supervision.tables import Repeat, SupervisionSeries, SupervisionSession
from tests.dialog import Dialog

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York, when the demo was seeded
HEADER = "supervisor,day,start,minutes,repeat,until,capacity,place\n"


def load(engine: Engine, rows: str, *, at: datetime = NOW, zone: ZoneInfo = NY, header: str = HEADER) -> SlotsReport:
    with session_scope(engine) as session:
        return import_slots(session, slots=read_slots(header + rows), at=at, zone=zone)


def problems(engine: Engine, rows: str, *, at: datetime = NOW, header: str = HEADER) -> list[str]:
    with pytest.raises(FileProblems) as raised:
        load(engine, rows, at=at, header=header)
    return [str(error) for error in raised.value.errors]


def sessions(engine: Engine, *, after: datetime = NOW) -> list[SupervisionSession]:
    """The sessions published after the demo's own (which all start on the demo's hours)."""
    with session_scope(engine) as session:
        statement = select(SupervisionSession).where(col(SupervisionSession.created_at) == after)
        return list(session.exec(statement.order_by(col(SupervisionSession.starts_at))).all())


def count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.exec(select(func.count()).select_from(SupervisionSession)).one())


def local(when: datetime, zone: ZoneInfo = NY) -> str:
    return when.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


LATER = NOW + timedelta(minutes=1)  # a time of import that tells these tests' sessions from the demo's


def test_the_demo_publishes_weekly_slots_of_both_supervisors_for_twelve_weeks(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        demo_sessions = session.exec(select(SupervisionSession).order_by(col(SupervisionSession.starts_at))).all()
        series = session.exec(select(SupervisionSeries)).all()
    assert len(demo_sessions) == 36
    assert {s.repeat for s in series} == {Repeat.WEEKLY}
    assert len(series) == 3
    assert [local(s.starts_at) for s in demo_sessions[:3]] == [
        "Tue 2026-12-01 10:00",
        "Wed 2026-12-02 09:30",
        "Thu 2026-12-03 14:00",
    ]
    assert [s.capacity for s in demo_sessions[:3]] == [1, 2, 1]


def test_a_weekday_is_the_next_one_whose_start_is_ahead(demo: Dialog) -> None:
    report = load(
        demo.engine,
        "Olivia Reed,mon,10:00,60,,,,video call\nOlivia Reed,Monday,06:00,30,,,,video call\n"
        "Marisol Vega,SUN,08:00,60,none,,,video\n",
        at=LATER,
    )
    assert report.sessions == 3
    starts = [local(s.starts_at) for s in sessions(demo.engine, after=LATER)]
    assert starts == ["Mon 2026-11-30 10:00", "Sun 2026-12-06 08:00", "Mon 2026-12-07 06:00"]


def test_a_repeating_row_is_one_series_until_its_last_date_or_twelve_weeks(demo: Dialog) -> None:
    report = load(
        demo.engine,
        "Olivia Reed,fri,11:00,45,weekly,,3,Butterflies\n"
        "Marisol Vega,2026-12-07,16:00,90,biweekly,2027-01-04,2,Casa de los Niños / Pollitos\n",
        at=LATER,
    )
    assert report.sessions == 12 + 3
    assert report.created == [
        "Olivia Reed, weekly Fri 11:00–11:45, 2026-12-04 to 2027-02-19 (12 sessions), Sunflower Center / Butterflies",
        "Marisol Vega, biweekly Mon 16:00–17:30, 2026-12-07 to 2027-01-04 (3 sessions), Casa de los Niños / Pollitos",
    ]
    published = sessions(demo.engine, after=LATER)
    assert len({s.series_id for s in published}) == 2
    with session_scope(demo.engine) as session:
        pollitos = session.exec(select(Room).where(Room.name == "Pollitos")).one()
        last = session.exec(select(SupervisionSeries).order_by(col(SupervisionSeries.id).desc())).first()
    marisol = [s for s in published if s.room_id == pollitos.id]
    assert [(s.capacity, s.site_id) for s in marisol] == [(2, pollitos.site_id)] * 3
    assert last is not None
    assert last.until == marisol[-1].starts_at


def test_wall_clock_time_holds_across_a_clock_change(demo: Dialog) -> None:
    load(demo.engine, "Olivia Reed,2027-03-01,10:00,60,weekly,2027-03-15,,Sunflower Center\n", at=LATER)
    published = sessions(demo.engine, after=LATER)
    assert [s.starts_at.hour for s in published] == [15, 15, 14]  # UTC: New York moves to summer time on 14 March
    assert {local(s.starts_at)[-5:] for s in published} == {"10:00"}


def test_a_video_call_is_in_the_alliance_zone_and_a_site_in_its_own(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        site = session.exec(select(Site).where(Site.name == "Maple Street Early Learning")).one()
        site.timezone = "America/Los_Angeles"
        session.add(site)
    chicago = ZoneInfo("America/Chicago")
    rows = "Olivia Reed,2026-12-11,09:00,60,,,,video call\n"
    rows += "Olivia Reed,2026-12-11,13:00,60,,,,Maple Street Early Learning\n"
    with session_scope(demo.engine) as session:
        import_slots(session, slots=read_slots(HEADER + rows), at=LATER, zone=chicago)
    video, maple = sessions(demo.engine, after=LATER)
    assert (video.site_id, local(video.starts_at, chicago)) == (None, "Fri 2026-12-11 09:00")
    assert local(maple.starts_at, ZoneInfo("America/Los_Angeles")) == "Fri 2026-12-11 13:00"


def test_an_ambiguous_room_asks_for_site_and_room(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        maple = session.exec(select(Site).where(Site.name == "Maple Street Early Learning")).one()
        assert maple.id is not None
        session.add(Room(site_id=maple.id, name="Butterflies", age_group="toddler"))
    found = problems(demo.engine, "Olivia Reed,fri,11:00,60,,,,butterflies\n")
    assert found == [
        "SLOTS.csv, line 2: place: 'butterflies' is a room of 2 sites (Maple Street Early Learning, Sunflower "
        "Center); write Site / Room, e.g. 'Maple Street Early Learning / Butterflies'"
    ]
    assert load(demo.engine, "Olivia Reed,fri,11:00,60,,,,maple street early learning / Butterflies\n").sessions == 1


def test_every_bad_line_of_the_file_is_named_and_nothing_is_published(demo: Dialog) -> None:
    rows = (
        "Olivia Reed,fri,11:00,60,weekly,,1,Sunflower Center\n"  # good, but not published: the file has errors
        "Zed,someday,25:00,5,daily,2027-13-01,0,\n"
        "Alice Johnson,2026-12-02,10:00,60,none,,2,Mars\n"
        "Zed,2026-12-02,10:00,60,,,1,video call\n"
        "Olivia Reed,2026-11-27,10:00,60,,,,video call\n"
        "Olivia Reed,tue,10:00,60,weekly,2026-11-01,,video\n"
        "Olivia Reed,tue,10:00,60,weekly,2028-01-01,,video\n"
        "Marisol Vega,2026-12-09,16:00,60,none,2026-12-31,,Casa de los Niños\n"
        "Marisol Vega,2026-12-08,16:00,60,,,,Maple Street Early Learning / Kitchen\n"
        "Olivia Reed,2026-12-11,11:00,60,,,,Explorers\n"
        ",2026-12-11,11:00,,,,13,Explorers\n"
    )
    assert problems(demo.engine, rows) == [
        "SLOTS.csv, line 3: day: 'someday' is not a date; use YYYY-MM-DD or a weekday (mon … sun)",
        "SLOTS.csv, line 3: start: '25:00' is not a time; use HH:MM (24-hour), e.g. 09:30",
        "SLOTS.csv, line 3: minutes: a session lasts 15 to 240 minutes, not 5",
        "SLOTS.csv, line 3: repeat: 'daily': use none, weekly or biweekly",
        "SLOTS.csv, line 3: until: '2027-13-01' is not a date; the last date must be YYYY-MM-DD",
        "SLOTS.csv, line 3: capacity: 1 to 12 seats, not 0",
        "SLOTS.csv, line 3: place: is empty: write a room, a site, Site / Room, or video call",
        "SLOTS.csv, line 3: supervisor: no one called 'Zed' is on the roster",
        "SLOTS.csv, line 4: supervisor: 'Alice Johnson' is not a supervisor",
        "SLOTS.csv, line 4: place: no site or room is called 'Mars' (a room, a site, Site / Room, or video call)",
        "SLOTS.csv, line 5: supervisor: no one called 'Zed' is on the roster",
        "SLOTS.csv, line 6: day: 2026-11-27 10:00 has already passed; a slot is for a session to come",
        "SLOTS.csv, line 7: until: 2026-11-01 is before the first session (2026-12-01)",
        "SLOTS.csv, line 8: until: at most 52 weeks after the first session (2026-12-01), so 2027-11-30 at the latest",
        "SLOTS.csv, line 9: until: only a repeating slot has a last date (set repeat to weekly or biweekly)",
        "SLOTS.csv, line 10: place: 'Maple Street Early Learning' has no room 'Kitchen'",
        "SLOTS.csv, line 11: day: Olivia Reed already has a session at 2026-12-11 11:00 on line 2",
        "SLOTS.csv, line 12: supervisor: the supervisor's name is empty",
        "SLOTS.csv, line 12: minutes: is empty: how long the session lasts, 15 to 240",
        "SLOTS.csv, line 12: capacity: 1 to 12 seats, not 13",
    ]
    assert count(demo.engine) == 36  # the demo's own


def test_a_missing_column_is_named_and_the_optional_ones_may_be_left_out(demo: Dialog) -> None:
    assert problems(demo.engine, "", header="supervisor,day,start\nOlivia Reed,fri,11:00\n") == [
        "SLOTS.csv, line 1: missing column(s): minutes, place"
    ]
    slots = read_slots("supervisor,day,start,minutes,place\nOlivia Reed,fri,11:00,60,video call\n")
    assert [(row.repeat, row.until, row.capacity) for _line, row in slots.rows] == [(Repeat.NONE, None, 1)]


def test_a_second_import_and_an_export_change_nothing(demo: Dialog) -> None:
    rows = "Olivia Reed,fri,11:00,45,weekly,,3,Butterflies\nMarisol Vega,2026-12-09,16:00,60,,,,Pollitos\n"
    assert load(demo.engine, rows).sessions == 13
    again = load(demo.engine, rows)
    assert (again.changed, again.unchanged) == (False, 13)
    a_week_later = load(demo.engine, rows, at=NOW + timedelta(weeks=1))  # the term moves on by one Friday
    assert (a_week_later.sessions, a_week_later.unchanged) == (1, 12)
    with session_scope(demo.engine) as session:
        exported = export_slots(session, after=NOW, zone=NY)
    lines = exported.splitlines()
    assert lines[0] == HEADER.strip()
    assert len(lines) == 1 + 36 + 14
    assert "Marisol Vega,2026-12-09,16:00,60,none,,1,Casa de los Niños / Pollitos" in lines
    assert "Olivia Reed,2026-12-04,11:00,45,none,,3,Sunflower Center / Butterflies" in lines
    with session_scope(demo.engine) as session:
        report = import_slots(session, slots=read_slots(exported), at=NOW, zone=NY)
    assert (report.changed, report.unchanged) == (False, 50)


def test_an_export_imports_into_an_empty_schedule(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        exported = export_slots(session, after=NOW, zone=NY)
        for sitting in session.exec(select(SupervisionSession)).all():
            session.delete(sitting)
        session.flush()
        for series in session.exec(select(SupervisionSeries)).all():
            session.delete(series)
    with session_scope(demo.engine) as session:
        report = import_slots(session, slots=read_slots(exported), at=NOW, zone=NY)
        assert report.sessions == 36
        assert export_slots(session, after=NOW, zone=NY) == exported
        assert session.exec(select(func.count()).select_from(SupervisionSeries)).one() == 0


def test_a_date_today_is_fine_while_its_start_is_ahead(demo: Dialog) -> None:
    today = NOW.astimezone(NY).date()
    assert today == date(2026, 11, 30)
    assert load(demo.engine, f"Olivia Reed,{today},06:30,30,,,,video call\n").sessions == 1
    assert problems(demo.engine, f"Olivia Reed,{today},06:00,30,,,,video call\n") == [
        "SLOTS.csv, line 2: day: 2026-11-30 06:00 has already passed; a slot is for a session to come"
    ]


def test_a_session_over_her_own_or_outside_the_sites_hours_is_refused(demo: Dialog) -> None:
    before = count(demo.engine)
    found = problems(
        demo.engine,
        "Olivia Reed,thu,14:30,30,none,,1,video call\n"  # over her weekly Thursday 14:00–15:00 by video
        "Olivia Reed,fri,20:00,60,none,,1,Sunflower Center\n",  # Sunflower closes at 18:00
    )
    assert any("line 2: start: overlaps Olivia Reed's session of 2026-12-03 14:00" in p for p in found)
    assert any("line 3: start: Sunflower Center is open 06:30–18:00" in p for p in found)
    assert count(demo.engine) == before
