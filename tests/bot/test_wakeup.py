"""What a replica that does not lead writes is sent by the leader at once, woken through PostgreSQL (NOTIFY), not
at the leader's next idle round. Two replicas are two engines with process names of their own, as in
test_leader.py; the leader's idle round is an hour away here, so only a wake-up can send anything."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from sqlalchemy import text

from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import TELEGRAM, Limiter
from bot.leader import RENEW_EVERY, Leadership
from bot.wakeup import Wakeup
from handlers.clock import ManualClock
from models.db import make_engine, session_scope
from models.messaging import outbox, wakeups
from tests.bot.dispatch.test_dispatcher import FakePlatform

T = TypeVar("T")
HOUR = 3600.0
LEADER, OTHER = (f"wakeup-{letter}-{secrets.token_hex(4)}" for letter in "ab")


@dataclass
class Counted:
    """An offload (asyncio's threads) that knows how many of its calls are under way: `settled` returns once none
    is and the caller has had its turns to start another (the dispatcher, then, is waiting to be woken)."""

    under_way: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def __call__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        self.under_way += 1
        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        finally:
            async with self.changed:
                self.under_way -= 1
                self.changed.notify_all()

    async def settled(self) -> None:
        while True:
            async with self.changed:
                await self.changed.wait_for(lambda: self.under_way == 0)
            for _ in range(10):  # the dispatcher's own turns after its last call: it starts another, or waits
                await asyncio.sleep(0)
            if self.under_way == 0:
                return


@dataclass
class Replicas:
    leader: Wakeup
    other: Wakeup
    sent: FakePlatform
    offload: Counted
    clock: ManualClock
    listener: asyncio.Task[None]

    async def deafen(self) -> None:
        """The leader stops listening (its dispatcher goes on)."""
        self.listener.cancel()
        with suppress(asyncio.CancelledError):
            await self.listener
        assert not self.leader.listening.is_set()

    def write(self, by: Wakeup, words: str, chat: str = "42") -> None:
        """A unit of work of `by` that leaves one message to send."""
        row = {"platform": "telegram", "chat_id": chat, "text": words}
        with session_scope(by.engine) as session:
            outbox.enqueue_many(session, [row], at=self.clock.now())


def replica(url: str, name: str, clock: ManualClock, offload: Counted, fake: FakePlatform) -> Wakeup:
    engine = make_engine(url, application_name=name)
    leadership = Leadership(engine, name)
    limiter = Limiter(TELEGRAM)
    dispatcher = Dispatcher(engine, clock, {"telegram": fake}, {"telegram": limiter}, fence=leadership.fence)
    dispatcher.offload = offload
    return Wakeup(engine, dispatcher, leadership, offload)


@pytest.fixture
async def replicas(postgres_url: str, clock: ManualClock) -> AsyncIterator[Replicas]:
    offload, sent = Counted(), FakePlatform()
    leader, other = (replica(postgres_url, name, clock, offload, sent) for name in (LEADER, OTHER))
    assert leader.leadership.try_acquire()
    assert not other.leadership.try_acquire()
    stop = asyncio.Event()
    running = [
        asyncio.create_task(leader.dispatcher.run_forever(stop, idle=HOUR)),
        asyncio.create_task(leader.listen()),
        asyncio.create_task(keep(leader.leadership)),
    ]
    await asyncio.wait_for(leader.listening.wait(), 10)
    await offload.settled()
    yield Replicas(leader, other, sent, offload, clock, running[1])
    stop.set()
    for beside in running[1:]:
        beside.cancel()
    await asyncio.gather(*running, return_exceptions=True)
    for one in (leader, other):
        one.leadership.release()
        one.engine.dispose()


async def keep(leadership: Leadership) -> None:
    """The lease renewed, as `serve` renews it while it leads (else the fence lapses and the dispatcher stops)."""
    while await asyncio.to_thread(leadership.keep):  # noqa: ASYNC110  (a renewal every few seconds)
        await asyncio.sleep(RENEW_EVERY)


async def arrived(fake: FakePlatform, count: int) -> list[str]:
    """The texts sent, once there are `count` (a failure after 10 s: nothing woke the leader)."""
    deadline = asyncio.get_running_loop().time() + 10
    while len(fake.sent) < count:  # the fake platform only records: looked at every 10 ms
        assert asyncio.get_running_loop().time() < deadline, [message.text for message in fake.sent]
        await asyncio.sleep(0.01)
    return sorted(message.text for message in fake.sent)


async def test_a_reply_written_where_nobody_sends_is_sent_by_the_leader_at_once(replicas: Replicas) -> None:
    await asyncio.to_thread(replicas.write, replicas.other, "Sent! I'm asking floaters now")
    replicas.other.written()  # as its adapter does once the message is handled
    assert await arrived(replicas.sent, 1) == ["Sent! I'm asking floaters now"]


async def test_the_leader_wakes_its_own_dispatcher(replicas: Replicas) -> None:
    """Directly, not through the database: with nobody listening, only that sends it."""
    await replicas.deafen()
    await asyncio.to_thread(replicas.write, replicas.leader, "Please check your request")
    replicas.leader.written()
    assert await arrived(replicas.sent, 1) == ["Please check your request"]


@dataclass
class HeldAfterNotify:
    """The other replica's offload: a NOTIFY goes out, then its call is held until `let_go` (its task not done)."""

    notified: asyncio.Event = field(default_factory=asyncio.Event)
    let_go: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        result = await asyncio.to_thread(fn, *args, **kwargs)
        if fn is wakeups.notify:
            self.notified.set()
            await self.let_go.wait()
        return result


async def test_a_write_while_a_notify_is_under_way_gets_a_notify_of_its_own(replicas: Replicas) -> None:
    """The first NOTIFY went out before the second write committed, and the leader's round it woke is over: the
    second write must be announced again once the first NOTIFY is done, or it waits for the idle round."""
    held = HeldAfterNotify()
    other = Wakeup(replicas.other.engine, replicas.other.dispatcher, replicas.other.leadership, held)
    await asyncio.to_thread(replicas.write, other, "first", chat="41")
    other.written()
    await asyncio.wait_for(held.notified.wait(), 10)
    assert await arrived(replicas.sent, 1) == ["first"]
    await replicas.offload.settled()  # the leader's rounds are over: it waits to be woken
    await asyncio.to_thread(replicas.write, other, "second", chat="42")
    other.written()  # the first NOTIFY's task is not done yet
    held.let_go.set()
    assert await arrived(replicas.sent, 2) == ["first", "second"]


async def test_what_was_written_while_nobody_listened_is_sent_once_the_leader_listens_again(
    replicas: Replicas,
) -> None:
    cut = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
    with replicas.other.engine.connect() as connection:
        assert connection.execute(text(cut), {"name": f"{LEADER} listening"}).scalar()
    await asyncio.wait_for(until_cleared(replicas.leader.listening), 10)
    await asyncio.to_thread(replicas.write, replicas.other, "while deaf")
    replicas.other.written()  # heard by nobody
    assert await arrived(replicas.sent, 1) == ["while deaf"]  # a second later, as it listens again


async def test_a_burst_of_writes_is_all_sent(replicas: Replicas) -> None:
    """Each write calls `written`; while one NOTIFY is under way the next ones ask for one more after it."""
    for number in range(5):
        await asyncio.to_thread(replicas.write, replicas.other, f"reply {number}", chat=f"4{number}")
        replicas.other.written()
    assert await arrived(replicas.sent, 5) == [f"reply {number}" for number in range(5)]


async def test_the_leader_listens_again_after_its_connection_is_cut(replicas: Replicas) -> None:
    cut = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
    with replicas.other.engine.connect() as connection:
        assert connection.execute(text(cut), {"name": f"{LEADER} listening"}).scalar()
    await asyncio.wait_for(until_cleared(replicas.leader.listening), 10)
    await asyncio.wait_for(replicas.leader.listening.wait(), 10)  # again, a second later
    await replicas.offload.settled()
    await asyncio.to_thread(replicas.write, replicas.other, "after the cut")
    replicas.other.written()
    assert await arrived(replicas.sent, 1) == ["after the cut"]


async def until_cleared(event: asyncio.Event) -> None:
    while event.is_set():  # noqa: ASYNC110  (an asyncio.Event tells only when it is set)
        await asyncio.sleep(0.01)


async def test_a_notify_reaches_a_listener_of_the_same_database(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    heard = wakeups.notifications(engine, name="wakeup test listening")
    try:
        await asyncio.wait_for(anext(heard), 10)  # listening now
        await asyncio.to_thread(wakeups.notify, engine)
        await asyncio.wait_for(anext(heard), 10)
    finally:
        await heard.aclose()
        engine.dispose()
