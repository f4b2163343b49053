"""The demo's six weeks of history: there, in the past, the same every time, with one site that never answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import select

from bot.demo.seed import seed_demo
from handlers.clock import ManualClock
from models.cover.tables import Shift
from models.db import make_engine, session_scope, upgrade
from models.roster.tables import Site
from models.surveys.tables import SiteMetric


def summary(engine: Engine) -> tuple[dict[str, int], datetime, int, int]:
    with session_scope(engine) as session:
        statuses = dict(session.exec(select(Shift.status, func.count()).group_by(Shift.status)).all())
        latest = session.exec(select(func.max(Shift.starts_at))).one()
        periods = session.exec(select(func.count(func.distinct(SiteMetric.period)))).one()
        maple = session.exec(select(Site.id).where(Site.name == "Maple Street Early Learning")).one()
        maple_metrics = session.exec(
            select(func.count()).select_from(SiteMetric).where(SiteMetric.site_id == maple)
        ).one()
    return statuses, latest, periods, maple_metrics


def test_six_weeks_of_history_in_the_past(engine: Engine, clock: ManualClock, tmp_path: object) -> None:
    seed_demo(engine, at=clock.now())
    statuses, latest, periods, maple_metrics = summary(engine)
    assert set(statuses) == {"filled", "open", "cancelled"}
    assert sum(statuses.values()) >= 6 * 3 * 5  # at least five requests a site a week
    assert latest is not None
    assert latest < clock.now()
    assert periods == 6
    assert maple_metrics == 0  # Maple Street never answers the pulse


def test_the_history_is_the_same_on_every_run(tmp_path: object, clock: ManualClock) -> None:
    results = []
    for name in ("a", "b"):
        upgrade(f"sqlite:///{tmp_path}/{name}.db")
        engine = make_engine(f"sqlite:///{tmp_path}/{name}.db")
        seed_demo(engine, at=clock.now())
        results.append(summary(engine))
        engine.dispose()
    assert results[0] == results[1]
