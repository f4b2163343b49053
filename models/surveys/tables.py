"""Surveys sent, who was asked, what they answered, and the site metrics their numbers become."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import EnumText, UtcDateTime

PREVIEW_PERIOD = "preview"  # the period of a run Hub staff take themselves: never counted, never listed


class RunStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class Recurrence(StrEnum):
    """Whether a run, once closed, schedules the next one."""

    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class InviteStatus(StrEnum):
    INVITED = "invited"
    STARTED = "started"  # some answers are saved in the draft
    SUBMITTED = "submitted"


class SurveyRun(SQLModel, table=True):
    """One sending of a survey to an audience, open between two times, for one period (a week or a month)."""

    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(max_length=40, index=True)
    period: str = Field(max_length=10)  # 2026-W49 or 2026-12 (PREVIEW_PERIOD for a preview)
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    anonymous: bool = False
    recurrence: Recurrence = Field(default=Recurrence.NONE, sa_type=EnumText(Recurrence, 10))
    status: RunStatus = Field(default=RunStatus.SCHEDULED, sa_type=EnumText(RunStatus, 10))
    created_by: int | None = Field(default=None, foreign_key="person.id")
    opens_at: datetime = Field(sa_type=UtcDateTime)
    closes_at: datetime = Field(sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)


class SurveyInvite(SQLModel, table=True):
    """A person asked to answer a run; `draft` holds answers given so far (cleared on submit)."""

    __table_args__ = (UniqueConstraint("run_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="surveyrun.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    status: InviteStatus = Field(default=InviteStatus.INVITED, sa_type=EnumText(InviteStatus, 10))
    preview: bool = False  # Hub staff trying the survey: never counted
    draft: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    invited_at: datetime = Field(sa_type=UtcDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reminders: int = 0
    last_reminded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class SurveyResponse(SQLModel, table=True):
    """A submitted response. Anonymous surveys store no person and no site."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="surveyrun.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    site_id: int | None = Field(default=None, foreign_key="site.id")
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    submitted_at: datetime = Field(sa_type=UtcDateTime)


class SiteMetric(SQLModel, table=True):
    """A site-level number for a period (from a survey answer with a metric key), for the digest."""

    __table_args__ = (UniqueConstraint("site_id", "key", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    key: str = Field(max_length=40)
    period: str = Field(max_length=10)
    value: float
    source_run_id: int | None = Field(default=None, foreign_key="surveyrun.id")
    recorded_at: datetime = Field(sa_type=UtcDateTime)
