"""Shared fixtures: a migrated database (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set), a clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.demo.seed import seed_demo
from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.service import Core
from models.db import make_engine, upgrade
from tests.dialog import Dialog

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
START = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York


def _fresh_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated, empty database of each kind."""
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("PostgreSQL tests need TEST_POSTGRES_URL (CI sets it)")
        _fresh_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path / 'test.db'}"
    upgrade(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def core(engine: Engine, clock: ManualClock) -> Core:
    return Core(engine, clock, CoreConfig())


@pytest.fixture
def demo(engine: Engine, clock: ManualClock, core: Core) -> Dialog:
    """The demo Alliance, and a dialog helper to talk to the bot as any of its people."""
    seed_demo(engine, at=clock.now(), history=False)  # tests start from a quiet Alliance
    return Dialog(core, engine, clock)
