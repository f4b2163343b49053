"""The year's trend counted in SQL gives the digest's own numbers, week by week, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine

from bot.demo.seed import seed_demo
from models.db import read_scope
from scheduler.metrics import load
from scheduler.metrics.operations import Operations, operations
from scheduler.metrics.trend import TREND_COLUMNS, weekly_fill, weeks_up_to
from scheduler.metrics.weeks import week_of

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 08:00 in New York, after six weeks of history


def test_the_weekly_fill_rate_in_sql_is_the_digests_in_pandas(engine: Engine) -> None:
    seed_demo(engine, at=NOW)  # six weeks of requests, some filled, some open, some cancelled
    weeks = weeks_up_to(week_of(NOW, NY), 9)  # two weeks before the history, and this one: no shifts yet
    with read_scope(engine) as session:
        trend = weekly_fill(session, weeks)
        shifts = load.shifts(session, start=weeks[0].start, end=weeks[-1].end)
        events = load.events(session, start=weeks[0].start, end=weeks[-1].end)
    at = pd.Timestamp(NOW)
    digest = [(w.label, *_counts(operations(shifts, events, w, at))) for w in weeks]
    expected = pd.DataFrame(digest, columns=TREND_COLUMNS)
    pd.testing.assert_frame_equal(trend, expected)
    assert trend["shifts"].sum() == len(shifts) > 0
    assert 0 < trend["live"].sum() < len(shifts)  # cancelled shifts are not live
    assert trend["fill_rate"].notna().sum() == 6


def _counts(ops: Operations) -> tuple[int, int, int, float]:
    return ops.requests, ops.live, ops.filled, ops.fill_rate
