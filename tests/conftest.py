"""Shared fixtures: a migrated database (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set), a clock.

The world is built once per test process: an empty migrated database and one with the demo Alliance seeded are
made as templates at the start, and each test gets its own copy (a file copy on SQLite, `CREATE DATABASE …
TEMPLATE` on PostgreSQL). A test that asks for `demo` starts from the seeded copy; any other from the empty one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from bot.demo.seed import seed_demo
from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.service import Core
from models.db import make_engine, upgrade
from tests.dialog import Dialog

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
START = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York


def _seed(url: str) -> None:
    engine = make_engine(url)
    seed_demo(engine, at=START, history=False)  # tests start from a quiet Alliance
    engine.dispose()


@dataclass(frozen=True)
class SqliteTemplates:
    empty: Path
    demo: Path

    def copy(self, to: Path, *, seeded: bool) -> str:
        shutil.copyfile(self.demo if seeded else self.empty, to)
        return f"sqlite:///{to}"


@dataclass(frozen=True)
class PostgresTemplates:
    admin_url: str
    prefix: str

    def url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        admin = make_engine(self.admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        admin.dispose()
        return self.url(name)

    def copy(self, *, seeded: bool) -> str:
        template = f"{self.prefix}_demo" if seeded else f"{self.prefix}_empty"
        return self.create(f"{self.prefix}_test", template)

    def drop(self, name: str) -> None:
        admin = make_engine(self.admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    def drop_all(self) -> None:
        admin = make_engine(self.admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for suffix in ("test", "demo", "empty"):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.prefix}_{suffix}" WITH (FORCE)'))
        admin.dispose()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    """An empty migrated SQLite file and a seeded one, built once per test process."""
    folder = tmp_path_factory.mktemp("templates")
    empty, demo = folder / "empty.db", folder / "demo.db"
    upgrade(f"sqlite:///{empty}")
    shutil.copyfile(empty, demo)
    _seed(f"sqlite:///{demo}")  # disposing the engine checkpoints the WAL into the file
    return SqliteTemplates(empty, demo)


@pytest.fixture(scope="session")
def postgres_templates() -> Iterator[PostgresTemplates]:
    """The same two templates as databases beside TEST_POSTGRES_URL's, one pair per test process (named by its
    pid, so two test runs on one server never meet), dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need TEST_POSTGRES_URL (CI sets it)")
    templates = PostgresTemplates(POSTGRES_URL, f"alliance_test_{_worker()}_{os.getpid()}")
    upgrade(templates.create(f"{templates.prefix}_empty"))
    templates.create(f"{templates.prefix}_demo", f"{templates.prefix}_empty")
    _seed(templates.url(f"{templates.prefix}_demo"))
    yield templates
    templates.drop_all()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated database of each kind, of this test's own; seeded when the test uses `demo`."""
    seeded = "demo" in request.fixturenames
    if request.param == "postgres":
        return request.getfixturevalue("postgres_templates").copy(seeded=seeded)  # type: ignore[no-any-return]
    templates: SqliteTemplates = request.getfixturevalue("sqlite_templates")
    return templates.copy(tmp_path / "test.db", seeded=seeded)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_templates: PostgresTemplates) -> str:
    """An empty migrated PostgreSQL database of this test's own, for what only PostgreSQL has (several replicas
    on one database); skipped, and said so, without TEST_POSTGRES_URL."""
    return postgres_templates.copy(seeded=False)


@pytest.fixture
def postgres_demo_url(postgres_templates: PostgresTemplates) -> str:
    """The same, with the demo Alliance seeded."""
    return postgres_templates.copy(seeded=True)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def core(engine: Engine, clock: ManualClock) -> Core:
    return Core(engine, clock, CoreConfig())


@pytest.fixture
def demo(engine: Engine, clock: ManualClock, core: Core) -> Dialog:
    """The demo Alliance (seeded at START, no history), and a dialog helper to talk to the bot as its people."""
    return Dialog(core, engine, clock)


WAITING = ("tests/bot/e2e/test_replicas.py",)  # mostly wait (a frozen leader, restarts): best begun first


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that mostly wait go first, so their worker waits while the others do the CPU-bound rest, instead
    of the whole run waiting for them at its end."""
    items.sort(key=lambda item: not item.nodeid.startswith(WAITING))
