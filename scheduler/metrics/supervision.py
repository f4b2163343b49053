"""Reflective supervision in the digest, as pure pandas over the bookings of a period:

- bookings: teacher_id, site, status (awaiting_cover | confirmed | not_held), in_house, starts_at, minutes
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scheduler.metrics.weeks import Week

NAN = float("nan")


@dataclass(frozen=True)
class Supervision:
    booked: int = 0
    held: int = 0  # confirmed, and its start has passed
    not_held: int = 0  # nobody covered her room in time
    covered_share: float = NAN  # of the sessions due, the share whose classroom was covered
    hours_by_site: dict[str, float] = field(default_factory=dict)


def frame(rows: list[object]) -> pd.DataFrame:
    columns = ["teacher_id", "site", "status", "in_house", "starts_at", "minutes"]
    return pd.DataFrame([vars(r) for r in rows], columns=columns)


def week_of_supervision(bookings: pd.DataFrame, week: Week, now: pd.Timestamp) -> Supervision:
    """The week's sessions: booked, held, not held for lack of cover, covered share, hours held per site."""
    starts = pd.to_datetime(bookings["starts_at"], utc=True)
    rows = bookings[(starts >= week.start) & (starts < week.end)]
    if rows.empty:
        return Supervision()
    began = pd.to_datetime(rows["starts_at"], utc=True) <= now
    held = rows[(rows["status"] == "confirmed") & began]
    not_held = rows[rows["status"] == "not_held"]
    due = len(held) + len(not_held)
    hours = (held.groupby("site")["minutes"].sum() / 60).round(1)
    return Supervision(
        booked=len(rows),
        held=len(held),
        not_held=len(not_held),
        covered_share=len(held) / due if due else NAN,
        hours_by_site={str(site): float(value) for site, value in hours.items()},
    )


def behind_pace(
    year: pd.DataFrame, teachers_by_site: dict[str, int], *, target_hours: float, share_of_year: float
) -> dict[str, int]:
    """Per site, how many teachers have had fewer reflective-supervision hours this year than the pace to the
    yearly target (teachers with none at all count too)."""
    held = year[year["status"] == "confirmed"]
    hours = held.groupby(["site", "teacher_id"])["minutes"].sum() / 60
    pace = target_hours * share_of_year
    on_pace = hours[hours >= pace].groupby(level="site").size()
    return {site: max(0, total - int(on_pace.get(site, 0))) for site, total in teachers_by_site.items()}
