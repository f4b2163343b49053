"""Operations metrics from the bot's own records, per site and for the Alliance, for one week.

Input frames (built by the loader, or by hand in tests):
- shifts: shift_id, site, reason, requester, requested_at, starts_at, ends_at, status, accepted_at (UTC, aware)
- events: shift_id, kind ("accepted", "dropped", …), at
A week's shifts are those that start in it; a metric that has nothing to count is NaN, never 0. The fill rate
counts the shifts decided at `now` (filled, or begun): mid-week, a shift still open ahead is not yet unfilled.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from models.cover.tables import PROTECTED, Reason
from scheduler.metrics.weeks import Week

REASONS = tuple(Reason)
NAN = float("nan")
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
    filled: int = 0  # the fill rate's numerator and denominator: "3 of 4" on the digest's chart
    live: int = 0  # shifts not cancelled
    # Of those, the ones decided so far — filled, or begun — the fill rate's denominator: a shift still open ahead
    # may yet be filled (the week's digest, built after it, counts every shift; /digest mid-week does not).
    decided: int = 0


def in_week(shifts: pd.DataFrame, week: Week) -> pd.DataFrame:
    starts = shifts["starts_at"]
    return shifts[(starts >= week.start) & (starts < week.end)]


def operations(shifts: pd.DataFrame, events: pd.DataFrame, week: Week, now: pd.Timestamp) -> Operations:
    """The operations metrics of the shifts starting in `week`, as known at `now` (all of them together)."""
    return _grouped(shifts.assign(site="*"), events, week, now).get("*", EMPTY)


def by_site(
    shifts: pd.DataFrame, events: pd.DataFrame, week: Week, now: pd.Timestamp, sites: list[str]
) -> dict[str, Operations]:
    """Every site of the roster, including those with no requests at all — in one grouped pass."""
    grouped = _grouped(shifts, events, week, now)
    return {site: grouped.get(site, EMPTY) for site in sites}


def _grouped(shifts: pd.DataFrame, events: pd.DataFrame, week: Week, now: pd.Timestamp) -> dict[str, Operations]:
    """Per-row facts computed once, then summed, counted and medianed by site."""
    rows = in_week(shifts, week)
    if rows.empty:
        return {}
    zone = week.zone
    live = rows["status"] != "cancelled"
    filled = rows["status"] == "filled"
    requested_local = rows["requested_at"].dt.tz_convert(zone)
    facts = pd.DataFrame(
        {
            "site": rows["site"],
            "shift_id": rows["shift_id"],
            "reason": rows["reason"],
            "live": live,
            "filled": filled & live,
            "decided": live & (filled | (rows["starts_at"] <= now)),
            "to_fill": ((rows["accepted_at"] - rows["requested_at"]).dt.total_seconds() / 60).where(filled),
            "early": requested_local.dt.hour < EARLY_HOUR,
            "lead": ((rows["starts_at"] - rows["requested_at"]).dt.total_seconds() / 3600).where(live),
            "same_day": (requested_local.dt.date == rows["starts_at"].dt.tz_convert(zone).dt.date) & live,
            "unfilled": live & (rows["starts_at"] <= now) & (~filled | (rows["accepted_at"] > rows["starts_at"])),
            "protected": ((rows["ends_at"] - rows["starts_at"]).dt.total_seconds() / 3600).where(
                filled & rows["reason"].isin(list(PROTECTED)), 0.0
            ),
            "reflection": live & (rows["reason"] == "reflection"),
            "reflection_filled": filled & (rows["reason"] == "reflection"),
        }
    )
    by = facts.groupby("site")
    counted = ["live", "filled", "decided", "same_day", "unfilled", "protected", "reflection", "reflection_filled"]
    sums = by[counted].sum()
    medians = by[["to_fill", "lead"]].median().to_dict("index")
    early = facts[facts["early"]].groupby("site")["to_fill"].median().to_dict()
    reasons = facts.groupby(["site", "reason"]).size().unstack(fill_value=0).to_dict("index")
    site_events = events.merge(facts[["shift_id", "site"]], on="shift_id")
    kinds = site_events.groupby(["site", "kind"]).size().unstack(fill_value=0).to_dict("index")
    sizes = by.size().to_dict()
    result = {}
    for site, row in sums.to_dict("index").items():
        site_kinds, site_reasons = kinds.get(site, {}), reasons.get(site, {})
        result[str(site)] = Operations(
            requests=int(sizes[site]),
            by_reason={reason: int(site_reasons.get(reason, 0)) for reason in REASONS},
            fill_rate=_ratio(int(row["filled"]), int(row["decided"])),
            median_time_to_fill_min=float(medians[site]["to_fill"]),
            median_time_to_fill_early_min=float(early.get(site, NAN)),
            median_lead_time_h=float(medians[site]["lead"]),
            same_day_share=_ratio(int(row["same_day"]), int(row["live"])),
            unfilled_at_start=int(row["unfilled"]),
            protected_hours=float(row["protected"]),
            drop_rate=_ratio(int(site_kinds.get("dropped", 0)), int(site_kinds.get("accepted", 0))),
            rs_sessions_covered=_ratio(int(row["reflection_filled"]), int(row["reflection"])),
            filled=int(row["filled"]),
            live=int(row["live"]),
            decided=int(row["decided"]),
        )
    return result


def protected_hours_by_teacher(shifts: pd.DataFrame, week: Week) -> pd.Series:
    """Hours of covered planning, reflection and training time per requesting teacher."""
    week_shifts = in_week(shifts, week)
    protected = week_shifts[(week_shifts["status"] == "filled") & week_shifts["reason"].isin(list(PROTECTED))]
    hours = (protected["ends_at"] - protected["starts_at"]).dt.total_seconds() / 3600
    return hours.groupby(protected["requester"]).sum().sort_values(ascending=False)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


EMPTY = Operations(0, dict.fromkeys(REASONS, 0), NAN, NAN, NAN, NAN, NAN, 0, 0.0, NAN, NAN)


def credentials_current(credentials: pd.DataFrame, floaters: list[str], on: object, required: tuple[str, ...]) -> float:
    """Share of active floaters holding every `required` credential, unexpired on the date `on`."""
    if not floaters:
        return float("nan")
    valid = credentials[credentials["expires_on"].isna() | (credentials["expires_on"] >= on)]
    holding = valid[valid["code"].isin(required)].groupby("person")["code"].nunique()
    return float((holding == len(required)).sum()) / len(floaters)
