"""Reading what the metrics need: models/ selects the rows of the weeks asked for; pandas only shapes them here."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from models.cover import reports as cover_reports
from models.roster import queries as roster_queries
from models.surveys import reports as survey_reports

if TYPE_CHECKING:
    from models.db import Session

SHIFT_COLUMNS = list(cover_reports.SHIFT_FIELDS)
TIMES = ("requested_at", "starts_at", "ends_at", "accepted_at")


def shifts(session: Session, *, start: datetime, end: datetime) -> pd.DataFrame:
    """Shifts starting in [start, end), with site and requester names; times as UTC timestamps."""
    frame = pd.DataFrame(cover_reports.shift_rows(session, start=start, end=end), columns=SHIFT_COLUMNS)
    for column in TIMES:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def events(session: Session, *, start: datetime, end: datetime) -> pd.DataFrame:
    """Events of the shifts starting in [start, end): shift_id, kind, at (UTC, parsed in bulk)."""
    rows = cover_reports.event_rows(session, start=start, end=end)
    frame = pd.DataFrame(rows, columns=list(cover_reports.EVENT_FIELDS))
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    return frame


def site_metrics(session: Session, *, periods: list[str]) -> pd.DataFrame:
    """Site metrics of these periods: site, key, period, value."""
    rows = survey_reports.site_metric_rows(session, periods=periods)
    return pd.DataFrame(rows, columns=["site", "key", "period", "value"])


def site_names(session: Session) -> list[str]:
    """Every site's name, alphabetical (the digest has a row for each, even one with no shifts)."""
    return roster_queries.site_names(session)


def floater_credentials(session: Session) -> pd.DataFrame:
    """Active floaters' credentials: person, code, expires_on (None: no expiry); `attrs["floaters"]` names every
    active floater, sorted."""
    frame = pd.DataFrame(roster_queries.floater_credential_rows(session), columns=["person", "code", "expires_on"])
    frame.attrs["floaters"] = roster_queries.active_floater_names(session)
    return frame
