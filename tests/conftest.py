"""Shared fixtures: a migrated database (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set), a clock.

Which tests run on PostgreSQL too (their twin, `[postgres]`): every test that uses a database (`database_url`,
`engine`, `core`, `demo`, `history`), except under tests/handlers/, where only those marked `twin` do. All SQL is in
models/ (an import contract keeps it there), and models/, the dispatcher and outbox, the leases, the scheduler, the
digest and the command line are tested on both databases. The dialogs of tests/handlers/ reach that SQL through
models/ and mostly repeat it; of them, PostgreSQL runs one per test file (the one reaching the most of models/ that
only dialogs reach), those where transactions race (two accepts, two bookings, the last seat, a savepoint), and
enough more that together they run every line of models/ that all of handlers/' dialogs ran on PostgreSQL (coverage
by test, measured when they were chosen). A new dialog test runs on SQLite; mark it `twin` when it reaches SQL that no
other test runs on PostgreSQL.

The worlds are built once per test process, each the first time a test asks for it, as templates: an empty
migrated database (`empty`), the demo Alliance seeded at START as a quiet one (`demo`), and the same with its six
weeks of history (`history`). Each test gets its own database as its world's template is: a test that asks for
`demo` starts from `demo`, one that asks for `history` from `history`, any other from `empty`. On SQLite that is a
copy of the file. On PostgreSQL each test process has one working database that each test gets back as the
template is (see PostgresTemplates: every other session on it ended, the rows and sequences put back, rebuilt if a
test changed the schema): that costs a few milliseconds, where a `CREATE DATABASE … TEMPLATE` and a `DROP DATABASE`
for each test cost the server a fifth of a second of CPU.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, Literal

import psycopg
import pytest
from sqlalchemy import Engine, make_url

from bot.demo.seed import seed_demo
from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.service import Core
from models.db import make_engine, upgrade
from tests.dialog import Dialog

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
DIALOGS = "tests/handlers/"  # where only the tests marked `twin` run on PostgreSQL too
START = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York


World = Literal["empty", "demo", "history"]
WORLDS: tuple[World, ...] = ("empty", "demo", "history")


def _seed(url: str, world: World) -> None:
    """Seed a migrated database: the demo Alliance as a quiet one (`demo`: what most tests start from) or with
    its six weeks of history (`history`: for the digest and the reports), both at START."""
    engine = make_engine(url)
    seed_demo(engine, at=START, history=world == "history")
    engine.dispose()  # on SQLite this checkpoints the WAL into the file


@dataclass
class SqliteTemplates:
    """The worlds as SQLite files, each built the first time a test of this process asks for it."""

    folder: Path
    built: dict[World, Path] = field(default_factory=dict)

    def template(self, world: World) -> Path:
        if world not in self.built:
            path = self.folder / f"{world}.db"
            if world == "empty":
                upgrade(f"sqlite:///{path}")
            else:
                shutil.copyfile(self.template("empty"), path)
                _seed(f"sqlite:///{path}", world)
            self.built[world] = path
        return self.built[world]

    def copy(self, to: Path, world: World = "empty") -> str:
        shutil.copyfile(self.template(world), to)
        return f"sqlite:///{to}"

    def reset(self, world: World) -> str:
        """This process's working file, `test.db`, made anew as the world's template is (the last test's file,
        its WAL and its shared memory removed first: a connection it left open keeps what it had); its URL."""
        working = self.folder / "test.db"
        for leftover in (working, *(working.with_name(f"test.db{suffix}") for suffix in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        return self.copy(working, world)


# The catalog rows that make up the schema: a test that changed it (DDL) leaves a database a reset cannot restore.
_SCHEMA = """
SELECT md5(string_agg(row, ',' ORDER BY row)) FROM (
    SELECT concat_ws(':', c.relname, c.relkind, c.relnatts, c.xmin) AS row FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
    UNION ALL SELECT concat_ws(':', a.attrelid::regclass, a.attname, a.atttypid, a.attnotnull, a.atthasdef, a.xmin)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0
    UNION ALL SELECT concat_ws(':', conrelid::regclass, conname, xmin) FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace
) AS schema
"""


@dataclass(frozen=True)
class Snapshot:
    """What a template holds: each table's rows (binary COPY), each sequence's position."""

    rows: dict[str, bytes]
    sequences: tuple[list[str], list[int], list[bool]]

    @classmethod
    def of(cls, connection: psycopg.Connection[Any], tables: list[str]) -> Snapshot:
        rows = {}
        for table in tables:
            with connection.cursor().copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            if connection.execute(f'SELECT EXISTS (SELECT FROM "{table}")').fetchone() == (True,):
                rows[table] = data
        positions = connection.execute(
            "SELECT quote_ident(sequencename), coalesce(last_value, start_value), last_value IS NOT NULL"
            " FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        return cls(rows, ([p[0] for p in positions], [p[1] for p in positions], [p[2] for p in positions]))


@dataclass
class PostgresTemplates:
    """Per test process: the worlds as template databases, `{prefix}_{world}` (each built the first time a test
    asks for it), and one working database, `{prefix}_test`. `copy` gives that back as a world's template is:
    every other session on it ended, every row deleted and the template's copied back, every sequence set where
    the template's is. If the catalog's fingerprint shows that a test changed the schema, the working database is
    first made anew from the empty template."""

    admin_url: str
    prefix: str
    snapshots: dict[World, Snapshot] = field(default_factory=dict)
    schema: str = ""
    tables: list[str] = field(default_factory=list)  # each before those it refers to
    working: psycopg.Connection[Any] | None = None

    def url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def _libpq(self, name: str) -> str:
        return make_url(self.url(name)).set(drivername="postgresql").render_as_string(hide_password=False)

    def _admin(self, *statements: str) -> None:
        with psycopg.connect(self._libpq(make_url(self.admin_url).database or "postgres"), autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)  # our own names, not input

    def create(self, name: str, template: str | None = None) -> str:
        self._admin(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""),
        )
        return self.url(name)

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def build(self) -> None:
        """The empty template (migrated), what it holds, and the working database."""
        upgrade(self.create(f"{self.prefix}_empty"))
        with psycopg.connect(self._libpq(f"{self.prefix}_empty")) as template:
            self.tables = _referring_first(template)
            self.schema = _fingerprint(template)
            self.snapshots["empty"] = Snapshot.of(template, self.tables)
        self._make_working()

    def template(self, world: World) -> str:
        """The world's template database, built and its contents read the first time; its URL."""
        name = f"{self.prefix}_{world}"
        if world not in self.snapshots:
            _seed(self.create(name, f"{self.prefix}_empty"), world)
            with psycopg.connect(self._libpq(name)) as template:
                self.snapshots[world] = Snapshot.of(template, self.tables)
        return self.url(name)

    def _make_working(self) -> None:
        if self.working is not None:
            self.working.close()
        self.create(f"{self.prefix}_test", f"{self.prefix}_empty")
        self.working = psycopg.connect(self._libpq(f"{self.prefix}_test"))
        assert _fingerprint(self.working) == self.schema

    def copy(self, world: World = "empty") -> str:
        """The working database as the world's template is; its URL."""
        assert self.working is not None
        self.template(world)
        if _fingerprint(self.working) != self.schema:
            self._make_working()
        snapshot = self.snapshots[world]
        with self.working.transaction():
            self.working.execute(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            self.working.execute("; ".join(f'DELETE FROM "{table}"' for table in self.tables))
            for table, rows in reversed(snapshot.rows.items()):  # those referred to first
                with self.working.cursor().copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                    copy.write(rows)
            self.working.execute(
                "SELECT setval(name, position, called) FROM unnest(%s::text[], %s::bigint[], %s::bool[])"
                " AS sequence(name, position, called)",
                snapshot.sequences,
            )
        return self.url(f"{self.prefix}_test")

    def drop_all(self) -> None:
        if self.working is not None:
            self.working.close()
        self._admin(*(f'DROP DATABASE IF EXISTS "{self.prefix}_{suffix}" WITH (FORCE)' for suffix in ("test", *WORLDS)))


def _fingerprint(connection: psycopg.Connection[Any]) -> str:
    row = connection.execute(_SCHEMA).fetchone()
    connection.commit()
    return str(row[0] if row else "")


def _referring_first(connection: psycopg.Connection[Any]) -> list[str]:
    """The tables, each before those it refers to (the order to delete in; reversed, to insert in)."""
    tables = [row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    referred: dict[str, set[str]] = {table: set() for table in tables}  # table: the tables that refer to it
    for referring, target in connection.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
        " WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conrelid <> confrelid"
    ):
        referred[target.strip('"')].add(referring.strip('"'))
    connection.commit()
    return list(TopologicalSorter(referred).static_order())


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    """The worlds as SQLite files, each built once per test process."""
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def postgres_templates() -> Iterator[PostgresTemplates]:
    """The same worlds as databases beside TEST_POSTGRES_URL's, and the working database, per test process (named
    by its pid, so two test runs on one server never meet), dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need TEST_POSTGRES_URL (CI sets it)")
    templates = PostgresTemplates(POSTGRES_URL, f"alliance_test_{_worker()}_{os.getpid()}")
    templates.build()
    yield templates
    templates.drop_all()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "twin: a test under tests/handlers/ that runs on PostgreSQL too (see above)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses a database runs on SQLite, and on PostgreSQL too by the rule in this module's docstring."""
    chosen = any("database_url" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize"))
    if "database_url" in metafunc.fixturenames and not chosen:  # (a test may choose its kinds itself)
        kinds: list[object] = ["sqlite"]
        if twinned(metafunc.definition):
            kinds.append(pytest.param("postgres", marks=pytest.mark.postgres))
        metafunc.parametrize("database_url", kinds, indirect=True)


def twinned(test: pytest.Function) -> bool:
    return not test.nodeid.startswith(DIALOGS) or test.get_closest_marker("twin") is not None


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated database of the kind the test is parametrized with (SQLite; PostgreSQL as well by the rule above),
    of this test's own: the demo Alliance when the test uses `demo`, with its history when it uses `history`, empty
    otherwise."""
    world: World = (
        "history" if "history" in request.fixturenames else "demo" if "demo" in request.fixturenames else "empty"
    )
    if request.param == "postgres":
        return request.getfixturevalue("postgres_templates").copy(world)  # type: ignore[no-any-return]
    templates: SqliteTemplates = request.getfixturevalue("sqlite_templates")
    return templates.reset(world)


@pytest.fixture(scope="session")
def engines() -> Iterator[dict[str, Engine]]:
    """One engine per working database of this process, so per URL: `database_url` gives each test the same one
    (the test's own database, made anew). What the engine keeps from one test to the next is its SQL compiled
    for its dialect (SQLAlchemy caches that per engine: a new engine compiled every statement anew, a third of a
    dialog test's time); its connections are closed after each test."""
    made: dict[str, Engine] = {}
    yield made
    for engine in made.values():
        engine.dispose()


@pytest.fixture
def engine(database_url: str, engines: dict[str, Engine]) -> Iterator[Engine]:
    engine = engines.get(database_url) or engines.setdefault(database_url, make_engine(database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_templates: PostgresTemplates) -> str:
    """An empty migrated PostgreSQL database of this test's own, for what only PostgreSQL has (several replicas
    on one database); skipped, and said so, without TEST_POSTGRES_URL."""
    return postgres_templates.copy("empty")


@pytest.fixture
def postgres_demo_url(postgres_templates: PostgresTemplates) -> str:
    """The same, with the demo Alliance seeded."""
    return postgres_templates.copy("demo")


@pytest.fixture
def history(engine: Engine) -> Engine:
    """The engine, on the demo Alliance seeded at START with its six weeks of history (`seed_demo(engine,
    at=START)`, built once per test process and copied, as `demo`'s is)."""
    return engine


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


# The tests that mostly wait (a frozen leader, replicas killed and restarted, messages paced by rate limits), the
# longest first: each is best begun at once on a test process of its own, beside the CPU-bound rest.
WAITING = (
    "tests/bot/e2e/test_replicas.py::test_a_frozen_leader_is_replaced_and_sends_nothing_twice_when_it_wakes",
    "tests/bot/e2e/test_replicas.py::test_killing_either_replica_during_a_burst_of_requests_and_accepts_loses_nothing",
    "tests/bot/e2e/test_delivery.py::test_every_message_arrives_once_despite_faults_and_within_the_rate_limits",
    "tests/bot/e2e/test_replicas.py::test_cutting_the_leaders_lease_connection_delivers_every_message_once",
    "tests/bot/e2e/test_slack.py::test_slack_messages_arrive_once_despite_faults_within_the_rate_limit",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `--dist worksteal` each of the N test processes starts on its own N-th of the list, in order, and
    takes tests from the end of another's when its own run out. Each share begins with one of the tests that mostly
    wait (the rest of them follow the first ones), so their waiting overlaps the CPU-bound rest instead of making
    the whole run wait for them at its end."""
    rank = {nodeid: n for n, nodeid in enumerate(WAITING)}
    waiting = sorted((item for item in items if item.nodeid in rank), key=lambda item: rank[item.nodeid])
    rest = [item for item in items if item.nodeid not in rank]
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    heads: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for n, item in enumerate(waiting):  # the longest to the first shares, the next round back from the last
        turn, place = divmod(n, workers)
        heads[place if turn % 2 == 0 else workers - 1 - place].append(item)
    ordered: list[pytest.Item] = []
    for n in range(workers):  # as worksteal cuts the list: each share is what is left over the processes left
        share = (len(items) - len(ordered)) // (workers - n)
        ordered += heads[n] + rest[: max(0, share - len(heads[n]))]
        del rest[: max(0, share - len(heads[n]))]
    items[:] = ordered + rest
