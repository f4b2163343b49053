"""The bus: events reach their subscribers in order, and what they gathered is done once, after all of them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine
from sqlmodel import Session

from handlers.bus import Bus, Event
from handlers.clock import ManualClock
from handlers.context import CoreConfig, Ctx
from handlers.contract import Reply, reply
from handlers.i18n import Msg
from tests.conftest import START


@dataclass(frozen=True)
class Changed(Event):
    thing_id: int


@dataclass(frozen=True)
class AllDone(Event):
    count: int


def test_gathered_ids_are_handled_once_after_every_event_and_may_record_more() -> None:
    bus = Bus()
    handled: list[set[int]] = []

    def handle(ctx: Ctx, ids: set[int]) -> None:
        handled.append(set(ids))
        ctx.record(AllDone(len(ids)))

    @bus.subscribe(Changed)
    def changed(ctx: Ctx, event: Changed) -> list[Reply]:
        ctx.gather("things", handle).add(event.thing_id)
        return [reply(Msg(f"changed {event.thing_id}"))]

    @bus.subscribe(AllDone)
    def done(ctx: Ctx, event: AllDone) -> list[Reply]:
        return [reply(Msg(f"{event.count} handled"))]

    with Session(create_engine("sqlite://")) as session:
        ctx = Ctx(session, ManualClock(START), CoreConfig(), bus)
        ctx.record(Changed(1), Changed(2), Changed(1))
        replies = bus.deliver(ctx)
    assert handled == [{1, 2}]  # once, with every id, after the last event
    assert [r.lines[0].msgid for r in replies] == ["changed 1", "changed 2", "changed 1", "2 handled"]
    assert not ctx.gathered
    assert not ctx.events
