"""What a dispatcher round asks the database: the same few statements however long the backlog, and the rows it
starts read in the claim that takes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Engine, event
from sqlmodel import update

from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import Limiter, Rates
from handlers.clock import ManualClock
from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import OutboxMessage, Priority
from tests.bot.dispatch.test_dispatcher import FakePlatform, FakeTime, _people_with_chats, queue


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement run inside the block, its whitespace folded."""
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def test_a_round_over_a_long_backlog_asks_the_database_the_same_few_queries(
    engine: Engine, clock: ManualClock
) -> None:
    # Each of these floaters got a message a moment ago: every row is held by its chat's rate, and the round goes
    # down all of them. Their chats come with the rows, not from a query per row or per few rows.
    per_chat_only = Rates(per_chat_seconds=1.0, group_seconds=1.0, overall_per_second=10**6)
    for first, count in ((0, 10), (10, 150)):
        ids = _people_with_chats(engine, clock, count, first)
        queue(engine, clock, *({"person_id": i, "text": "offer", "priority": Priority.URGENT} for i in ids))
        limiter = Limiter(per_chat_only, clock=FakeTime())
        for i in ids:
            limiter.record(str(i), reply=False)
        dispatcher = Dispatcher(engine, clock, {"telegram": FakePlatform()}, {"telegram": limiter})
        with _statements(engine) as statements:
            assert await dispatcher.run_once() == 0
        # Its BEGIN and the due rows with their chats (and whether they are claimable): the first `window` of
        # them, and the rest of `batch` when those held all.
        assert len(statements) <= (2 if count <= dispatcher.window else 3), statements
        assert not [s for s in statements if s.lstrip().startswith("SELECT chatidentity")]
        with session_scope(engine) as session:  # the next count's rows come after these, not behind them
            session.exec(update(OutboxMessage).values(status="sent"))


async def test_a_round_reads_the_rows_it_starts_in_their_claim_and_files_only_where_there_are_some(
    engine: Engine, clock: ManualClock
) -> None:
    fake = FakePlatform()
    dispatcher = Dispatcher(engine, clock, {"telegram": fake}, {"telegram": Limiter(Rates(0.0, 0.0, 10**6))})
    for files in ((), ((("week.csv", b"a,b"),), ())):
        rows = [{"platform": "telegram", "chat_id": str(40 + i), "text": f"t{i}"} for i in range(len(files) or 2)]
        with session_scope(engine) as session:
            outbox.enqueue_many(session, rows, at=clock.now(), files=files)
        with _statements(engine) as statements:
            assert await dispatcher.run_once() == 2
        reads = [s for s in statements if s.startswith("SELECT")]
        assert [s for s in reads if "outboxmessage.text" in s] == []  # the claim's RETURNING read them
        assert len([s for s in reads if "FROM outboxfile" in s]) == (1 if files else 0), "\n".join(statements)
    assert [(m.text, m.files) for m in fake.sent[2:]] == [("t0", (("week.csv", b"a,b"),)), ("t1", ())]


async def test_a_round_reads_past_its_first_window_only_when_that_leaves_room(
    engine: Engine, clock: ManualClock
) -> None:
    """60 offers to chats that just had one (held by the per-chat rate), then a routine message to a free chat:
    the round reads past its first 40 due rows, to that message, and starts it. When the first rows fill the
    slots, it reads no further."""
    per_chat_only = Rates(per_chat_seconds=1.0, group_seconds=1.0, overall_per_second=10**6)
    ids = _people_with_chats(engine, clock, 61)
    held, free_chat = ids[:60], ids[60]
    queue(engine, clock, *({"person_id": i, "text": "offer", "priority": Priority.URGENT} for i in held))
    queue(engine, clock, {"person_id": free_chat, "text": "routine", "priority": Priority.ROUTINE})
    limiter = Limiter(per_chat_only, clock=FakeTime())
    for i in held:
        limiter.record(str(i), reply=False)
    fake = FakePlatform()
    dispatcher = Dispatcher(engine, clock, {"telegram": fake}, {"telegram": limiter}, window=40)
    with _statements(engine) as statements:
        assert await dispatcher.run_once() == 1
    assert [m.text for m in fake.sent] == ["routine"]
    assert len([s for s in statements if "FROM outboxmessage" in s and s.startswith("SELECT")]) == 2

    with session_scope(engine) as session:
        session.exec(update(OutboxMessage).values(status="sent"))
    free = _people_with_chats(engine, clock, 60, 100)
    queue(engine, clock, *({"person_id": i, "text": "offer", "priority": Priority.URGENT} for i in free))
    fake = FakePlatform()
    dispatcher = Dispatcher(engine, clock, {"telegram": fake}, {"telegram": Limiter(per_chat_only)}, window=40)
    with _statements(engine) as statements:
        tasks, _ = await dispatcher._start_round()
    assert len(tasks) == dispatcher.in_flight - dispatcher.slots_for_replies  # broadcasts leave two to replies
    assert len([s for s in statements if "FROM outboxmessage" in s and s.startswith("SELECT")]) == 1
    for task in tasks:
        await task


def test_a_backlog_waiting_for_a_busy_platform_is_not_read_whole_on_every_round(
    engine: Engine, clock: ManualClock
) -> None:
    """Slack's slots are full and Telegram's free, with 100 offers queued for Slack: a round reads past its
    first window (Telegram has room, and a Telegram row could be further down), finds nothing to start, and the
    rounds of the next second read the first window only; a second later, it reads on once more."""
    queue(engine, clock, *({"platform": "slack", "chat_id": f"D{n}", "text": "offer"} for n in range(100)))
    slack_full = {-n: ("slack", f"DX{n}") for n in range(1, 9)}  # eight sends under way
    unlimited = Rates(0.0, 0.0, 10**6)
    dispatcher = Dispatcher(
        engine,
        clock,
        {"telegram": FakePlatform(), "slack": FakePlatform(platform="slack")},
        {"telegram": Limiter(unlimited), "slack": Limiter(unlimited)},
    )

    def due_reads() -> int:
        with _statements(engine) as statements, session_scope(engine) as session:
            assert dispatcher._pick(session, slack_full).starts == []
        return len([s for s in statements if s.startswith("SELECT") and "FROM outboxmessage" in s])

    assert due_reads() == 2
    assert due_reads() == 1
    clock.advance(timedelta(milliseconds=500))
    assert due_reads() == 1
    clock.advance(timedelta(milliseconds=600))
    assert due_reads() == 2
