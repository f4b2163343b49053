"""The year's trend: the Alliance's fill rate week by week, counted in the database (models/cover/reports.py)
and shaped here — 52 rows, however many shifts the year had."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from models.cover import reports as cover_reports
from scheduler.metrics.weeks import Week

if TYPE_CHECKING:
    from models.db import Session

TREND_COLUMNS = ["week", "shifts", "live", "filled", "fill_rate"]


def weeks_up_to(week: Week, count: int) -> list[Week]:
    """The `count` weeks ending with `week`, oldest first."""
    weeks = [week]
    while len(weeks) < count:
        weeks.append(weeks[-1].previous())
    return weeks[::-1]


def weekly_fill(session: Session, weeks: list[Week]) -> pd.DataFrame:
    """One row per week asked for, oldest first: its label, shifts starting in it, live ones (not cancelled),
    filled ones, and the fill rate (filled ÷ live; NaN for a week with nothing live, as in the digest)."""
    counts = {row[0]: row[1:] for row in cover_reports.fill_counts(session, periods=[(w.start, w.end) for w in weeks])}
    rows = [(w.label, *counts.get(i, (0, 0, 0))) for i, w in enumerate(weeks)]
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS[:-1])
    frame["fill_rate"] = (frame["filled"] / frame["live"]).where(frame["live"] > 0)
    return frame
