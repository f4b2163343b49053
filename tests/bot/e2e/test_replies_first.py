"""Replies to the person who just wrote overtake a backlog of offers: through the real server, over HTTP."""

from __future__ import annotations

from sqlalchemy import insert

from models.db import session_scope
from models.messaging import outbox
from models.roster.tables import ChatIdentity, Person, PersonRole
from tests.bot.e2e.stack import START, Stack, texts_to
from tests.bot.fakes.recorder import Call

BACKLOG = 400
FIRST_FLOATER_CHAT = 50_000


def queue_offers(stack: Stack, count: int) -> None:
    """`count` floaters linked on Telegram, each with an offer waiting in the outbox."""
    with session_scope(stack.engine) as session:
        ids = range(10_000, 10_000 + count)
        person = {"site_id": None, "room_id": None, "email": "", "phone": "", "language": "en", "active": True}
        session.execute(insert(Person), [{**person, "id": i, "name": f"Floater {i}"} for i in ids])
        session.execute(insert(PersonRole), [{"person_id": i, "role": "floater"} for i in ids])
        accounts = [
            {"platform": "telegram", "platform_user_id": str(c), "chat_id": str(c), "person_id": i, "linked_at": START}
            for i, c in zip(ids, range(FIRST_FLOATER_CHAT, FIRST_FLOATER_CHAT + count), strict=True)
        ]
        session.execute(insert(ChatIdentity), accounts)
        offers = [
            {"person_id": i, "text": "Can you cover this shift? (backlog)", "priority": outbox.URGENT} for i in ids
        ]
        outbox.enqueue_many(session, offers, at=START)


def backlog_sent(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage" and "(backlog)" in str(c.params.get("text"))]


def first_to(calls: list[Call], chat: int, starts: str) -> Call | None:
    return next(
        (
            c
            for c in calls
            if c.method == "sendMessage"
            and c.outcome == "ok"
            and str(c.params.get("chat_id")) == str(chat)
            and str(c.params.get("text")).startswith(starts)
        ),
        None,
    )


def test_help_and_sent_arrive_within_two_seconds_while_400_offers_wait(stack: Stack) -> None:
    tg = stack.telegram
    stack.telegram_text(1001, "need a floater tomorrow 8-12 planning")  # Alice's request, up to its summary
    tg.wait_for(lambda calls: any("Please check" in text for text in texts_to(tg, 1001)))

    queue_offers(stack, BACKLOG)
    stack.app.state.runtime.dispatcher.wake_threadsafe()
    tg.wait_for(lambda calls: len(backlog_sent(calls)) >= 1)  # the backlog is draining
    asked = tg.calls[-1].at  # the fake's clock (monotonic): before either message reached the server
    stack.telegram_text(1009, "/help")  # Diana, someone else
    stack.telegram_press(1001, "cv:send")

    calls = tg.wait_for(
        lambda calls: first_to(calls, 1009, "") is not None and first_to(calls, 1001, "Sent!") is not None,
        timeout=20,
    )
    help_reply, sent = first_to(calls, 1009, ""), first_to(calls, 1001, "Sent!")
    assert help_reply is not None
    assert sent is not None
    assert help_reply.at - asked < 2.0, f"/help took {help_reply.at - asked:.2f} s"
    assert sent.at - asked < 2.0, f"Sent! took {sent.at - asked:.2f} s"
    assert len(backlog_sent(calls)) < BACKLOG / 2  # they overtook the backlog, not waited it out
    assert tg.rate_violations("chat_id", per_chat=1.0, overall=30) == []
