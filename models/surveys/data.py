"""Write-side functions for surveys; a submission is one conditional statement, so it happens once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, update
from sqlmodel import Session, col, select

from models.roster.tables import Person
from models.sql import insert_ignore
from models.surveys.tables import (
    InviteStatus,
    Recurrence,
    RunStatus,
    SiteMetric,
    SurveyInvite,
    SurveyResponse,
    SurveyRun,
)


def create_run(
    session: Session,
    *,
    survey_id: str,
    period: str,
    audience: Mapping[str, Any],
    anonymous: bool,
    recurrence: Recurrence,
    created_by: int | None,
    opens_at: datetime,
    closes_at: datetime,
    at: datetime,
) -> SurveyRun:
    run = SurveyRun(
        survey_id=survey_id,
        period=period,
        audience=dict(audience),
        anonymous=anonymous,
        recurrence=recurrence,
        created_by=created_by,
        opens_at=opens_at,
        closes_at=closes_at,
        created_at=at,
    )
    session.add(run)
    session.flush()
    return run


def invite(
    session: Session, *, run_id: int, person_ids: Sequence[int], at: datetime, preview: bool = False
) -> list[int]:
    """Invite each person once; returns the ids of their invites (new or already there)."""
    table = SurveyInvite.__table__  # type: ignore[attr-defined]
    for person_id in person_ids:
        values = {
            "run_id": run_id,
            "person_id": person_id,
            "status": InviteStatus.INVITED,
            "preview": preview,
            "draft": {},
            "invited_at": at,
            "reminders": 0,
        }
        insert_ignore(session, table, values)
    statement = select(SurveyInvite.id).where(
        SurveyInvite.run_id == run_id, col(SurveyInvite.person_id).in_(list(person_ids))
    )
    return [i for i in session.exec(statement).all() if i is not None]


def save_answer(session: Session, *, invite_id: int, question_id: str, value: Any) -> SurveyInvite | None:
    """Keep an answer as soon as it is given (None removes it), so a person can stop and resume."""
    invite_row = session.get(SurveyInvite, invite_id)
    if invite_row is None or invite_row.status == InviteStatus.SUBMITTED:
        return None
    draft = dict(invite_row.draft)
    if value is None:
        draft.pop(question_id, None)
    else:
        draft[question_id] = value
    invite_row.draft, invite_row.status = draft, InviteStatus.STARTED
    session.add(invite_row)
    session.flush()
    return invite_row


def submit(session: Session, *, invite_id: int, at: datetime) -> bool:
    """Mark submitted once (False for a second try); the caller then stores the response."""
    statement = (
        update(SurveyInvite)
        .where(col(SurveyInvite.id) == invite_id, col(SurveyInvite.status) != InviteStatus.SUBMITTED)
        .values(status=InviteStatus.SUBMITTED, submitted_at=at)
        .returning(col(SurveyInvite.id))
    )
    return session.execute(statement).first() is not None


def store_response(
    session: Session, *, run: SurveyRun, person: Person, answers: Mapping[str, Any], at: datetime
) -> SurveyResponse:
    """Anonymous runs keep neither the person nor the site."""
    response = SurveyResponse(
        run_id=run.id or 0,
        person_id=None if run.anonymous else person.id,
        site_id=None if run.anonymous else person.site_id,
        answers=dict(answers),
        submitted_at=at,
    )
    session.add(response)
    session.flush()
    return response


def record_reminder(session: Session, *, invite_id: int, at: datetime) -> None:
    """Count one more reminder sent to this invite, and when (the handler spaces the next one from it)."""
    invite_row = session.get(SurveyInvite, invite_id)
    if invite_row is not None:
        invite_row.reminders += 1
        invite_row.last_reminded_at = at
        session.add(invite_row)


def clear_draft(session: Session, *, invite_id: int) -> None:
    invite_row = session.get(SurveyInvite, invite_id)
    if invite_row is not None:
        invite_row.draft = {}
        session.add(invite_row)


def record_metrics(
    session: Session, *, site_id: int, period: str, values: Mapping[str, float], run_id: int, at: datetime
) -> None:
    """Upsert site metric values for the period (a later answer for the same period replaces the earlier)."""
    for key, value in values.items():
        existing = session.exec(
            select(SiteMetric).where(SiteMetric.site_id == site_id, SiteMetric.key == key, SiteMetric.period == period)
        ).first()
        row = existing or SiteMetric(site_id=site_id, key=key, period=period, value=value, recorded_at=at)
        row.value, row.source_run_id, row.recorded_at = value, run_id, at
        session.add(row)
    session.flush()


def close_run(session: Session, *, run_id: int, at: datetime) -> bool:
    """Close a run not closed yet — closed early, its close time becomes `at`, so people are told the real one;
    True if this call closed it."""
    statement = (
        update(SurveyRun)
        .where(col(SurveyRun.id) == run_id, col(SurveyRun.status) != RunStatus.CLOSED)
        .values(status=RunStatus.CLOSED, closes_at=case((col(SurveyRun.closes_at) > at, at), else_=SurveyRun.closes_at))
        .returning(col(SurveyRun.id))
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).first() is not None


def open_run(session: Session, *, run_id: int) -> bool:
    """Open a scheduled run; True if this call opened it (False: already open, closed or unknown)."""
    statement = (
        update(SurveyRun)
        .where(col(SurveyRun.id) == run_id, col(SurveyRun.status) == RunStatus.SCHEDULED)
        .values(status=RunStatus.OPEN)
        .returning(col(SurveyRun.id))
    )
    return session.execute(statement).first() is not None
