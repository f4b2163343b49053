"""A dialog helper: a person says something, the test reads what the bot answered (and to whom)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from handlers.clock import ManualClock
from handlers.contract import Incoming
from handlers.service import Core
from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import OutboxKind, OutboxMessage
from models.roster.people import link_account
from models.roster.tables import Person
from scheduler.ticker import run_until, tick

_event_ids = itertools.count(1)


@dataclass(frozen=True)
class Sent:
    """One outbox message as a recipient would read it."""

    to: str  # a person's name, "hub", or "chat:<platform>:<id>" for an unlinked chat
    text: str
    buttons: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, bytes], ...] = ()

    def press(self, label_part: str) -> str:
        """The payload of the button whose label contains `label_part`."""
        matches = [payload for label, payload in self.buttons if label_part.lower() in label.lower()]
        assert len(matches) == 1, f"no single button {label_part!r} in {self.buttons}"
        return matches[0]


@dataclass
class Dialog:
    core: Core
    engine: Engine
    clock: ManualClock
    platform: str = "console"
    seen_outbox_id: int = 0
    who: str = ""
    names: dict[str, int] = field(default_factory=dict)

    def as_(self, name: str) -> Dialog:
        """Talk as the roster person whose name starts with `name` (linked to a test chat account)."""
        with session_scope(self.engine) as session:
            person = session.exec(select(Person).where(col(Person.name).startswith(name))).one()
            assert person.id is not None
            link_account(
                session,
                person_id=person.id,
                platform=self.platform,
                platform_user_id=f"u{person.id}",
                chat_id=f"c{person.id}",
                at=self.clock.now(),
            )
            self.who = f"u{person.id}"
        return self

    def who_id(self) -> int:
        return int(self.who[1:])

    def says(self, text: str, *, event_id: str | None = None) -> list[Sent]:
        """Send typed text; returns every message the bot wrote as a result (to anyone)."""
        return self._send(text=text, payload=None, event_id=event_id)

    def presses(self, payload: str, *, event_id: str | None = None) -> list[Sent]:
        return self._send(text=None, payload=payload, event_id=event_id)

    def says_from(self, user_id: str, text: str, language_hint: str | None = None) -> list[Sent]:
        """Send from a chat account that may not be linked to anyone."""
        incoming = Incoming(
            self.platform, user_id, f"c-{user_id}", self.clock.now(), text=text, language_hint=language_hint
        )
        self.core.handle(incoming)
        return self.new_messages()

    def _send(self, *, text: str | None, payload: str | None, event_id: str | None) -> list[Sent]:
        assert self.who, "call as_() first"
        chat = "c" + self.who[1:]
        incoming = Incoming(
            self.platform,
            self.who,
            chat,
            self.clock.now(),
            text=text,
            payload=payload,
            event_id=event_id or f"e{next(_event_ids)}",
        )
        self.core.handle(incoming)
        return self.new_messages()

    def wait(self, delta: timedelta) -> list[Sent]:
        """Move the clock, running each task that falls due on the way as of its own time (as the console's
        /clock does); every message written meanwhile."""
        run_until(self.engine, self.clock, self.clock.now() + delta, self.core.config, events=self.core.bus)
        return self.new_messages()

    def tick(self) -> list[Sent]:
        tick(self.engine, self.clock, self.core.config, events=self.core.bus)
        return self.new_messages()

    def new_messages(self) -> list[Sent]:
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(OutboxMessage).where(col(OutboxMessage.id) > self.seen_outbox_id).order_by(col(OutboxMessage.id))
            ).all()
            sent = [self._as_sent(session, row) for row in rows if row.kind == OutboxKind.MESSAGE]
        if rows:
            self.seen_outbox_id = rows[-1].id or 0
        return sent

    @staticmethod
    def _as_sent(session: Session, row: OutboxMessage) -> Sent:
        if row.to_hub:
            to = "hub"
        elif row.person_id is not None:
            person = session.get(Person, row.person_id)
            to = person.name if person else "?"
        else:
            to = f"chat:{row.platform}:{row.chat_id}"
        files = tuple(outbox.files_of(session, message_id=row.id or 0))
        return Sent(to, row.text, tuple((label, payload) for label, payload in row.buttons), files)


def only(messages: list[Sent]) -> Sent:
    assert len(messages) == 1, f"expected one message, got {messages}"
    return messages[0]


def to(messages: list[Sent], name: str) -> list[Sent]:
    """The messages sent to the person whose name starts with `name` (or "hub")."""
    return [m for m in messages if m.to.startswith(name)]
