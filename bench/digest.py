"""How fast the weekly digest is at scale: 1,000 sites × 52 weeks of history (about a million shifts).

Run: .venv/bin/python bench/digest.py [--url sqlite:///digest-bench.db] [--sites 1000] [--weeks 52]
Prints the time and peak memory (tracemalloc) to compute one week's digest, its files (chart, CSV, XLSX) and the
year's weekly fill-rate trend, next to the time of merely reading the rows each needs. Targets: one week under 1 s
and under twice its read time; the chart well under a second.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from models.cover.tables import CoverRequest, Shift  # noqa: E402
from models.db import make_engine, session_scope, upgrade  # noqa: E402
from models.roster.tables import Person, Room, Site  # noqa: E402
from models.surveys.tables import SiteMetric  # noqa: E402
from scheduler.digest import build, chart  # noqa: E402
from scheduler.digest.files import attachments  # noqa: E402
from scheduler.metrics import load  # noqa: E402
from scheduler.metrics.weeks import week_of  # noqa: E402

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 08:00 in New York
REASONS = ("sick", "sick", "personal", "planning", "planning", "reflection", "training")


def populate(url: str, sites: int, weeks: int, rng: random.Random) -> int:
    upgrade(url)
    engine = make_engine(url)
    this_monday = week_of(NOW, NY).start
    total = 0
    with session_scope(engine) as s:
        s.execute(
            insert(Site),
            [
                {
                    "id": i,
                    "name": f"Site {i:04}",
                    "timezone": "America/New_York",
                    "opens": datetime.min.time().replace(hour=6),
                    "closes": datetime.min.time().replace(hour=19),
                    "address": "",
                    "bring": "",
                }
                for i in range(1, sites + 1)
            ],
        )
        s.execute(
            insert(Room),
            [{"id": i, "site_id": i, "name": "Room", "age_group": "preschool"} for i in range(1, sites + 1)],
        )
        s.execute(
            insert(Person),
            [
                {
                    "id": i,
                    "name": f"Teacher {i}",
                    "site_id": i,
                    "room_id": i,
                    "email": "",
                    "phone": "",
                    "language": "en",
                    "active": True,
                }
                for i in range(1, sites + 1)
            ],
        )
        s.execute(
            insert(CoverRequest),
            [
                {"id": i, "requester_id": i, "site_id": i, "room_id": i, "reason": "planning", "created_at": NOW}
                for i in range(1, sites + 1)
            ],
        )
    for week in range(weeks, -1, -1):
        monday = this_monday - timedelta(weeks=week)
        rows: list[dict[str, Any]] = []
        for site in range(1, sites + 1):
            for _ in range(rng.randint(14, 24)):
                starts = monday + timedelta(days=rng.randint(0, 4), hours=rng.choice((12, 13, 14, 17, 18)))
                requested = starts - timedelta(hours=rng.choice((1, 2, 20, 48, 96)))
                filled = rng.random() < 0.87
                rows.append(
                    {
                        "request_id": site,
                        "site_id": site,
                        "room_id": site,
                        "age_group": "preschool",
                        "reason": rng.choice(REASONS),
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=4),
                        "status": "filled" if filled else "open",
                        "floater_id": None,
                        "requested_at": requested,
                        "accepted_at": requested + timedelta(minutes=rng.randint(5, 300)) if filled else None,
                        "assigned_by_hub": False,
                    }
                )
        with session_scope(engine) as s:
            s.execute(insert(Shift), rows)
            label = week_of(monday, NY).label
            s.execute(
                insert(SiteMetric),
                [
                    {"site_id": site, "key": key, "period": label, "value": value, "recorded_at": NOW}
                    for site in range(1, sites + 1)
                    if site % 10
                    for key, value in (("enrolled_fte", 50.0 + site % 9), ("staffed_capacity_fte", 60.0))
                ],
            )
        total += len(rows)
    engine.dispose()
    return total


def measure(label: str, work: Callable[[], object]) -> float:
    """Time on a plain run; peak memory on a second run under tracemalloc (which slows Python down)."""
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<52} {elapsed * 1000:>9.0f} ms {peak / 2**20:>9.1f} MiB peak")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'digest-bench.db'}"
    started = time.perf_counter()
    count = populate(url, args.sites, args.weeks, random.Random(11))
    print(
        f"built {args.sites} sites × {args.weeks + 1} weeks: {count:,} shifts in {time.perf_counter() - started:.0f} s"
    )
    engine = make_engine(url)
    week = week_of(NOW, NY).previous()
    year_start = week.start - timedelta(weeks=args.weeks)

    def read_week() -> None:
        with session_scope(engine) as session:
            load.shifts(session, start=week.previous().start, end=week.end)
            load.events(session, start=week.previous().start, end=week.end)
            load.site_metrics(session, periods=[week.label, week.previous().label])
            load.site_names(session)

    def digest_week() -> None:
        with session_scope(engine) as session:
            build.table(build.build(session, week, NOW))

    def read_year() -> pd.DataFrame:
        with session_scope(engine) as session:
            return load.shifts(session, start=year_start, end=week.end)

    def year_trend() -> None:
        shifts = read_year()
        live = shifts[shifts["status"] != "cancelled"]
        weeks = live["starts_at"].dt.tz_convert(NY).dt.tz_localize(None).dt.to_period("W-SUN")
        (live["status"] == "filled").groupby(weeks).mean()

    with session_scope(engine) as session:
        built = build.build(session, week, NOW)
    chart.png(built, "en")  # matplotlib is imported once per process, at the first digest

    print(f"{'':<52} {'time':>12} {'memory':>14}")
    read = measure("read the rows one week's digest needs", read_week)
    one = measure("one week's digest (read + compute, every site)", digest_week)
    measure("its chart (the attention sites and the Alliance)", lambda: chart.png(built, "en"))
    measure("its files (chart, CSV, XLSX of every site)", lambda: attachments(built, "en"))
    measure("read the year's rows", read_year)
    measure("the year's weekly fill-rate trend (read + compute)", year_trend)
    print(f"one week: {one:.2f} s = {one / read:.1f} × its read time (targets: < 1 s and < 2 ×)")
    engine.dispose()


if __name__ == "__main__":
    main()
