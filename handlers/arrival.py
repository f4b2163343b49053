"""What every incoming message or form leaves, whatever it asks: its event id, and her account's visit."""

from __future__ import annotations

from datetime import datetime

from handlers.contract import Incoming
from models.db import Session
from models.messaging import inbox
from models.roster import people


def first_time(session: Session, incoming: Incoming, at: datetime) -> bool:
    """Record the platform's event id; False when it was there already (the platform sent it again)."""
    if incoming.event_id is None:
        return True
    return inbox.record_event(session, platform=incoming.platform, event_id=incoming.event_id, at=at)


def visited(session: Session, sender: people.Sender, incoming: Incoming, at: datetime) -> None:
    """Her account wrote from this chat now, in the zone its profile gives (written only when it changed)."""
    people.arrived(
        session,
        sender,
        platform=incoming.platform,
        platform_user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        zone=incoming.timezone,
        at=at,
    )
