"""Conversation state: which step of which flow a person is at, per chat.

A caller that has just read the state gives it to `save_state` / `delete_state`, so reading where she is and then
moving her on reads it once; `set_state` and `clear_state` read it themselves. The state is read and written with
core statements (it is asked on most messages, and written on most steps of a flow): a `State` is a plain value,
not a row the session tracks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session

from models.messaging.tables import Conversation

_c = Conversation.__table__.c  # type: ignore[attr-defined]
# Built once, their values bound at each call.
# What a state is read from: with its own query here, or with the sender (`people.sender`), then `state_of`.
STATE_COLUMNS = (_c.id, _c.flow, _c.step, _c.data)
_STATE = select(*STATE_COLUMNS).where(_c.person_id == bindparam("person_id"), _c.chat_key == bindparam("chat_key"))
_INSERT = insert(Conversation.__table__).returning(_c.id)  # type: ignore[attr-defined]
_UPDATE = update(Conversation.__table__).where(_c.id == bindparam("state_id"))  # type: ignore[attr-defined]
_DELETE = delete(Conversation.__table__).where(_c.id == bindparam("state_id"))  # type: ignore[attr-defined]


class State(NamedTuple):
    """Where she is: the flow, its step, and what the flow has stored so far."""

    id: int
    flow: str
    step: str
    data: dict[str, Any]


def get_state(session: Session, *, person_id: int, chat_key: str) -> State | None:
    row = session.execute(_STATE, {"person_id": person_id, "chat_key": chat_key}).first()
    return state_of(*row) if row is not None else None


def state_of(state_id: int | None, flow: str, step: str, data: dict[str, Any]) -> State | None:
    """The state `STATE_COLUMNS` read (None: no row, as an outer join gives it)."""
    return None if state_id is None else State(state_id, flow, step, dict(data))


def set_state(
    session: Session,
    *,
    person_id: int,
    chat_key: str,
    flow: str,
    step: str,
    data: dict[str, Any],
    at: datetime,
) -> State:
    """Start or move a flow; `data` replaces what the flow had stored."""
    state = get_state(session, person_id=person_id, chat_key=chat_key)
    return save_state(session, state, person_id=person_id, chat_key=chat_key, flow=flow, step=step, data=data, at=at)


def save_state(
    session: Session,
    state: State | None,
    *,
    person_id: int,
    chat_key: str,
    flow: str,
    step: str,
    data: dict[str, Any],
    at: datetime,
) -> State:
    """`set_state` for the state just read (None: there is none, one is created)."""
    values = {"flow": flow, "step": step, "data": dict(data), "updated_at": at}
    if state is None:
        new_id = session.execute(_INSERT, {**values, "person_id": person_id, "chat_key": chat_key}).scalar_one()
        return State(int(new_id), flow, step, dict(data))
    session.execute(_UPDATE, {**values, "state_id": state.id})
    return State(state.id, flow, step, dict(data))


def clear_state(session: Session, *, person_id: int, chat_key: str) -> bool:
    """End whatever flow is under way; False when there was none."""
    return delete_state(session, get_state(session, person_id=person_id, chat_key=chat_key))


def delete_state(session: Session, state: State | None) -> bool:
    """`clear_state` for the state just read; False when there was none."""
    if state is None:
        return False
    session.execute(_DELETE, {"state_id": state.id})
    return True
