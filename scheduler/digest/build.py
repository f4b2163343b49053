"""The digest of one week: per site and for the Alliance, this week and the one before, as plain values."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from models.supervision import reports as supervision_reports
from models.surveys import reports as survey_reports
from scheduler.metrics import load
from scheduler.metrics import supervision as rs
from scheduler.metrics.operations import (
    Operations,
    by_site,
    credentials_current,
    operations,
    protected_hours_by_teacher,
)
from scheduler.metrics.triangle import Enrollment, Finance, enrollment, finance
from scheduler.metrics.weeks import Week

if TYPE_CHECKING:
    from models.db import Session

FILL_TARGET = 0.90  # K-12 substitute systems report 80–95 %
RS_HOURS_TARGET = 12.0  # a year, per teacher, unless the Alliance sets RS_HOURS_TARGET_PER_YEAR


@dataclass(frozen=True)
class SiteWeek:
    site: str
    ops: Operations
    previous: Operations
    enrollment: Enrollment
    previous_enrollment: Enrollment

    @property
    def attention(self) -> tuple[float, float, float]:
        """Sorts the sites that most need attention first: unfilled at start, then low fill, then low enrollment."""
        fill = self.ops.fill_rate if not math.isnan(self.ops.fill_rate) else 1.0
        enrolled = self.enrollment.enrollment_pct if not math.isnan(self.enrollment.enrollment_pct) else 1.0
        return (-self.ops.unfilled_at_start, fill, enrolled)


@dataclass(frozen=True)
class Digest:
    week: Week
    alliance: Operations
    previous: Operations
    enrollment: Enrollment
    previous_enrollment: Enrollment
    sites: tuple[SiteWeek, ...]
    credentials_current: float = float("nan")
    pulse_answers: tuple[int, int] = (0, 0)  # (answered, asked)
    finance: Finance | None = None  # from the monthly finance survey, when directors answered it
    protected_by_teacher: tuple[tuple[str, float], ...] = ()
    supervision: rs.Supervision = field(default_factory=rs.Supervision)
    behind_pace: dict[str, int] = field(default_factory=dict)  # site → teachers behind the yearly pace
    rs_target_hours: float = RS_HOURS_TARGET

    @property
    def pulse_answered(self) -> int:
        return sum(1 for s in self.sites if s.enrollment.answered)

    def needing_attention(self, count: int = 3) -> list[SiteWeek]:
        worrying = [s for s in self.sites if s.ops.unfilled_at_start or s.ops.fill_rate < FILL_TARGET]
        return sorted(worrying, key=lambda s: s.attention)[:count]


def build(session: Session, week: Week, now: datetime, *, rs_target_hours: float = RS_HOURS_TARGET) -> Digest:
    """Reads the two weeks' rows once (SQL filters them), then computes everything with pandas."""
    previous = week.previous()
    shifts = load.shifts(session, start=previous.start, end=week.end)
    events = load.events(session, start=previous.start, end=week.end)
    metrics = load.site_metrics(session, periods=[week.label, previous.label])
    sites = load.site_names(session)
    at = pd.Timestamp(now)
    this, last = by_site(shifts, events, week, at, sites), by_site(shifts, events, previous, at, sites)
    enrolled, alliance_enrolled = enrollment(metrics, week.label, sites)
    enrolled_before, alliance_before = enrollment(metrics, previous.label, sites)
    months = _last_months(week, 3)
    money = load.site_metrics(session, periods=months)
    latest = money[money["period"] == months[-1]]
    enrolled_total = float(
        metrics[(metrics["period"] == week.label) & (metrics["key"] == "enrolled_fte")]["value"].sum()
    )
    credentials = load.floater_credentials(session)
    current = credentials_current(
        credentials,
        credentials.attrs["floaters"],
        week.end.astimezone(week.zone).date(),
        ("background_check", "cpr_first_aid"),
    )
    supervision, behind = _supervision(session, week, at, rs_target_hours)
    return Digest(
        supervision=supervision,
        behind_pace=behind,
        rs_target_hours=rs_target_hours,
        credentials_current=current,
        pulse_answers=survey_reports.response_rate(session, survey_id="weekly-pulse", period=week.label),
        finance=finance(money, months, enrolled_total) if not latest.empty else None,
        protected_by_teacher=tuple(
            (str(k), float(v)) for k, v in protected_hours_by_teacher(shifts, week).head(3).items()
        ),
        week=week,
        alliance=operations(shifts, events, week, at),
        previous=operations(shifts, events, previous, at),
        enrollment=alliance_enrolled,
        previous_enrollment=alliance_before,
        sites=tuple(SiteWeek(s, this[s], last[s], enrolled[s], enrolled_before[s]) for s in sites),
    )


def _supervision(
    session: Session, week: Week, now: pd.Timestamp, target_hours: float
) -> tuple[rs.Supervision, dict[str, int]]:
    """The week's reflective-supervision sessions, and per site who is behind the yearly pace as of the week's end."""
    end = week.end.astimezone(week.zone)
    year_start = end.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    rows = rs.frame(list(supervision_reports.booking_rows(session, start=year_start, end=week.end)))
    share = (week.end - year_start).total_seconds() / (365.25 * 86400)
    teachers = supervision_reports.teachers_by_site(session)
    behind = rs.behind_pace(rows, teachers, target_hours=target_hours, share_of_year=min(1.0, share))
    return rs.week_of_supervision(rows, week, now), behind


def table(digest: Digest) -> pd.DataFrame:
    """The per-site table attached to the digest (CSV and XLSX)."""
    rows = [
        {
            "site": s.site,
            "requests": s.ops.requests,
            "fill_rate": s.ops.fill_rate,
            "fill_rate_last_week": s.previous.fill_rate,
            "unfilled_at_start": s.ops.unfilled_at_start,
            "median_time_to_fill_min": s.ops.median_time_to_fill_min,
            "median_lead_time_h": s.ops.median_lead_time_h,
            "same_day_share": s.ops.same_day_share,
            "protected_hours": s.ops.protected_hours,
            "protected_hours_last_week": s.previous.protected_hours,
            "drop_rate": s.ops.drop_rate,
            "enrollment_pct": s.enrollment.enrollment_pct,
            "vacancies": s.enrollment.vacancies,
            "answered_pulse": s.enrollment.answered,
            "rs_hours_held": digest.supervision.hours_by_site.get(s.site, 0.0),
            "rs_teachers_behind_pace": digest.behind_pace.get(s.site, 0),
        }
        for s in digest.sites
    ]
    return pd.DataFrame(rows)


def _last_months(week: Week, count: int) -> list[str]:
    """The `count` full months before the week's Monday, oldest first (`2026-09`, `2026-10`, `2026-11`)."""
    first = week.start.astimezone(week.zone).date().replace(day=1)
    months = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(f"{first.year}-{first.month:02}")
    return months[::-1]
