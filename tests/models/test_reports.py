"""The read-side functions the digest, the metrics and the surveys use, on the demo (SQLite and PostgreSQL)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from handlers.clock import ManualClock
from models.cover import reports as cover_reports
from models.cover.tables import Reason, ShiftEventKind, ShiftStatus
from models.db import session_scope
from models.roster import queries as roster_queries
from models.roster.tables import Person
from models.surveys import reports as survey_reports
from scheduler.metrics.weeks import week_of
from tests.dialog import Dialog


@pytest.mark.usefixtures("history")  # the demo Alliance with its history, seeded at START
def test_a_weeks_shifts_events_metrics_and_pulse_answers(engine: Engine, clock: ManualClock) -> None:
    week = week_of(clock.now(), ZoneInfo("America/New_York")).previous()
    with session_scope(engine) as session:
        shifts = cover_reports.shift_rows(session, start=week.start, end=week.end)
        events = cover_reports.event_rows(session, start=week.start, end=week.end)
        metrics = survey_reports.site_metric_rows(session, periods=[week.label])
        answered, asked = survey_reports.response_rate(session, survey_id="weekly-pulse", period=week.label)
        nothing = survey_reports.response_rate(session, survey_id="weekly-pulse", period="1999-W01")
    assert len(shifts) > 10
    assert all(len(row) == len(cover_reports.SHIFT_FIELDS) for row in shifts)
    assert all(week.start <= row[5] < week.end for row in shifts)
    assert {type(row[2]) for row in shifts} == {Reason}
    assert {type(row[7]) for row in shifts} == {ShiftStatus}
    assert {row[0] for row in events} <= {row[0] for row in shifts}
    assert ShiftEventKind.REQUESTED in {row[1] for row in events}
    assert all(isinstance(row[2], str) for row in events)
    assert metrics
    assert {row[2] for row in metrics} == {week.label}
    assert "Maple Street Early Learning" not in {row[0] for row in metrics}  # it never answers the pulse
    assert (answered, asked) == (2, 2)
    assert nothing == (0, 0)


def test_who_a_survey_or_a_message_reaches(demo: Dialog, engine: Engine) -> None:
    with session_scope(engine) as session:
        ids = {p.name: p.id or 0 for p in session.exec(select(Person)).all()}
        diego = session.get(Person, ids["Diego Torres"])
        assert diego is not None
        diego.active = False
        session.add(diego)
    with session_scope(engine) as session:
        directors = roster_queries.active_person_ids(session, roles=["director"])
        at_casa = roster_queries.active_person_ids(session, roles=["director"], site_names=["Casa de los Niños"])
        floaters = roster_queries.active_person_ids(session, roles=["floater"])
        everyone = roster_queries.active_person_ids(session)
        named = roster_queries.person_ids_named(session, names=["Diego Torres", "Nobody"])
        zones = roster_queries.site_zones(session, person_ids=[ids["Diana Park"], ids["Fatima Ali"]])
        people = roster_queries.people_by_id(session, ids=[ids["Hana Okafor"], 9999])
        names = roster_queries.active_floater_names(session)
        site_names = roster_queries.site_names(session)
    assert directors == {ids["Diana Park"], ids["Carmen Flores"]}
    assert at_casa == {ids["Carmen Flores"]}
    assert ids["Diego Torres"] not in floaters
    assert ids["Fatima Ali"] in floaters
    assert everyone == set(ids.values()) - {ids["Diego Torres"]}
    assert named == {ids["Diego Torres"]}  # a named person is reached even when inactive
    assert zones == {ids["Diana Park"]: "America/New_York"}  # floaters have no site
    assert list(people) == [ids["Hana Okafor"]]
    assert names == ["Emma Wilson", "Fatima Ali", "Sofía Castillo"]
    assert site_names == sorted(site_names)
    assert len(site_names) == 3
