"""Read-side queries about surveys for the chat and the CLI: runs, invitations and responses."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models.roster.tables import Person, Site
from models.surveys.tables import PREVIEW_PERIOD, InviteStatus, RunStatus, SurveyInvite, SurveyResponse, SurveyRun

# Previews are stored — a Hub person walks through a survey as people will read it — and these two conditions,
# the one place that says what counts, leave them out of every list and count.
SENT_RUN = col(SurveyRun.period) != PREVIEW_PERIOD
COUNTED_INVITE = col(SurveyInvite.preview).is_(False)


def is_preview(run: SurveyRun) -> bool:
    return run.period == PREVIEW_PERIOD


@dataclass(frozen=True)
class ResponseRow:
    """A submitted response with the names of its site and person (None for an anonymous run)."""

    run_id: int
    submitted_at: datetime
    site: str | None
    person: str | None
    answers: dict[str, Any]


def invite_with_run(session: Session, *, invite_id: int) -> tuple[SurveyInvite, SurveyRun] | None:
    """The invite and its run, or None for an unknown invite."""
    statement = (
        select(SurveyInvite, SurveyRun)
        .join(SurveyRun, col(SurveyRun.id) == col(SurveyInvite.run_id))
        .where(SurveyInvite.id == invite_id)
    )
    row = session.exec(statement).first()
    return None if row is None else (row[0], row[1])


def invites(session: Session, *, invite_ids: Collection[int]) -> list[SurveyInvite]:
    """The invites with these ids, in id order."""
    if not invite_ids:
        return []
    statement = select(SurveyInvite).where(col(SurveyInvite.id).in_(list(invite_ids))).order_by(col(SurveyInvite.id))
    return list(session.exec(statement).all())


def recent_runs(session: Session, *, limit: int) -> list[SurveyRun]:
    """The newest `limit` runs, newest first, previews left out."""
    statement = select(SurveyRun).where(SENT_RUN).order_by(col(SurveyRun.id).desc()).limit(limit)
    return list(session.exec(statement).all())


def runs_created_since(session: Session, *, survey_id: str, since: datetime) -> list[SurveyRun]:
    """The runs of this survey created at or after `since` (previews included)."""
    statement = select(SurveyRun).where(SurveyRun.survey_id == survey_id, col(SurveyRun.created_at) >= since)
    return list(session.exec(statement).all())


def non_responders(session: Session, *, run_id: int) -> list[SurveyInvite]:
    """The run's invites not submitted yet, previews left out."""
    statement = select(SurveyInvite).where(
        SurveyInvite.run_id == run_id,
        SurveyInvite.status != InviteStatus.SUBMITTED,
        COUNTED_INVITE,
    )
    return list(session.exec(statement).all())


def counted_invites(session: Session, *, run_id: int) -> Sequence[SurveyInvite]:
    """Every invite of the run that counts (previews left out), answered or not."""
    return session.exec(select(SurveyInvite).where(SurveyInvite.run_id == run_id, COUNTED_INVITE)).all()


def responses(session: Session, *, run_ids: Sequence[int]) -> list[ResponseRow]:
    """The responses to these runs in the order they were stored, each with its site's and person's names."""
    if not run_ids:
        return []
    statement = (
        select(SurveyResponse, col(Site.name), col(Person.name))
        .outerjoin(Site, col(Site.id) == col(SurveyResponse.site_id))
        .outerjoin(Person, col(Person.id) == col(SurveyResponse.person_id))
        .where(col(SurveyResponse.run_id).in_(list(run_ids)))
        .order_by(col(SurveyResponse.id))
    )
    return [
        ResponseRow(response.run_id, response.submitted_at, site, person, response.answers)
        for response, site, person in session.exec(statement).all()
    ]


def waiting_for(session: Session, *, person_id: int, now: datetime) -> list[tuple[SurveyInvite, SurveyRun]]:
    """This person's unanswered invites to runs still open, the one closing first first."""
    statement = (
        select(SurveyInvite, SurveyRun)
        .join(SurveyRun, col(SurveyRun.id) == col(SurveyInvite.run_id))
        .where(SurveyInvite.person_id == person_id, SurveyInvite.status != InviteStatus.SUBMITTED)
        .where(SurveyRun.status == RunStatus.OPEN, col(SurveyRun.closes_at) > now)
        .order_by(col(SurveyRun.closes_at))
    )
    return [(invite_row, run) for invite_row, run in session.exec(statement).all()]
