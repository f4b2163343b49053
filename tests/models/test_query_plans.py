"""What a person's message and a send cost does not grow with the Alliance: every statement they run on SQLite
reaches the tables that grow (people, roles, accounts, shifts, offers, the outbox…) through an index.

SQLite keeps no statistics, so its plan for a statement is the same on the demo Alliance as on 1,000 sites: a
plan read here is the plan in production. PostgreSQL plans by its statistics and is left to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import TELEGRAM, Limiter
from bot.dispatch.senders import Delivered, Outgoing
from handlers.contract import Surface
from tests.dialog import Dialog, only

GROWING = {  # tables whose rows grow with the sites, the people and the weeks
    "person",
    "personrole",
    "personagegroup",
    "credential",
    "chatidentity",
    "conversation",
    "coverrequest",
    "shift",
    "offer",
    "shiftevent",
    "outboxmessage",
    "inboxevent",
    "duetask",
}


@dataclass
class Statements:
    seen: dict[str, Any] = field(default_factory=dict)  # statement → its first parameters
    keeping: bool = True

    @contextmanager
    def aside(self) -> Iterator[None]:
        """What the test itself reads and writes meanwhile is not the bot's."""
        self.keeping = False
        try:
            yield
        finally:
            self.keeping = True

    def plans(self, engine: Engine) -> dict[str, list[str]]:
        with engine.connect() as connection:
            return {
                statement: [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)]
                for statement, params in self.seen.items()
                if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH"))
            }


@contextmanager
def recorded(engine: Engine) -> Iterator[Statements]:
    statements = Statements()

    def keep(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, many: bool) -> None:
        if statements.keeping and not many:
            statements.seen.setdefault(statement, params)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def full_reads(plan: list[str]) -> list[str]:
    """The steps that read a whole growing table, or a person's accounts through every account of a platform."""
    return [
        step
        for step in plan
        if (step.startswith("SCAN ") and step.split()[1] in GROWING)
        or ("chatidentity" in step and "(platform=?)" in step)
    ]


@dataclass
class Platform:
    platform: str = "telegram"
    sent: list[Outgoing] = field(default_factory=list)

    async def send(self, message: Outgoing) -> Delivered:
        self.sent.append(message)
        return Delivered(f"m{len(self.sent)}", message.chat_id)

    async def edit(self, message: Outgoing) -> None:
        self.sent.append(message)

    async def show(self, chat_id: str, surface: Surface) -> None:
        return None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_request_its_offers_an_accept_and_their_sends_read_through_indexes(demo: Dialog, engine: Engine) -> None:
    demo.platform = "telegram"
    with recorded(engine) as statements:
        with statements.aside():
            demo.as_("Alice")
        summary = only(demo.says("need a floater tomorrow 8-12 planning"))
        demo.presses(summary.press("Send"))
        with statements.aside():
            offers = demo.wait(timedelta(minutes=10))  # the favourites' wait: the offers to everyone qualified
            demo.as_(offers[0].to.split()[0])
        demo.says("/help")
        demo.presses(offers[0].press("Accept"))
        limiter = Limiter(TELEGRAM, clock=lambda: 1000.0)
        dispatcher = Dispatcher(engine, demo.clock, {"telegram": Platform()}, {"telegram": limiter})
        assert asyncio.run(dispatcher.run_once()) > 0
        asyncio.run(dispatcher.run_once())  # records the sends
    assert len(statements.seen) > 20, "the flow ran"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM outboxmessage WHERE status = 'sent'")).scalar()
    problems = {s: reads for s, plan in statements.plans(engine).items() if (reads := full_reads(plan))}
    assert not problems, "\n\n".join(f"{' '.join(s.split())}\n  → {reads}" for s, reads in problems.items())
