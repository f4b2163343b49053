"""The digest on the clock: Monday 08:00 local, once per (week, channel), a day's grace after downtime."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import col, select

from bot.demo.seed import seed_demo
from handlers.clock import ManualClock
from handlers.context import CoreConfig
from models.db import make_engine, session_scope
from models.messaging.tables import OutboxMessage
from scheduler.digest.schedule import ensure_now
from scheduler.ticker import tick

NY = ZoneInfo("America/New_York")
CHANNELS = CoreConfig(hub_channels=(("slack", "C0HUB"), ("telegram", "-100500")))


def posted(engine: Engine) -> list[tuple[str | None, str | None]]:
    with session_scope(engine) as session:
        rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.to_hub).is_(True))).all()
        return [(r.platform, r.chat_id) for r in rows if r.text.startswith("Alliance digest")]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def test_it_posts_at_monday_eight_local_time_to_each_channel_once(engine: Engine) -> None:
    clock = ManualClock(at("2026-12-06T20:00"))  # Sunday evening
    seed_demo(engine, at=clock.now())
    clock.set(at("2026-12-07T07:59"))
    ensure_now(engine, clock, CHANNELS)
    tick(engine, clock, CHANNELS)
    assert posted(engine) == []
    clock.set(at("2026-12-07T08:00"))
    ensure_now(engine, clock, CHANNELS)  # the cron job fires too; nothing is scheduled twice
    tick(engine, clock, CHANNELS)
    assert sorted(posted(engine)) == [("slack", "C0HUB"), ("telegram", "-100500")]
    clock.advance(timedelta(hours=1))
    ensure_now(engine, clock, CHANNELS)
    tick(engine, clock, CHANNELS)
    assert len(posted(engine)) == 2


def test_after_downtime_across_eight_it_posts_once_when_back(engine: Engine) -> None:
    clock = ManualClock(at("2026-12-04T12:00"))
    seed_demo(engine, at=clock.now())
    clock.set(at("2026-12-07T10:30"))  # down all weekend and at 08:00; back at 10:30
    ensure_now(engine, clock, CHANNELS)
    tick(engine, clock, CHANNELS)
    tick(engine, clock, CHANNELS)
    assert len(posted(engine)) == 2
    with session_scope(engine) as session:
        texts = {r.text.splitlines()[0] for r in session.exec(select(OutboxMessage)).all() if r.to_hub}
    assert texts == {"Alliance digest — week 2026-W49 (Mon 30 Nov – Sun 6 Dec)"}


def test_more_than_a_day_late_it_is_not_posted(engine: Engine) -> None:
    clock = ManualClock(at("2026-12-04T12:00"))
    seed_demo(engine, at=clock.now(), history=False)
    clock.set(at("2026-12-08T09:00"))  # back on Tuesday after eight
    ensure_now(engine, clock, CHANNELS)
    tick(engine, clock, CHANNELS)
    assert posted(engine) == []


def test_two_schedulers_on_one_database_post_once(engine: Engine, database_url: str) -> None:
    clock = ManualClock(at("2026-12-07T08:05"))
    seed_demo(engine, at=clock.now(), history=False)
    other = make_engine(database_url)
    try:
        for each in (engine, other, engine, other):
            ensure_now(each, clock, CHANNELS)
            tick(each, clock, CHANNELS)
    finally:
        other.dispose()
    assert len(posted(engine)) == 2
