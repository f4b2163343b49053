"""Read-side queries of cover for the metrics and the weekly digest: a period's shifts and their history, as
plain rows (one statement each, filtered by the index on the start time; pandas shapes them in scheduler/)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, String, and_, cast, func, literal, or_, select, union_all
from sqlmodel import Session, col

from models.cover.tables import CoverRequest, Reason, Shift, ShiftEvent, ShiftEventKind, ShiftStatus
from models.roster.tables import Person, Site
from models.types import UtcDateTime

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
FILL_FIELDS = ("period", "shifts", "live", "filled")
FillRow = tuple[int, int, int, int]  # the period's index in the bounds asked for, then its counts


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


def unfilled_at_start(session: Session, *, start: datetime, end: datetime, now: datetime) -> dict[str, int]:
    """Per site name (alphabetical), its shifts starting in [start, end) that had begun by `now` with no floater:
    not cancelled, and not filled, or filled only after they began. Counted in the database, for the hourly
    alerts (no pandas in the serving process); the digest counts the same from `shift_rows`
    (scheduler/metrics/operations.py), and a test holds the two to one answer. A site with none has no entry."""
    began = and_(col(Shift.starts_at) >= start, col(Shift.starts_at) < end, col(Shift.starts_at) <= now)
    uncovered = or_(col(Shift.status) == ShiftStatus.OPEN, col(Shift.accepted_at) > col(Shift.starts_at))
    statement = (
        select(col(Site.name), func.count())
        .select_from(Shift)
        .join(Site, col(Site.id) == col(Shift.site_id))
        .where(began, col(Shift.status) != ShiftStatus.CANCELLED, uncovered)
        .group_by(col(Site.name))
        .order_by(col(Site.name))
    )
    return {str(site): int(count) for site, count in session.execute(statement).all()}


def fill_counts(session: Session, *, periods: Sequence[tuple[datetime, datetime]]) -> list[FillRow]:
    """Per period [start, end) — weeks, say — its shifts, the live ones (not cancelled) and the filled ones, as
    FILL_FIELDS tuples; counted in the database, so a year of a thousand sites' shifts comes back as a few hundred
    rows (period × status). A period with no shifts has no row."""
    if not periods:
        return []
    bounds = union_all(
        *(
            select(
                literal(i, Integer).label("period"),
                literal(start, UtcDateTime).label("start"),
                literal(end, UtcDateTime).label("end"),
            )
            for i, (start, end) in enumerate(periods)
        )
    ).subquery("bounds")
    statement = (
        select(bounds.c.period, col(Shift.status), func.count())
        .select_from(bounds)
        .join(
            Shift,
            and_(
                # Every status: always true, but it lets the count read the (status, starts_at) index alone.
                col(Shift.status).in_(list(ShiftStatus)),
                col(Shift.starts_at) >= bounds.c.start,
                col(Shift.starts_at) < bounds.c.end,
            ),
        )
        .group_by(bounds.c.period, col(Shift.status))
    )
    counts: dict[int, list[int]] = {}
    for period, status, count in session.execute(statement).all():
        shifts, live, filled = counts.setdefault(int(period), [0, 0, 0])
        counts[int(period)] = [
            shifts + count,
            live + (count if status != ShiftStatus.CANCELLED else 0),
            filled + (count if status == ShiftStatus.FILLED else 0),
        ]
    return [(period, shifts, live, filled) for period, (shifts, live, filled) in sorted(counts.items())]
