"""The loader reads the demo's history into the frames the metric functions take (SQLite and PostgreSQL)."""

from __future__ import annotations

import math
from datetime import timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import select

from handlers.clock import ManualClock
from models.cover import reports as cover_reports
from models.cover import writes
from models.cover.tables import Reason
from models.db import session_scope
from models.roster.tables import PersonRole, Room, Site
from scheduler.metrics import load
from scheduler.metrics.operations import by_site, operations
from scheduler.metrics.triangle import enrollment
from scheduler.metrics.weeks import week_of


@pytest.mark.usefixtures("history")  # the demo Alliance with its history, seeded at START
def test_last_weeks_numbers_from_the_demo_history(engine: Engine, clock: ManualClock) -> None:
    week = week_of(clock.now(), ZoneInfo("America/New_York")).previous()
    with session_scope(engine) as session:
        shifts = load.shifts(session, start=week.start, end=week.end)
        events = load.events(session, start=week.start, end=week.end)
        metrics = load.site_metrics(session, periods=[week.label])
        sites = load.site_names(session)
    assert len(shifts) > 10
    assert str(shifts["starts_at"].dt.tz) == "UTC"
    alliance = operations(shifts, events, week, pd.Timestamp(clock.now()))
    assert 0.5 < alliance.fill_rate <= 1
    assert sum(alliance.by_reason.values()) == alliance.requests
    per_site = by_site(shifts, events, week, pd.Timestamp(clock.now()), sites)
    assert sum(s.requests for s in per_site.values()) == alliance.requests
    enrolled, total = enrollment(metrics, week.label, sites)
    assert not enrolled["Maple Street Early Learning"].answered
    assert 0.7 < total.enrollment_pct < 1
    assert not math.isnan(enrolled["Sunflower Center"].enrollment_pct)


@pytest.mark.usefixtures("history")
def test_the_alerts_count_of_shifts_unfilled_at_their_start_is_the_digests(engine: Engine, clock: ManualClock) -> None:
    """The hourly alerts count in SQL what the digest counts in pandas: the same sites, the same numbers, for a
    past week and for this one under way — with a shift filled before it began, one filled only after, one
    cancelled after it began, and one still to come."""
    zone = ZoneInfo("America/New_York")
    now = clock.now() + timedelta(hours=30)
    this_week = week_of(now, zone)
    with session_scope(engine) as session:
        site = session.exec(select(Site).where(Site.name == "Sunflower Center")).one()
        room = session.exec(select(Room).where(Room.site_id == site.id)).first()
        assert room is not None
        assert site.id is not None
        assert room.id is not None
        began = [(now - timedelta(hours=h), now - timedelta(hours=h - 1)) for h in (8, 7, 6, 5)]
        _, made = writes.create_request(
            session,
            requester_id=1,
            site_id=site.id,
            room_id=room.id,
            age_group=room.age_group,
            reason=Reason.SICK,
            windows=[*began, (now + timedelta(hours=2), now + timedelta(hours=3))],
            at=now - timedelta(days=1),
        )
        floater = session.exec(select(PersonRole.person_id).where(PersonRole.role == "floater")).first()
        assert floater is not None
        before, after, cancelled, _open, _later = (shift.id or 0 for shift in made)
        writes.claim_shift(session, shift_id=before, floater_id=floater, at=now - timedelta(hours=9))
        writes.claim_shift(session, shift_id=after, floater_id=floater, at=now - timedelta(hours=6))
        writes.cancel_shift(session, shift_id=cancelled, by=1, at=now - timedelta(hours=5))
    for week in (this_week.previous(), this_week):
        with session_scope(engine) as session:
            shifts = load.shifts(session, start=week.start, end=week.end)
            events = load.events(session, start=week.start, end=week.end)
            per_site = by_site(shifts, events, week, pd.Timestamp(now), load.site_names(session))
            counted = cover_reports.unfilled_at_start(session, start=week.start, end=week.end, now=now)
        digest = {site: ops.unfilled_at_start for site, ops in per_site.items() if ops.unfilled_at_start}
        assert counted == digest
        assert list(counted) == sorted(counted)
    assert counted["Sunflower Center"] >= 2  # this week: filled after it began, and still open
