"""Engines and sessions: SQLite in WAL mode by default, PostgreSQL through the URL; migrations via Alembic.

`Session` and `Engine` are re-exported here: handlers/ and scheduler/ name them for their types, and reach the
database itself only through the functions of models/ (an import-linter contract checks it)."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine as Engine
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlmodel import Session as Session
from sqlmodel import create_engine

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
READ_ONLY = "alliance_read_only"  # an execution option: this session only reads (see read_scope)
_WRITING = "alliance_writing"  # in a connection's info while its transaction holds this process's writer lock
UNMAPPED = "alliance_unmapped"  # an execution option: a report that reads SQLite without the memory map
_MAP_OFF = "alliance_map_off"  # in a SQLite connection's info while its map is off (its last unit was a report)
_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_TURN = threading.local()  # `lock`: the writer lock this thread holds for a whole unit of work (session_scope)


def writer_lock(engine: Engine) -> threading.Lock | None:
    """The lock this process's SQLite writers queue on (None on PostgreSQL, where rows are locked, not files)."""
    return _WRITERS.get(engine)


# No unit of work waits for anything but the database inside a transaction: its longest pause between statements
# is Python's own (a digest's pandas, well under a second at 1,000 sites). A longer one is a frozen process, whose
# row locks would otherwise stall every message that needs those rows (and the few database threads they wait on).
IDLE_IN_TRANSACTION_MS = 15_000
SQLITE_MMAP_BYTES = 256 * 1024 * 1024  # at most this much of the file is mapped


def make_engine(url: str, *, echo: bool = False, pool_size: int = 5, application_name: str | None = None) -> Engine:
    """Build the engine; SQLite connections get WAL, a busy timeout, foreign keys and immediate writes. On
    PostgreSQL `application_name` names this process's connections (pg_stat_activity: how replicas tell whether
    another one is still alive)."""
    if url.startswith("sqlite"):
        # Last in, first out: the next unit of work takes the connection the last one gave back (see _writer_turn).
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False}, pool_use_lifo=True)
        _tune_sqlite(engine)
        return engine
    # A process frozen inside a transaction (a stopped replica) holds its row locks at most this long.
    connect_args = {"options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"}
    if application_name:
        connect_args["application_name"] = application_name
    engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size, connect_args=connect_args)
    # Several rows inserted at once (a shift's timers, a [Send]'s offers and replies) go as one INSERT of many
    # VALUES, as SQLAlchemy does for psycopg2, rather than psycopg's pipeline of one INSERT per row: a quarter
    # less client CPU for each such write, and one statement for the server.
    engine.dialect.use_insertmanyvalues_wo_returning = True
    _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """A pooled connection idle for `PING_AFTER_IDLE_SECONDS` is pinged before it is handed out, and replaced if
    the server has gone (restarted, failed over, or it cut the connection); one given back moments ago is not.
    SQLAlchemy's `pool_pre_ping` pings on every checkout: one round trip more for each unit of work, about a
    tenth of a short message's. A connection that died within the second is found by its first statement:
    SQLAlchemy then replaces every connection in the pool, and `Core` tries the message again (`disconnected`)."""

    @event.listens_for(engine, "checkin")
    def _given_back(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return  # just connected, or just used
        dialect = engine.dialect
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as problem:
            if dialect.is_disconnect(problem, dbapi_connection, None):
                raise DisconnectionError() from problem  # the pool connects afresh and hands out the new one
            raise


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of the driver's deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Pages are read through a memory map rather than a read() each: every connection re-reads what another
        # one changed, many times a second here (bench/drain.py and a message's CPU: about a tenth less).
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        # A statement that may have to be undone on its own (one in a savepoint, a write of several rows) keeps its
        # undo journal in memory, not in a file created and unlinked in /var/tmp each time.
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    # SQLite has one writer at a time; a writer that finds the lock taken sleeps in SQLite's busy handler, in
    # steps growing to 100 ms, so ten writers at once (a person's message, the dispatcher's round, the ticker)
    # wait hundreds of milliseconds for locks held a few. This process's writers queue on a lock of its own
    # instead and start the moment the last one has committed (its connection back in the pool); other
    # processes still meet busy_timeout. A unit of work (session_scope) takes it before its connection; a
    # transaction begun any other way, when it begins.
    writers = _WRITERS[engine] = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A deferred transaction that later writes can fail with "database is locked" at once;
        # IMMEDIATE waits for the writer lock up front, honouring busy_timeout. A read-only one never takes the
        # writer lock: in WAL mode it reads its snapshot while others write.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        if not read_only and not connection.info.get(_WRITING) and getattr(_TURN, "lock", None) is not writers:
            # Past the wait, SQLite's own busy_timeout decides, as for a writer in another process.
            connection.info[_WRITING] = writers.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        # A report (`read_scope(..., unmapped=True)`) reads through SQLite's own small page cache, not the map: a
        # year's counts touch index pages all over the file, and mapped they all count in the process's RSS (402
        # MiB at the peak for a million shifts, against 164 without; no slower). Every other unit of work keeps
        # the map; the one after a report on the same connection turns it back on.
        unmapped = bool(connection.get_execution_options().get(UNMAPPED, False))
        if unmapped != connection.info.get(_MAP_OFF, False):
            connection.exec_driver_sql(f"PRAGMA mmap_size={0 if unmapped else SQLITE_MMAP_BYTES}")
            connection.info[_MAP_OFF] = unmapped
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    def _released(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        """Back in the pool (committed or rolled back), or closed: the next writer may begin."""
        if record is not None and record.info.pop(_WRITING, False):
            writers.release()

    event.listen(engine.pool, "checkin", _released)
    event.listen(engine.pool, "invalidate", _released)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits when the block ends normally, rolls back on an exception."""
    with _writer_turn(engine), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def _writer_turn(engine: Engine) -> Iterator[None]:
    """On SQLite, a unit of work that may write waits for this process's writer lock before it takes a connection
    from the pool, not after. Writers then take turns on the connection the last one gave back, whose page cache
    still holds what it wrote; each writer on a connection of its own would first read again every page another
    one had changed (about a tenth of a message's CPU). A reading unit, or one of a thread already holding the
    lock, does not wait; past busy_timeout, the transaction's own begin tries again, then SQLite decides."""
    lock = writer_lock(engine)
    if lock is None or engine.get_execution_options().get(READ_ONLY) or getattr(_TURN, "lock", None) is lock:
        yield
        return
    held = lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    _TURN.lock = lock if held else None
    try:
        yield
    finally:
        if held:
            _TURN.lock = None
            lock.release()


@contextmanager
def read_scope(engine: Engine, *, unmapped: bool = False) -> Iterator[Session]:
    """A unit of work that only reads (a report, the digest): one consistent snapshot that holds no write lock —
    a deferred transaction on SQLite, a READ ONLY one on PostgreSQL. Ended like `session_scope` (a commit
    keeps the rows read usable afterwards; there is nothing to write). `unmapped`: a report that reads much of
    the database, through SQLite's page cache rather than its memory map (see `_tune_sqlite`)."""
    options: dict[str, Any] = {READ_ONLY: True, UNMAPPED: unmapped}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    with session_scope(engine.execution_options(**options)) as session:
        yield session


def disconnected(problem: BaseException) -> bool:
    """The unit of work lost its connection to the server (a restart, a failover), and the pool has been
    replaced: trying it again starts afresh. Lost during its COMMIT, it may have been committed all the same; a
    message tried again then finds its event id in the inbox and changes nothing."""
    return isinstance(problem, DBAPIError) and problem.connection_invalidated


def database_busy(problem: BaseException) -> bool:
    """The database could not be written now because another transaction holds its lock (SQLite's "database is
    locked" after busy_timeout): worth waiting and trying the whole unit of work again."""
    return isinstance(problem, OperationalError) and "database is locked" in str(problem.orig)


@contextmanager
def one_session(url: str) -> Iterator[Session]:
    """A unit of work on a database of its own engine, closed afterwards (a CLI command's single transaction)."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class NewerDatabase(Exception):
    """The database was migrated by a newer release: its revision is none this release knows."""

    def __init__(self, revision: str) -> None:
        super().__init__(f"the database is at migration {revision}, which this release does not know")
        self.revision = revision


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision` (normally the newest); `NewerDatabase` when a newer release has
    already migrated it further than this one knows (an older release started during a rollout, or after one)."""
    config = alembic_config(url)
    try:
        command.upgrade(config, revision)
    except CommandError as problem:
        current = _current_revision(url)
        if current is not None and not _knows(config, current):
            raise NewerDatabase(current) from problem
        raise


def _current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _knows(config: Config, revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(config).get_revision(revision) is not None
    except CommandError:
        return False
