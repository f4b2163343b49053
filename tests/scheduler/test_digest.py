"""The digest built from the demo history: honest about gaps, a picture, a table; and an empty week."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.demo.seed import seed_demo
from handlers.clock import ManualClock
from models.db import session_scope
from models.roster.tables import Site
from models.surveys.data import record_metrics
from scheduler.digest import build, chart, render
from scheduler.metrics.weeks import week_of
from tests.cli import invoke
from tests.dialog import Dialog, only

NY = ZoneInfo("America/New_York")
CLI = Path(sys.executable).with_name("alliance-bot")


def text(digest: build.Digest, lang: str = "en") -> str:
    return "\n".join(line.render(lang) for line in render.lines(digest))


@pytest.mark.usefixtures("history")  # the demo Alliance with its history, seeded at START
def test_last_weeks_digest_from_the_demo_history(engine: Engine, clock: ManualClock) -> None:
    with session_scope(engine) as session:
        digest = build.build(session, week_of(clock.now(), NY).previous(), clock.now())
    body = text(digest)
    assert body.splitlines()[0] == "Alliance digest — week 2026-W48 (Mon 23 Nov – Sun 29 Nov)"
    assert "Partial data: 2 of 3 sites answered the pulse." in body  # Maple Street never answers
    assert "vs last week" in body
    spanish = text(digest, "es")
    assert spanish.startswith("Resumen de la Alianza — semana 2026-W48")
    # Numbers, reasons and labels the Spanish way (Babel), not English ones.
    assert "Por motivo: enfermedad 9, personal 1, tiempo de planificación 2" in spanish
    assert "21,7 lugares libres" in spanish
    assert "credenciales vigentes 75\u00a0% < 100\u00a0%" in spanish
    assert "21.7 open places" in body
    assert chart.png(digest, "en").startswith(b"\x89PNG")
    table = build.table(digest)
    assert list(table["site"]) == ["Casa de los Niños", "Maple Street Early Learning", "Sunflower Center"]
    assert table["requests"].sum() == digest.alliance.requests


def test_a_week_with_no_requests_and_no_answers_says_so(engine: Engine, clock: ManualClock) -> None:
    seed_demo(engine, at=clock.now(), history=False)
    with session_scope(engine) as session:
        digest = build.build(session, week_of(clock.now() - timedelta(days=7), NY), clock.now())
    body = text(digest)
    assert "No cover was requested this week." in body
    assert "No site answered the weekly pulse, so there are no enrollment figures this week." in body
    assert "Below target: credentials current 75% < 100%." in body  # Diego's CPR has expired
    assert digest.needing_attention() == []
    assert chart.png(digest, "en").startswith(b"\x89PNG")


@pytest.mark.usefixtures("history")  # the demo Alliance with its history, seeded at START
def test_digest_preview_writes_the_picture_and_the_tables(
    engine: Engine, clock: ManualClock, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"DATABASE_URL": database_url, "MPLCONFIGDIR": str(tmp_path)}
    run = invoke(monkeypatch, "digest", "preview", "--week", "2026-W48", "--out", str(tmp_path), env=env)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("Alliance digest — week 2026-W48")
    assert (tmp_path / "alliance-digest-2026-W48.png").read_bytes().startswith(b"\x89PNG")
    assert len(pd.read_csv(tmp_path / "alliance-digest-2026-W48.csv")) == 3
    assert len(pd.read_excel(tmp_path / "alliance-digest-2026-W48.xlsx", engine="openpyxl")) == 3
    assert invoke(monkeypatch, "digest", "preview", "--week", "soon", env=env).exit_code == 2


def test_hub_staff_see_the_week_so_far_in_chat(demo: Dialog) -> None:
    answer = only(demo.as_("Hana").says("/digest")).text
    assert answer.splitlines()[:2] == ["The week so far:", "Alliance digest — week 2026-W49 (Mon 30 Nov – Sun 6 Dec)"]
    assert "not available for your role" in only(demo.as_("Alice").says("/digest")).text


@pytest.mark.usefixtures("history")  # the demo Alliance with its history, seeded at START
def test_digest_send_queues_once_per_channel_unless_forced(
    engine: Engine, clock: ManualClock, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database_url, "MPLCONFIGDIR": str(tmp_path)}

    def send(*extra: str) -> str:
        run = invoke(monkeypatch, "digest", "send", "--week", "2026-W48", *extra, env=env)
        assert run.exit_code == 0, run.stderr
        return run.stdout

    assert "for 1 channel(s)" in send()
    assert "already posted for 2026-W48" in send()
    assert "for 1 channel(s)" in send("--force")


@pytest.mark.usefixtures("history")  # the demo Alliance with its history, seeded at START
def test_finance_appears_when_directors_answered_the_monthly_survey(engine: Engine, clock: ManualClock) -> None:
    with session_scope(engine) as session:
        sunflower = session.exec(select(Site).where(Site.name == "Sunflower Center")).one()
        for month, billed, collected in (
            ("2026-08", 90_000, 88_000),
            ("2026-09", 90_000, 86_000),
            ("2026-10", 95_000, 90_000),
        ):
            record_metrics(
                session,
                site_id=sunflower.id or 0,
                period=month,
                run_id=None,  # type: ignore[arg-type]
                values={
                    "fees_billed": billed,
                    "fees_collected": collected,
                    "operating_expenses": 80_000,
                    "revenue": 92_000,
                },
                at=clock.now(),
            )
        digest = build.build(session, week_of(clock.now(), NY).previous(), clock.now())
    body = text(digest)
    assert "Last month: fees collected 95%, bad debt 4% over three months (target under 3%)" in body
    assert "bad debt 4% > 3%" in body
    assert "By reason: sick" in body
