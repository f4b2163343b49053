"""Operations metrics from the bot's own records, per site and for the Alliance, for one week.

Input frames (built by the loader, or by hand in tests):
- shifts: shift_id, site, reason, requester, requested_at, starts_at, ends_at, status, accepted_at (UTC, aware)
- events: shift_id, kind ("accepted", "dropped", …), at
A week's shifts are those that start in it; a metric that has nothing to count is NaN, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scheduler.metrics.weeks import Week

PROTECTED = ("planning", "reflection", "training")
REASONS = ("sick", "personal", "planning", "reflection", "training", "other")
EARLY_HOUR = 7  # requests made before 7 am are the hard ones


@dataclass(frozen=True)
class Operations:
    """One site's (or the Alliance's) week."""

    requests: int
    by_reason: dict[str, int]
    fill_rate: float
    median_time_to_fill_min: float
    median_time_to_fill_early_min: float
    median_lead_time_h: float
    same_day_share: float
    unfilled_at_start: int
    protected_hours: float
    drop_rate: float
    rs_sessions_covered: float


def in_week(shifts: pd.DataFrame, week: Week) -> pd.DataFrame:
    starts = shifts["starts_at"]
    return shifts[(starts >= week.start) & (starts < week.end)]


def operations(shifts: pd.DataFrame, events: pd.DataFrame, week: Week, now: pd.Timestamp) -> Operations:
    """The operations metrics of the shifts starting in `week`, as known at `now`."""
    week_shifts = in_week(shifts, week)
    live = week_shifts[week_shifts["status"] != "cancelled"]
    filled = live[live["status"] == "filled"]
    local_requested = live["requested_at"].dt.tz_convert(week.zone)
    local_starts = live["starts_at"].dt.tz_convert(week.zone)
    to_fill = (filled["accepted_at"] - filled["requested_at"]).dt.total_seconds() / 60
    early = filled["requested_at"].dt.tz_convert(week.zone).dt.hour < EARLY_HOUR
    started = live[live["starts_at"] <= now]
    unfilled = started[(started["status"] != "filled") | (started["accepted_at"] > started["starts_at"])]
    protected = filled[filled["reason"].isin(PROTECTED)]
    reflection = live[live["reason"] == "reflection"]
    week_events = events[events["shift_id"].isin(week_shifts["shift_id"])]
    accepted = int((week_events["kind"] == "accepted").sum())
    return Operations(
        requests=len(week_shifts),
        by_reason={reason: int((week_shifts["reason"] == reason).sum()) for reason in REASONS},
        fill_rate=_ratio(len(filled), len(live)),
        median_time_to_fill_min=_median(to_fill),
        median_time_to_fill_early_min=_median(to_fill[early]),
        median_lead_time_h=_median((live["starts_at"] - live["requested_at"]).dt.total_seconds() / 3600),
        same_day_share=_ratio(int((local_requested.dt.date == local_starts.dt.date).sum()), len(live)),
        unfilled_at_start=len(unfilled),
        protected_hours=float(((protected["ends_at"] - protected["starts_at"]).dt.total_seconds() / 3600).sum()),
        drop_rate=_ratio(int((week_events["kind"] == "dropped").sum()), accepted),
        rs_sessions_covered=_ratio(int((reflection["status"] == "filled").sum()), len(reflection)),
    )


def by_site(
    shifts: pd.DataFrame, events: pd.DataFrame, week: Week, now: pd.Timestamp, sites: list[str]
) -> dict[str, Operations]:
    """Every site of the roster, including those with no requests at all."""
    return {site: operations(shifts[shifts["site"] == site], events, week, now) for site in sites}


def protected_hours_by_teacher(shifts: pd.DataFrame, week: Week) -> pd.Series:
    """Hours of covered planning, reflection and training time per requesting teacher."""
    week_shifts = in_week(shifts, week)
    protected = week_shifts[(week_shifts["status"] == "filled") & week_shifts["reason"].isin(PROTECTED)]
    hours = (protected["ends_at"] - protected["starts_at"]).dt.total_seconds() / 3600
    return hours.groupby(protected["requester"]).sum().sort_values(ascending=False)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def _median(values: pd.Series) -> float:
    return float(values.median()) if len(values) else float("nan")
