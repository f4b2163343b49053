"""Alerts between digests: expiring credentials and unfilled shifts, each at most once a week."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import select

from bot.demo.seed import seed_demo
from handlers.context import CoreConfig
from handlers.delivery import enqueue_replies
from models.cover import writes as shift_data
from models.cover.tables import Reason
from models.db import session_scope
from models.roster.tables import Room, Site
from scheduler.digest.alerts import check

NY = ZoneInfo("America/New_York")
CONFIG = CoreConfig()


def alerts(engine: Engine, now: datetime) -> str:
    with session_scope(engine) as session:
        replies = check(session, now=now, config=CONFIG)
        enqueue_replies(session, replies, at=now, config=CONFIG)
    return "\n".join(line.render("en") for reply in replies for line in reply.lines)


def test_a_credential_expiring_within_a_week_is_announced_once_that_week(engine: Engine) -> None:
    seed_demo(engine, at=datetime(2026, 12, 1, tzinfo=NY), history=False)
    assert alerts(engine, datetime(2026, 12, 12, 9, tzinfo=NY)) == ""  # Emma's CPR ends on 20 Dec
    text = alerts(engine, datetime(2026, 12, 14, 9, tzinfo=NY))
    assert text == "⚠ Needs attention:\nEmma Wilson: pediatric CPR / first aid expires on Sun 20 Dec."
    assert alerts(engine, datetime(2026, 12, 15, 9, tzinfo=NY)) == ""  # the same week: once


def test_a_site_with_three_unfilled_shifts_is_announced_once(engine: Engine) -> None:
    monday = datetime(2026, 12, 7, 6, tzinfo=NY)
    seed_demo(engine, at=monday, history=False)
    with session_scope(engine) as session:
        site = session.exec(select(Site).where(Site.name == "Maple Street Early Learning")).one()
        room = session.exec(select(Room).where(Room.site_id == site.id)).first()
        assert room is not None
        windows = [(monday + timedelta(hours=2 + n), monday + timedelta(hours=3 + n)) for n in range(3)]
        shift_data.create_request(
            session,
            requester_id=1,
            site_id=site.id or 0,
            room_id=room.id or 0,
            age_group=room.age_group,
            reason=Reason.SICK,
            windows=windows,
            at=monday,
        )
    assert alerts(engine, monday + timedelta(hours=3, minutes=30)) == ""  # two have begun so far
    text = alerts(engine, monday + timedelta(hours=5))
    assert "Maple Street Early Learning: 3 shifts were not covered when they began this week." in text
    assert alerts(engine, monday + timedelta(days=1)) == ""
