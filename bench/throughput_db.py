"""The Alliance bench/throughput.py runs on: a generated roster, everyone linked on both platforms, on SQLite or a
PostgreSQL database the bench creates and drops."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from databases import bench_database  # noqa: E402  (bench/ is on the path)


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """A generated Alliance (bench/dispatch.py's) with teachers and floaters linked on both platforms, in a new
    SQLite file in `folder`, or in the PostgreSQL database of `url`, made for the bench and dropped after it."""
    with bench_database(url or f"sqlite:///{folder / 'throughput.db'}", "throughput.db") as made:
        yield prepare(made)


def prepare(url: str) -> str:
    from dispatch import FLOATERS, NOW, SITES, build, gather_statistics
    from sqlalchemy import insert, text

    from models.cover.tables import CoverRequest, Shift
    from models.db import make_engine, session_scope
    from models.roster.tables import ChatIdentity, Person, Room, Site

    build(url, random.Random(3))
    engine = make_engine(url)
    with session_scope(engine) as session:
        people = range(1, SITES + FLOATERS + 1)
        session.execute(
            insert(ChatIdentity),
            [
                {"platform": p, "platform_user_id": u, "person_id": i, "chat_id": c, "linked_at": NOW}
                for i in people
                for p, u, c in (("telegram", str(i), str(i)), ("slack", f"U{i}", f"D{i}"))
            ],
        )
        if engine.dialect.name == "postgresql":  # build() gave explicit ids: move each sequence past them
            for table in (t.__tablename__ for t in (Site, Room, Person, CoverRequest, Shift, ChatIdentity)):
                session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    gather_statistics(engine)
    engine.dispose()
    return url


def seen_on(url: str, platform: str) -> None:
    """Everyone's account on `platform` is the one she used last: offers go out there (linked on both with no
    visit, the tie would send a Slack run's offers by Telegram, and time Telegram's client in the Slack figures)."""
    from datetime import UTC, datetime

    from sqlalchemy import update
    from sqlmodel import col

    from models.db import make_engine, session_scope
    from models.roster.tables import ChatIdentity

    engine = make_engine(url)
    with session_scope(engine) as session:
        seen = update(ChatIdentity).where(col(ChatIdentity.platform) == platform).values(last_seen_at=datetime.now(UTC))
        session.execute(seen)
    engine.dispose()


def settled(url: str) -> None:
    """The statistics autovacuum keeps on a running server's tables, gathered now (on PostgreSQL): the warm-up
    has just written the first outbox rows, cover requests and conversations, into tables that were empty, or
    nearly, when the Alliance was built; planned on those figures, each round of the dispatcher read the whole
    outbox (a few thousand rows by the end of a bench) where a running server reads a few rows by index."""
    from dispatch import gather_statistics

    from models.db import make_engine

    engine = make_engine(url)
    gather_statistics(engine)
    engine.dispose()
