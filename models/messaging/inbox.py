"""The inbox: each platform event is processed once, however often the platform delivers it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models.messaging.tables import InboxEvent
from models.sql import insert_ignore


def record_event(session: Session, *, platform: str, event_id: str, at: datetime) -> bool:
    """Store the event id; False when it was already there (a retry to acknowledge and ignore)."""
    table = InboxEvent.__table__  # type: ignore[attr-defined]
    return insert_ignore(session, table, {"platform": platform, "event_id": event_id, "received_at": at})
