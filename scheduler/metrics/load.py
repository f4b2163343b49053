"""Reading what the metrics need: SQL selects the rows of the weeks asked for; pandas only shapes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import String, cast, select
from sqlmodel import Session, col

from models.cover.tables import CoverRequest, Shift, ShiftEvent
from models.roster.tables import Credential, Person, PersonRole, Site
from models.surveys.tables import SiteMetric, SurveyInvite, SurveyRun

SHIFT_COLUMNS = [
    "shift_id",
    "site",
    "reason",
    "requester",
    "requested_at",
    "starts_at",
    "ends_at",
    "status",
    "accepted_at",
]
TIMES = ("requested_at", "starts_at", "ends_at", "accepted_at")


def shifts(session: Session, *, start: datetime, end: datetime) -> pd.DataFrame:
    """Shifts starting in [start, end), with site and requester names; times as UTC timestamps."""
    statement = (
        select(
            col(Shift.id),
            col(Site.name),
            col(Shift.reason),
            col(Person.name),
            col(Shift.requested_at),
            col(Shift.starts_at),
            col(Shift.ends_at),
            col(Shift.status),
            col(Shift.accepted_at),
        )
        .join(Site, col(Site.id) == col(Shift.site_id))
        .join(CoverRequest, col(CoverRequest.id) == col(Shift.request_id))
        .join(Person, col(Person.id) == col(CoverRequest.requester_id))
        .where(col(Shift.starts_at) >= start, col(Shift.starts_at) < end)
    )
    frame = pd.DataFrame([tuple(row) for row in session.execute(statement).all()], columns=SHIFT_COLUMNS)
    for column in TIMES:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def _text(column: Any) -> Any:
    """Timestamps as the database writes them, parsed by pandas in bulk rather than one by one in Python.
    (UTC either way: SQLite keeps the UTC wall time, PostgreSQL's text of a timestamptz carries its offset.)"""
    return cast(col(column), String)


def events(session: Session, *, start: datetime, end: datetime) -> pd.DataFrame:
    """Events of the shifts starting in [start, end) (a join on the same index, not a list of ids)."""
    statement = (
        select(col(ShiftEvent.shift_id), col(ShiftEvent.kind), _text(ShiftEvent.at))
        .join(Shift, col(Shift.id) == col(ShiftEvent.shift_id))
        .where(col(Shift.starts_at) >= start, col(Shift.starts_at) < end)
    )
    frame = pd.DataFrame([tuple(row) for row in session.execute(statement).all()], columns=["shift_id", "kind", "at"])
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    return frame


def site_metrics(session: Session, *, periods: list[str]) -> pd.DataFrame:
    statement = (
        select(col(Site.name), col(SiteMetric.key), col(SiteMetric.period), col(SiteMetric.value))
        .join(Site, col(Site.id) == col(SiteMetric.site_id))
        .where(col(SiteMetric.period).in_(periods))
    )
    return pd.DataFrame(
        [tuple(row) for row in session.execute(statement).all()], columns=["site", "key", "period", "value"]
    )


def site_names(session: Session) -> list[str]:
    return [str(name) for name in session.execute(select(col(Site.name)).order_by(col(Site.name))).scalars().all()]


def floater_credentials(session: Session) -> pd.DataFrame:
    """Active floaters' credentials: person, code, expires_on (None: no expiry)."""
    floaters = select(col(PersonRole.person_id)).where(col(PersonRole.role) == "floater")
    statement = (
        select(col(Person.name), col(Credential.code), col(Credential.expires_on))
        .join(Person, col(Person.id) == col(Credential.person_id))
        .where(col(Person.active).is_(True), col(Person.id).in_(floaters))
    )
    frame = pd.DataFrame(
        [tuple(row) for row in session.execute(statement).all()], columns=["person", "code", "expires_on"]
    )
    names = session.execute(select(col(Person.name)).where(col(Person.active).is_(True), col(Person.id).in_(floaters)))
    frame.attrs["floaters"] = sorted(str(n) for n in names.scalars().all())
    return frame


def response_rate(session: Session, *, survey_id: str, period: str) -> tuple[int, int]:
    """(answered, asked) for the runs of a survey in a period, previews left out."""
    statement = (
        select(col(SurveyInvite.status))
        .join(SurveyRun, col(SurveyRun.id) == col(SurveyInvite.run_id))
        .where(col(SurveyRun.survey_id) == survey_id, col(SurveyRun.period) == period)
        .where(col(SurveyInvite.preview).is_(False))
    )
    statuses = session.execute(statement).scalars().all()
    return sum(1 for s in statuses if s == "submitted"), len(statuses)
