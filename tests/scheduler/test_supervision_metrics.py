"""Reflective supervision in the digest: hand-built bookings through the pure functions, then the demo's week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import Engine

from handlers.clock import ManualClock
from models.db import session_scope
from models.supervision.reports import BookingRow
from scheduler.digest import build, render
from scheduler.metrics import supervision as rs
from scheduler.metrics.weeks import week_of

NY = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 11, 23, tzinfo=NY)


def row(teacher: int, site: str, status: str, day: int, minutes: int = 60) -> BookingRow:
    return BookingRow(teacher, site, status, False, (MONDAY + timedelta(days=day, hours=10)).astimezone(UTC), minutes)


def test_booked_held_not_held_and_hours_per_site() -> None:
    bookings = rs.frame(
        [
            row(1, "Oak", "confirmed", 1),
            row(2, "Oak", "not_held", 2),
            row(3, "Elm", "confirmed", 3, minutes=90),
            row(4, "Elm", "confirmed", 6),  # Sunday, after "now": not held yet
            row(5, "Elm", "confirmed", 8),  # next week
        ]
    )
    now = pd.Timestamp(MONDAY + timedelta(days=5))
    week = rs.week_of_supervision(bookings, week_of(MONDAY, NY), now)
    assert (week.booked, week.held, week.not_held) == (4, 2, 1)
    assert week.covered_share == 2 / 3
    assert week.hours_by_site == {"Elm": 1.5, "Oak": 1.0}


def test_teachers_behind_the_yearly_pace_per_site_count_those_with_none() -> None:
    year = rs.frame([row(1, "Oak", "confirmed", 1, minutes=600), row(2, "Oak", "confirmed", 1, minutes=60)])
    behind = rs.behind_pace(year, {"Oak": 3, "Elm": 2}, target_hours=12, share_of_year=0.5)  # pace: 6 h
    assert behind == {"Oak": 2, "Elm": 2}


@pytest.mark.usefixtures("history")  # the demo Alliance with its history, seeded at START
def test_the_demo_digest_reports_its_sessions(engine: Engine, clock: ManualClock) -> None:
    with session_scope(engine) as session:
        digest = build.build(session, week_of(clock.now(), NY).previous(), clock.now(), rs_target_hours=1)
    text = "\n".join(line.render("en") for line in render.lines(digest))
    rs_week = digest.supervision
    assert rs_week.booked == rs_week.held + rs_week.not_held  # every past session was settled
    assert f"Reflective supervision: {rs_week.booked} sessions booked, {rs_week.held} held" in text
    assert set(build.table(digest).columns) >= {"rs_hours_held", "rs_teachers_behind_pace"}
