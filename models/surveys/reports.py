"""Read-side queries of survey results for the weekly digest: site metrics and response rates."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from models.roster.tables import Site
from models.surveys.queries import COUNTED_INVITE
from models.surveys.tables import InviteStatus, SiteMetric, SurveyInvite, SurveyRun

SiteMetricRow = tuple[str, str, str, float]  # site name, key, period, value


def site_metric_rows(session: Session, *, periods: Collection[str]) -> list[SiteMetricRow]:
    """(site name, key, period, value) of every site metric recorded for these periods."""
    statement = (
        select(col(Site.name), col(SiteMetric.key), col(SiteMetric.period), col(SiteMetric.value))
        .join(Site, col(Site.id) == col(SiteMetric.site_id))
        .where(col(SiteMetric.period).in_(list(periods)))
    )
    return [tuple(row) for row in session.execute(statement).all()]


def response_rate(session: Session, *, survey_id: str, period: str) -> tuple[int, int]:
    """(answered, asked) for the runs of a survey in a period, previews left out."""
    answered = func.count(case((col(SurveyInvite.status) == InviteStatus.SUBMITTED, 1)))
    statement = (
        select(answered, func.count())
        .select_from(SurveyInvite)
        .join(SurveyRun, col(SurveyRun.id) == col(SurveyInvite.run_id))
        .where(col(SurveyRun.survey_id) == survey_id, col(SurveyRun.period) == period)
        .where(COUNTED_INVITE)
    )
    done, asked = session.execute(statement).one()
    return int(done), int(asked)
