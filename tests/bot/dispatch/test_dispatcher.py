"""The dispatcher against in-memory platforms: retries, rate limits, dead letters, edits, nothing twice."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import SLACK, TELEGRAM, Limiter, Rates
from bot.dispatch.senders import ALL, Delivered, Outgoing, Permanent, RetryLater
from handlers.clock import ManualClock
from handlers.contract import Surface
from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import OutboxMessage
from models.roster import people
from models.roster.tables import ChatIdentity, Person
from tests.dialog import Dialog

SECOND = timedelta(seconds=1)


@dataclass
class FakeTime:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakePlatform:
    """Records what it was asked to send; `failures` are raised, one per call, before it works."""

    platform: str = "telegram"
    failures: list[Exception] = field(default_factory=list)
    sent: list[Outgoing] = field(default_factory=list)
    edited: list[Outgoing] = field(default_factory=list)
    shown: list[tuple[str, Surface]] = field(default_factory=list)

    async def send(self, message: Outgoing) -> Delivered:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return Delivered(f"m{len(self.sent)}", message.chat_id)

    async def edit(self, message: Outgoing) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.edited.append(message)

    async def show(self, chat_id: str, surface: Surface) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.shown.append((chat_id, surface))


def make(engine: Engine, clock: ManualClock, fake: FakePlatform, time: FakeTime) -> Dispatcher:
    return Dispatcher(engine, clock, {"telegram": fake}, {"telegram": Limiter(TELEGRAM, clock=time)})


def queue(engine: Engine, clock: ManualClock, *rows: dict[str, Any]) -> None:
    with session_scope(engine) as session:
        outbox.enqueue_many(session, list(rows), at=clock.now())


def statuses(engine: Engine) -> list[tuple[str, int]]:
    with session_scope(engine) as session:
        return [
            (r.status, r.attempts) for r in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        ]


async def test_a_rate_limit_waits_without_counting_a_failure(engine: Engine, clock: ManualClock) -> None:
    fake, time = FakePlatform(failures=[RetryLater(5, failure=False, reason="429")]), FakeTime()
    queue(engine, clock, {"platform": "telegram", "chat_id": "42", "text": "hello"})
    dispatcher = make(engine, clock, fake, time)
    assert await dispatcher.run_once() == 0
    assert statuses(engine) == [("pending", 0)]
    clock.advance(timedelta(seconds=4))
    assert await dispatcher.run_once() == 0  # not due yet
    clock.advance(SECOND)
    time.now += 5
    assert await dispatcher.run_once() == 1
    assert [m.text for m in fake.sent] == ["hello"]
    assert await dispatcher.run_once() == 0  # nothing twice


async def test_network_errors_back_off_and_count_until_it_recovers(engine: Engine, clock: ManualClock) -> None:
    errors = [RetryLater(1, failure=True, reason="500"), RetryLater(2, failure=True, reason="timeout")]
    fake, time = FakePlatform(failures=list(errors)), FakeTime()
    queue(engine, clock, {"platform": "telegram", "chat_id": "42", "text": "hello"})
    dispatcher = make(engine, clock, fake, time)
    waits = []
    for _ in range(3):
        await dispatcher.run_once()
        with session_scope(engine) as session:
            row = session.exec(select(OutboxMessage)).one()
        waits.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.advance(row.next_attempt_at - clock.now())
        time.now += 10
    assert waits[:2] == [2.0, 4.0]  # backs off 2, 4, … seconds
    assert statuses(engine) == [("sent", 3)]
    assert len(fake.sent) == 1


async def test_a_permanent_error_is_a_dead_letter_with_its_reason(engine: Engine, clock: ManualClock) -> None:
    fake = FakePlatform(failures=[Permanent("Forbidden: bot was blocked by the user")])
    queue(engine, clock, {"platform": "telegram", "chat_id": "42", "text": "hello"})
    await make(engine, clock, fake, FakeTime()).run_once()
    with session_scope(engine) as session:
        (row,) = outbox.dead_letters(session)
        assert row.error == "Forbidden: bot was blocked by the user"


async def test_one_message_a_second_per_chat(engine: Engine, clock: ManualClock) -> None:
    fake, time = FakePlatform(), FakeTime()
    queue(engine, clock, *({"platform": "telegram", "chat_id": "42", "text": f"m{n}"} for n in range(3)))
    queue(engine, clock, {"platform": "telegram", "chat_id": "43", "text": "other chat"})
    dispatcher = make(engine, clock, fake, time)
    assert await dispatcher.run_once() == 2  # one to each chat
    time.now += 0.5
    assert await dispatcher.run_once() == 0
    time.now += 0.5
    assert await dispatcher.run_once() == 1
    time.now += 1
    assert await dispatcher.run_once() == 1
    assert [m.text for m in fake.sent if m.chat_id == "42"] == ["m0", "m1", "m2"]  # in order, a second apart
    assert sorted(m.text for m in fake.sent[:2]) == ["m0", "other chat"]  # the other chat went at once


async def test_overall_rate_is_capped_and_broadcasts_leave_room_for_replies(engine: Engine, clock: ManualClock) -> None:
    fake, time = FakePlatform(), FakeTime()
    queue(engine, clock, *({"platform": "telegram", "chat_id": str(n), "text": "offer"} for n in range(45)))
    dispatcher = make(engine, clock, fake, time)
    while await dispatcher.run_once():
        pass
    assert len(fake.sent) == 25  # of Telegram's 30 a second, 5 are kept for replies
    replies = (
        {"platform": "telegram", "chat_id": f"r{n}", "text": "reply", "priority": outbox.REPLY} for n in range(7)
    )
    queue(engine, clock, *replies)
    while await dispatcher.run_once():
        pass
    assert len(fake.sent) == 30  # replies may use the whole budget, no more
    time.now += 1
    while await dispatcher.run_once():
        pass
    assert [m.text for m in fake.sent[30:]] == ["reply", "reply"] + ["offer"] * 20


async def test_a_person_is_reached_on_her_linked_account_and_edits_follow(demo: Dialog) -> None:
    fake, time = FakePlatform(), FakeTime()
    demo.platform = "telegram"
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")
    demo.presses("cv:send")
    demo.as_("Emma").presses("acc:1")
    dispatcher = make(demo.engine, demo.clock, fake, time)
    while await dispatcher.run_once():
        time.now += 1
    emma = next(m for m in fake.sent if m.text.startswith("Can you cover"))
    assert emma.buttons == (("Accept", "acc:1"), ("Decline", "dec:1"))
    assert {m.chat_id for m in fake.sent} == {f"c{demo.who_id()}", "c1"}
    with session_scope(demo.engine) as session:
        dead = outbox.dead_letters(session)
    assert {d.error for d in dead} == {"no linked chat account on an enabled platform"}  # Diana has no account


@pytest.mark.parametrize("original_fails_first", [False, True])
async def test_an_edit_replaces_its_original_once_that_is_sent(
    engine: Engine, clock: ManualClock, original_fails_first: bool
) -> None:
    fake, time = FakePlatform(), FakeTime()
    if original_fails_first:
        fake.failures.append(RetryLater(1, failure=True, reason="502"))
    queue(engine, clock, {"platform": "telegram", "chat_id": "42", "text": "offer", "ref": "offer:1"})
    queue(engine, clock, {"platform": "telegram", "chat_id": "42", "text": "filled", "edit_of_id": 1})
    dispatcher = make(engine, clock, fake, time)
    for _ in range(4):
        await dispatcher.run_once()
        clock.advance(timedelta(seconds=2))
        time.now += 2
    assert [m.text for m in fake.sent] == ["offer"]
    assert [(m.text, m.message_id) for m in fake.edited] == [("filled", "m1")]


async def test_replies_go_first_then_urgent_messages_and_routine_ones_last(engine: Engine, clock: ManualClock) -> None:
    fake, time = FakePlatform(), FakeTime()
    queue(
        engine,
        clock,
        {"platform": "telegram", "chat_id": "1", "text": "reminder", "priority": outbox.ROUTINE},
        {"platform": "telegram", "chat_id": "2", "text": "confirmation", "priority": outbox.NORMAL},
        {"platform": "telegram", "chat_id": "3", "text": "offer", "priority": outbox.URGENT},
        {"platform": "telegram", "chat_id": "4", "text": "Sent!", "priority": outbox.REPLY},
    )
    dispatcher = make(engine, clock, fake, time)
    dispatcher.in_flight = 1 + dispatcher.slots_for_replies  # one at a time for broadcasts: the order shows
    while await dispatcher.run_once():
        pass
    assert [m.text for m in fake.sent] == ["Sent!", "offer", "confirmation", "reminder"]


@dataclass
class GatedPlatform(FakePlatform):
    """Holds every send to `slow_chat` until `gate` opens; counts how many sends are under way at once, and
    notifies `done` after each."""

    slow_chat: str = "slow"
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Condition = field(default_factory=asyncio.Condition)
    under_way: int = 0
    most_at_once: int = 0

    async def send(self, message: Outgoing) -> Delivered:
        self.under_way += 1
        self.most_at_once = max(self.most_at_once, self.under_way)
        if message.chat_id == self.slow_chat:
            await self.gate.wait()
        else:
            await asyncio.sleep(0)  # let the others start too
        self.under_way -= 1
        delivered = await super().send(message)
        async with self.done:
            self.done.notify_all()
        return delivered


async def test_several_sends_are_under_way_and_a_slow_chat_holds_up_no_other(
    engine: Engine, clock: ManualClock
) -> None:
    fake = GatedPlatform()
    queue(engine, clock, {"platform": "telegram", "chat_id": "slow", "text": "stuck", "priority": outbox.REPLY})
    queue(engine, clock, *({"platform": "telegram", "chat_id": str(n), "text": "offer"} for n in range(20)))
    dispatcher = Dispatcher(engine, clock, {"telegram": fake}, {"telegram": Limiter(TELEGRAM)})
    stop = asyncio.Event()
    running = asyncio.create_task(dispatcher.run_forever(stop, idle=0.05))
    async with fake.done:
        await asyncio.wait_for(fake.done.wait_for(lambda: len(fake.sent) == 20), timeout=10)
    assert fake.most_at_once > 1
    assert fake.most_at_once <= dispatcher.in_flight
    fake.gate.set()
    stop.set()
    await asyncio.wait_for(running, timeout=10)  # waits for the slow send, which is then recorded
    assert [m.text for m in fake.sent][-1] == "stuck"
    assert statuses(engine) == [("sent", 1)] * 21


async def test_the_round_that_records_a_wave_of_sends_starts_the_next_one(engine: Engine, clock: ManualClock) -> None:
    # Every slot full, then all of them done at once: the round recording them must start the next ones itself.
    # It once left them to the idle check (here an hour away), as their rows still counted as under way.
    fake = GatedPlatform()
    queue(engine, clock, *({"platform": "telegram", "chat_id": str(n), "text": "offer"} for n in range(40)))
    lifted = Limiter(Rates(per_chat_seconds=0.0, group_seconds=0.0, overall_per_second=10**6))
    dispatcher = Dispatcher(engine, clock, {"telegram": fake}, {"telegram": lifted})
    stop = asyncio.Event()
    running = asyncio.create_task(dispatcher.run_forever(stop, idle=3600))
    async with fake.done:
        await asyncio.wait_for(fake.done.wait_for(lambda: len(fake.sent) == 40), timeout=10)
    stop.set()
    await asyncio.wait_for(running, timeout=10)
    assert statuses(engine) == [("sent", 1)] * 40


async def test_a_message_failing_past_the_give_up_time_is_dead_with_its_reason(
    engine: Engine, clock: ManualClock
) -> None:
    fake, time = FakePlatform(failures=[RetryLater(1, failure=True, reason="502 Bad Gateway")] * 100), FakeTime()
    queue(engine, clock, {"platform": "telegram", "chat_id": "42", "text": "hello"})
    dispatcher = Dispatcher(
        engine, clock, {"telegram": fake}, {"telegram": Limiter(TELEGRAM, clock=time)}, give_up=timedelta(hours=1)
    )
    for _ in range(100):  # retried, backing off (at most a minute apart), for an hour
        await dispatcher.run_once()
        with session_scope(engine) as session:
            row = session.exec(select(OutboxMessage)).one()
        if row.status != "pending":
            break
        clock.advance(max(row.next_attempt_at - clock.now(), SECOND))
        time.now += 60
    assert row.status == "dead"
    assert row.error == "gave up after 1 h of failures: 502 Bad Gateway"
    assert timedelta(hours=1) <= clock.now() - row.created_at < timedelta(hours=1, minutes=2)
    assert fake.sent == []


async def test_a_telegram_429_pauses_every_send_of_the_bot_for_its_retry_after(
    engine: Engine, clock: ManualClock
) -> None:
    flood = RetryLater(5, failure=False, reason="Telegram 429: Flood control exceeded", pause=ALL)
    fake, time = FakePlatform(failures=[flood]), FakeTime()
    queue(engine, clock, {"platform": "telegram", "chat_id": "42", "text": "first"})
    dispatcher = make(engine, clock, fake, time)
    assert await dispatcher.run_once() == 0  # the 429
    queue(engine, clock, {"platform": "telegram", "chat_id": "43", "text": "another chat"})
    assert await dispatcher.run_once() == 0  # another chat waits too: the whole bot is paused
    assert fake.sent == []
    time.now += 5
    clock.advance(timedelta(seconds=5))
    assert await dispatcher.run_once() == 2
    assert sorted(m.text for m in fake.sent) == ["another chat", "first"]


def test_a_slack_429_pauses_only_the_method_it_came_from() -> None:
    time = FakeTime()
    limiter = Limiter(SLACK, clock=time)
    limiter.pause("chat.update", 30)
    assert limiter.paused("chat.update") == 30
    assert limiter.paused("chat.postMessage") == 0
    time.now += 30
    assert limiter.paused("chat.update") == 0


def _people_with_chats(engine: Engine, clock: ManualClock, count: int, first: int = 0) -> list[int]:
    with session_scope(engine) as session:
        people = [Person(name=f"Floater {n}") for n in range(first, first + count)]
        session.add_all(people)
        session.flush()
        ids, at = [p.id or 0 for p in people], clock.now()
        session.add_all(
            ChatIdentity(platform="telegram", platform_user_id=str(i), person_id=i, chat_id=str(i), linked_at=at)
            for i in ids
        )
    return ids


async def test_a_row_to_a_person_goes_to_the_account_she_used_last(engine: Engine, clock: ManualClock) -> None:
    (dee,) = _people_with_chats(engine, clock, 1)
    with session_scope(engine) as session:
        session.add(
            ChatIdentity(
                platform="slack", platform_user_id="U1", person_id=dee, chat_id="", linked_at=clock.advance(SECOND)
            )
        )
    telegram, slack = FakePlatform(), FakePlatform(platform="slack")
    time = FakeTime()
    limiters = {"telegram": Limiter(TELEGRAM, clock=time), "slack": Limiter(SLACK, clock=time)}
    dispatcher = Dispatcher(engine, clock, {"telegram": telegram, "slack": slack}, limiters)
    queue(engine, clock, {"person_id": dee, "text": "first"})
    assert await dispatcher.run_once() == 1
    assert [m.chat_id for m in slack.sent] == ["U1"]  # linked last, never seen: her user id (no chat known yet)
    with session_scope(engine) as session:
        people.touch_account(session, platform="telegram", platform_user_id=str(dee), chat_id=str(dee), at=clock.now())
    queue(engine, clock, {"person_id": dee, "text": "second"})
    time.now += 1
    assert await dispatcher.run_once() == 1
    assert [m.chat_id for m in telegram.sent] == [str(dee)]  # she has just written on Telegram
    with session_scope(engine) as session:
        later = clock.advance(SECOND)
        people.touch_account(session, platform="slack", platform_user_id="U1", chat_id="D1", at=later)
    queue(engine, clock, {"person_id": dee, "text": "third"})
    time.now += 1
    assert await dispatcher.run_once() == 1
    assert [m.chat_id for m in slack.sent] == ["U1", "D1"]  # and then on Slack, from her direct chat
