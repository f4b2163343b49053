"""Conversation state: which step of which flow a person is at, per chat.

A caller that has just read the state gives it to `save_state` / `delete_state`, so reading where she is and then
moving her on reads it once; `set_state` and `clear_state` read it themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, select

from models.messaging.tables import Conversation

_STATE = select(Conversation).where(
    Conversation.person_id == bindparam("person_id"), Conversation.chat_key == bindparam("chat_key")
)  # asked on most messages, so built once


def get_state(session: Session, *, person_id: int, chat_key: str) -> Conversation | None:
    return session.exec(_STATE, params={"person_id": person_id, "chat_key": chat_key}).first()


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
    return save_state(session, state, person_id=person_id, chat_key=chat_key, flow=flow, step=step, data=data, at=at)


def save_state(
    session: Session,
    state: Conversation | None,
    *,
    person_id: int,
    chat_key: str,
    flow: str,
    step: str,
    data: dict[str, Any],
    at: datetime,
) -> Conversation:
    """`set_state` for the state just read (None: there is none, one is created)."""
    if state is None:
        state = Conversation(person_id=person_id, chat_key=chat_key, flow=flow, step=step, data={}, updated_at=at)
    state.flow, state.step, state.data, state.updated_at = flow, step, dict(data), at
    session.add(state)
    session.flush()
    return state


def clear_state(session: Session, *, person_id: int, chat_key: str) -> bool:
    """End whatever flow is under way; False when there was none."""
    return delete_state(session, get_state(session, person_id=person_id, chat_key=chat_key))


def delete_state(session: Session, state: Conversation | None) -> bool:
    """`clear_state` for the state just read; False when there was none."""
    if state is None:
        return False
    session.delete(state)
    session.flush()
    return True
