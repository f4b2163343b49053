"""The loader reads the demo's history into the frames the metric functions take (SQLite and PostgreSQL)."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import Engine

from handlers.clock import ManualClock
from models.db import session_scope
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
