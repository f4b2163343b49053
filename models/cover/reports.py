"""Read-side queries of cover for the metrics and the weekly digest: a period's shifts and their history, as
plain rows (one statement each, filtered by the index on the start time; pandas shapes them in scheduler/)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, select
from sqlmodel import Session, col

from models.cover.tables import CoverRequest, Reason, Shift, ShiftEvent, ShiftEventKind, ShiftStatus
from models.roster.tables import Person, Site

SHIFT_FIELDS = (
    "shift_id",
    "site",
    "reason",
    "requester",
    "requested_at",
    "starts_at",
    "ends_at",
    "status",
    "accepted_at",
)
ShiftRow = tuple[int, str, Reason, str, datetime, datetime, datetime, ShiftStatus, datetime | None]
EVENT_FIELDS = ("shift_id", "kind", "at")
EventRow = tuple[int, ShiftEventKind, str]  # `at` as the database's text of the timestamp


def shift_rows(session: Session, *, start: datetime, end: datetime) -> list[ShiftRow]:
    """The shifts starting in [start, end) as SHIFT_FIELDS tuples, with the site's and the requester's names."""
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
    return [tuple(row) for row in session.execute(statement).all()]


def event_rows(session: Session, *, start: datetime, end: datetime) -> list[EventRow]:
    """The events of the shifts starting in [start, end) as EVENT_FIELDS tuples (a join on the same index, not a
    list of ids). `at` is the timestamp as the database writes it, for pandas to parse in bulk rather than one by
    one in Python — UTC either way: SQLite keeps the UTC wall time, PostgreSQL's text of a timestamptz carries its
    offset."""
    statement = (
        select(col(ShiftEvent.shift_id), col(ShiftEvent.kind), cast(col(ShiftEvent.at), String))
        .join(Shift, col(Shift.id) == col(ShiftEvent.shift_id))
        .where(col(Shift.starts_at) >= start, col(Shift.starts_at) < end)
    )
    return [tuple(row) for row in session.execute(statement).all()]
