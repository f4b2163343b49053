"""The Iron Triangle from directors' survey answers (site metric values by period).

Input frame: site, key, period, value — e.g. ("Sunflower Center", "enrolled_fte", "2026-W49", 58.5).
A site that did not answer has no rows: its numbers are NaN and it is counted among the missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ENROLLMENT_BUDGET, ENROLLMENT_WELL_RUN = 0.85, 0.95
BAD_DEBT_TARGET = 0.03


@dataclass(frozen=True)
class Enrollment:
    enrollment_pct: float
    vacancies: float
    answered: bool


def enrollment(metrics: pd.DataFrame, period: str, sites: list[str]) -> tuple[dict[str, Enrollment], Enrollment]:
    """Enrolled FTE ÷ staffed capacity FTE per site and for the Alliance (sum ÷ sum of the sites that answered)."""
    week = metrics[metrics["period"] == period].pivot_table(index="site", columns="key", values="value", aggfunc="last")
    result = {}
    for site in sites:
        enrolled = _cell(week, site, "enrolled_fte")
        capacity = _cell(week, site, "staffed_capacity_fte")
        answered = not (pd.isna(enrolled) or pd.isna(capacity))
        result[site] = Enrollment(_ratio(enrolled, capacity), capacity - enrolled, answered)
    answered_sites = [s for s in sites if result[s].answered]
    enrolled_total = sum(_cell(week, s, "enrolled_fte") for s in answered_sites)
    capacity_total = sum(_cell(week, s, "staffed_capacity_fte") for s in answered_sites)
    alliance = Enrollment(_ratio(enrolled_total, capacity_total), capacity_total - enrolled_total, bool(answered_sites))
    return result, alliance


@dataclass(frozen=True)
class Finance:
    collection_pct: float
    bad_debt_pct: float  # trailing three months
    cost_per_child: float
    revenue_per_child: float
    break_even_fte: float


def finance(metrics: pd.DataFrame, months: list[str], enrolled_fte: float) -> Finance:
    """From monthly totals (`months`: the last three, oldest first) of one site or of all sites together."""
    monthly = metrics[metrics["period"].isin(months)].groupby(["period", "key"])["value"].sum().unstack()
    billed = _column(monthly, "fees_billed")
    collected = _column(monthly, "fees_collected")
    last = months[-1]
    expenses = _cell(monthly, last, "operating_expenses")
    revenue = _cell(monthly, last, "revenue")
    revenue_per_child = _ratio(revenue, enrolled_fte)
    return Finance(
        collection_pct=_ratio(_cell(monthly, last, "fees_collected"), _cell(monthly, last, "fees_billed")),
        bad_debt_pct=_ratio(billed.sum() - collected.sum(), billed.sum()) if len(billed) else float("nan"),
        cost_per_child=_ratio(expenses, enrolled_fte),
        revenue_per_child=revenue_per_child,
        break_even_fte=_ratio(expenses, revenue_per_child),
    )


def _cell(frame: pd.DataFrame, row: str, column: str) -> float:
    if row not in frame.index or column not in frame.columns:
        return float("nan")
    value: object = frame.at[row, column]
    return float(value) if isinstance(value, (int, float)) else float("nan")


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].dropna() if column in frame else pd.Series(dtype=float)


def _ratio(part: float, whole: float) -> float:
    if pd.isna(part) or pd.isna(whole) or whole == 0:
        return float("nan")
    return part / whole
