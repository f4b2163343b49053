"""Conversation state: which step of which flow a person is at, per chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from models.messaging.tables import Conversation


def get_state(session: Session, *, person_id: int, chat_key: str) -> Conversation | None:
    return session.exec(
        select(Conversation).where(Conversation.person_id == person_id, Conversation.chat_key == chat_key)
    ).first()


def set_state(
    session: Session,
    *,
    person_id: int,
    chat_key: str,
    flow: str,
    step: str,
    data: dict[str, Any],
    at: datetime,
) -> Conversation:
    """Start or move a flow; `data` replaces what the flow had stored."""
    state = get_state(session, person_id=person_id, chat_key=chat_key)
    if state is None:
        state = Conversation(person_id=person_id, chat_key=chat_key, flow=flow, step=step, data={}, updated_at=at)
    state.flow, state.step, state.data, state.updated_at = flow, step, dict(data), at
    session.add(state)
    session.flush()
    return state


def clear_state(session: Session, *, person_id: int, chat_key: str) -> bool:
    """End whatever flow is under way; False when there was none."""
    state = get_state(session, person_id=person_id, chat_key=chat_key)
    if state is None:
        return False
    session.delete(state)
    session.flush()
    return True
