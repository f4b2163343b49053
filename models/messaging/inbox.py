"""The inbox: each platform event is processed once, however often the platform delivers it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlmodel import Session

from models.messaging.tables import InboxEvent
from models.sql import insert_ignore


def record_event(session: Session, *, platform: str, event_id: str, at: datetime) -> bool:
    """Store the event id; False when it was already there (a retry to acknowledge and ignore)."""
    table = InboxEvent.__table__  # type: ignore[attr-defined]
    return insert_ignore(session, table, {"platform": platform, "event_id": event_id, "received_at": at})


# Slack retries an event within minutes, Telegram keeps an unconfirmed update for a day: a week is ample.
KEEP = timedelta(days=7)
PRUNE_BATCH = 10_000  # rows one prune deletes at most, so it holds SQLite's write lock briefly


def prune(session: Session, *, now: datetime) -> int:
    """Forget the event ids received more than `KEEP` ago (no platform delivers those again), oldest first and
    at most `PRUNE_BATCH` of them; returns how many went."""
    table = InboxEvent.__table__  # type: ignore[attr-defined]
    old = select(table.c.id).where(table.c.received_at < now - KEEP).order_by(table.c.received_at)
    result = session.execute(delete(table).where(table.c.id.in_(old.limit(PRUNE_BATCH).scalar_subquery())))
    return int(getattr(result, "rowcount", 0) or 0)
