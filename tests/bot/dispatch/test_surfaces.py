"""A person's surfaces (Home tab, command menu): asked for once however often, drawn as they are when sent."""

from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console
from sqlmodel import col, select

from bot.console.outbox import ConsolePrinter
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import TELEGRAM, Limiter
from bot.dispatch.senders import RetryLater
from handlers import surfaces
from handlers.contract import CommandMenu, Surface
from models.db import session_scope
from models.messaging.tables import OutboxKind, OutboxMessage
from models.roster import people
from models.roster.tables import Person
from tests.bot.dispatch.test_dispatcher import FakePlatform, FakeTime
from tests.dialog import Dialog

COMMANDS = OutboxKind.COMMANDS


def ask(demo: Dialog, person_id: int, *, platform: str = "telegram", throttle: float = 0) -> bool:
    with session_scope(demo.engine) as session:
        return person_id in surfaces.request(
            session,
            kind=COMMANDS,
            person_ids=[person_id],
            platform=platform,
            at=demo.clock.now(),
            throttle=timedelta(seconds=throttle),
        )


def rows(demo: Dialog) -> list[tuple[str, str | None, str]]:
    with session_scope(demo.engine) as session:
        found = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == COMMANDS).order_by(col(OutboxMessage.id))
        )
        return [(r.status, r.chat_id, r.next_attempt_at.isoformat()) for r in found]


async def test_a_surface_is_drawn_as_it_is_when_sent_and_asked_for_once_while_waiting(demo: Dialog) -> None:
    demo.platform = "telegram"
    alice = demo.as_("Alice").who_id()
    drawn: list[tuple[OutboxKind, int, str]] = []
    version = ["first"]

    def draw(kind: OutboxKind, person_id: int, platform: str) -> Surface:
        drawn.append((kind, person_id, platform))
        return CommandMenu((("help", version[0]),), "en")

    fake, time = FakePlatform(), FakeTime()
    dispatcher = Dispatcher(demo.engine, demo.clock, {"telegram": fake}, {"telegram": Limiter(TELEGRAM, clock=time)})
    dispatcher.draw = draw
    assert ask(demo, alice)
    assert ask(demo, alice)  # a burst of changes: one row waits
    assert len(rows(demo)) == 1
    version[0] = "second"  # changed again before it went out: the newest is drawn
    assert await dispatcher.run_once() == 1
    assert fake.shown == [(f"c{alice}", CommandMenu((("help", "second"),), "en"))]
    assert drawn == [(COMMANDS, alice, "telegram")]
    assert fake.sent == []  # a surface is no chat message


async def test_after_one_is_drawn_the_next_waits_out_the_throttle(demo: Dialog) -> None:
    demo.platform = "telegram"
    alice = demo.as_("Alice").who_id()
    fake, time = FakePlatform(), FakeTime()
    dispatcher = Dispatcher(demo.engine, demo.clock, {"telegram": fake}, {"telegram": Limiter(TELEGRAM, clock=time)})
    dispatcher.draw = lambda kind, person_id, platform: CommandMenu((), "en")
    ask(demo, alice, throttle=10)
    assert await dispatcher.run_once() == 1
    demo.clock.advance(timedelta(seconds=3))
    time.now += 3
    ask(demo, alice, throttle=10)
    assert await dispatcher.run_once() == 0  # 3 s after the last: waits until 10 s
    demo.clock.advance(timedelta(seconds=7))
    time.now += 7
    assert await dispatcher.run_once() == 1
    assert len(fake.shown) == 2


async def test_a_failed_draw_is_retried_and_nothing_is_drawn_without_an_account(demo: Dialog) -> None:
    demo.platform = "telegram"
    alice = demo.as_("Alice").who_id()
    assert not ask(demo, alice, platform="slack")  # no Slack account: nothing is written
    assert rows(demo) == []
    fake, time = FakePlatform(failures=[RetryLater(1, failure=True, reason="502")]), FakeTime()
    dispatcher = Dispatcher(demo.engine, demo.clock, {"telegram": fake}, {"telegram": Limiter(TELEGRAM, clock=time)})
    dispatcher.draw = lambda kind, person_id, platform: CommandMenu((), "en")
    ask(demo, alice)
    assert await dispatcher.run_once() == 0
    assert rows(demo)[0][0] == "pending"
    demo.clock.advance(timedelta(seconds=2))
    time.now += 2
    assert await dispatcher.run_once() == 1
    assert [status for status, _chat, _due in rows(demo)] == ["sent"]


async def test_many_are_asked_for_at_once_each_once(demo: Dialog) -> None:
    demo.platform = "telegram"
    ids = [demo.as_(name).who_id() for name in ("Alice", "Emma")]
    with session_scope(demo.engine) as session:
        diana = session.exec(select(Person.id).where(col(Person.name).startswith("Diana"))).one() or 0  # no account
        asked = surfaces.request(
            session, kind=COMMANDS, person_ids=[*ids, diana], platform="telegram", at=demo.clock.now()
        )
    assert asked == set(ids)
    assert ask(demo, ids[0])  # already waiting: asked for, nothing more written
    assert sorted(str(chat) for _status, chat, _due in rows(demo)) == sorted(f"c{i}" for i in ids)


async def test_the_console_passes_surfaces_by(demo: Dialog) -> None:
    alice = demo.as_("Alice").who_id()  # a console account
    with session_scope(demo.engine) as session:
        surfaces.request(session, kind=COMMANDS, person_ids=[alice], platform="console", at=demo.clock.now())
    out = Console(file=io.StringIO(), width=120)
    assert ConsolePrinter(demo.engine, demo.clock, out).drain(alice) == 0  # nothing printed, nothing left pending
    with session_scope(demo.engine) as session:
        (row,) = session.exec(select(OutboxMessage).where(OutboxMessage.kind == COMMANDS)).all()
        assert (row.status, row.chat_id) == ("sent", f"c{alice}")
    assert out.file.getvalue() == ""  # type: ignore[attr-defined]


async def test_a_home_tab_is_addressed_to_her_user_and_only_once_she_has_opened_it(demo: Dialog) -> None:
    demo.platform = "slack"
    alice = demo.as_("Alice").who_id()
    home = OutboxKind.HOME
    with session_scope(demo.engine) as session:
        assert surfaces.request(session, kind=home, person_ids=[alice], platform="slack", at=demo.clock.now()) == set()
        people.home_opened(session, platform="slack", platform_user_id=f"u{alice}", at=demo.clock.now())
    with session_scope(demo.engine) as session:
        assert surfaces.request(session, kind=home, person_ids=[alice], platform="slack", at=demo.clock.now()) == {
            alice
        }
        (row,) = session.exec(select(OutboxMessage).where(OutboxMessage.kind == home)).all()
        assert row.chat_id == f"u{alice}"  # the tab is per user, not per chat
