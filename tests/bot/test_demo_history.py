"""The demo's six weeks of history: there, in the past, the same every time, with one site that never answers (the
`history` world is `seed_demo(engine, at=START)`, built once per test process)."""

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


def test_six_weeks_of_history_in_the_past(history: Engine, clock: ManualClock) -> None:
    statuses, latest, periods, maple_metrics = summary(history)
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


def test_every_answered_pulse_has_its_response_so_the_list_and_the_results_agree(history: Engine) -> None:
    from models.surveys.queries import counted_invites, recent_runs, responses
    from models.surveys.tables import InviteStatus

    with session_scope(history) as session:
        runs = recent_runs(session, limit=10)
        assert len(runs) == 6
        for run in runs:
            submitted = [i for i in counted_invites(session, run_id=run.id or 0) if i.status == InviteStatus.SUBMITTED]
            stored = responses(session, run_ids=[run.id or 0])
            assert len(stored) == len(submitted) == 2, run.period
            metrics = session.exec(select(SiteMetric).where(SiteMetric.period == run.period)).all()
            enrolled = sorted(m.value for m in metrics if m.key == "enrolled_fte")
            assert enrolled == sorted(r.answers["enrolled_fte"] for r in stored)
