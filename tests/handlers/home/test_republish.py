"""A change asks for the Home tabs it touches to be redrawn: once while one waits, throttled after the last, and
only for people on Slack; drawn as they are when sent."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from sqlmodel import col, select

from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.limits import SLACK, Limiter
from handlers import surfaces
from handlers.contract import HomeView
from handlers.home.policy import HomePolicy
from models.db import session_scope
from models.messaging.tables import OutboxKind, OutboxMessage
from models.roster import people
from tests.bot.dispatch.test_dispatcher import FakePlatform, FakeTime
from tests.dialog import Dialog


def homes(demo: Dialog) -> list[tuple[int | None, str, str]]:
    """(person id, status, due) of each Home row, oldest first."""
    with session_scope(demo.engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.HOME).order_by(col(OutboxMessage.id))
        ).all()
        return [(r.person_id, r.status, r.next_attempt_at.isoformat()) for r in rows]


def on_slack(demo: Dialog, *names: str, opened: bool = True) -> dict[str, int]:
    """Link them on Slack; `opened`: each has opened the bot's Home tab once."""
    demo.platform = "slack"
    ids = {name: demo.as_(name).who_id() for name in names}
    with session_scope(demo.engine) as session:
        for person_id in ids.values() if opened else ():
            people.home_opened(session, platform="slack", platform_user_id=f"u{person_id}", at=demo.clock.now())
    return ids


def dispatcher(demo: Dialog, fake: FakePlatform, time: FakeTime) -> Dispatcher:
    """The real dispatcher, drawing with the real renderer, sending to a recording fake of Slack."""
    draw = partial(surfaces.render, demo.engine, demo.clock, demo.core.config)
    limiters = {"slack": Limiter(SLACK, clock=time)}
    return Dispatcher(demo.engine, demo.clock, {"slack": fake}, limiters, draw=draw)


def test_a_request_asks_for_the_homes_of_the_people_it_concerns_on_slack_only(demo: Dialog) -> None:
    ids = on_slack(demo, "Diana", "Hana", "Fatima", "Alice")  # Emma, the favourite offered first, is not on Slack
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")
    assert homes(demo) == []  # a draft changes nobody's Home
    demo.presses("cv:send")
    asked = {person for person, _status, _due in homes(demo)}
    assert asked == {ids["Alice"], ids["Diana"]}  # requester, director; one row each
    assert len(homes(demo)) == 2  # not the Hub: its board is the whole Alliance's, drawn when she opens the tab


def test_a_home_tab_never_opened_is_not_redrawn(demo: Dialog) -> None:
    ids = on_slack(demo, "Diana", opened=False)
    ids |= on_slack(demo, "Alice")
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")
    demo.presses("cv:send")
    assert {person for person, _status, _due in homes(demo)} == {ids["Alice"]}  # Diana never looked at hers


@pytest.mark.twin
def test_the_hubs_home_is_asked_for_when_a_shift_joins_the_unfilled_ones(demo: Dialog) -> None:
    ids = on_slack(demo, "Hana", "Alice")
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")
    demo.presses("cv:send")
    assert ids["Hana"] not in {person for person, _status, _due in homes(demo)}
    escalated = [m for m in demo.wait(timedelta(hours=25, minutes=50)) if m.to == "hub"]  # an hour before its start
    assert escalated  # nobody accepted: the Hub channel is asked to act
    assert ids["Hana"] in {person for person, _status, _due in homes(demo)}


async def test_after_a_redraw_the_next_change_waits_out_the_throttle_and_is_drawn_as_it_is_then(demo: Dialog) -> None:
    assert demo.core.config.policy(HomePolicy).throttle == timedelta(seconds=10)
    ids = on_slack(demo, "Fatima", "Alice")
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")
    demo.presses("cv:send")
    demo.wait(timedelta(minutes=10))  # Fatima is offered it
    fake, time = FakePlatform(platform="slack"), FakeTime()
    sender = dispatcher(demo, fake, time)
    await sender.run_once()  # Alice's and Fatima's Home tabs go out (with the chat's messages)
    first = dict(fake.shown)
    assert set(first) == {f"u{ids['Alice']}", f"u{ids['Fatima']}"}
    sent_at = demo.clock.now()

    demo.clock.advance(timedelta(seconds=3))
    time.now += 3
    demo.as_("Fatima").presses("acc:1")
    demo.as_("Alice").says("/requests")  # not a change: nothing more is asked
    due = (sent_at + timedelta(seconds=10)).isoformat()
    waiting = sorted((p, due) for p, status, due in homes(demo) if status == "pending")
    assert waiting == sorted([(ids["Alice"], due), (ids["Fatima"], due)])  # one each, 10 s after the last
    await sender.run_once()  # the chat's messages (her confirmation, Alice told) go out at once…
    assert len(fake.shown) == len(first)  # …but 3 s after the last redraw, no Home tab yet
    demo.clock.advance(timedelta(seconds=7))
    time.now += 7
    await sender.run_once()
    assert len(fake.shown) == len(first) + 2
    redrawn = dict(fake.shown[len(first) :])
    alice = redrawn[f"u{ids['Alice']}"]
    assert isinstance(alice, HomeView)
    assert "covered by Fatima Ali" in " ".join(s.text for s in alice.sections)
