"""How fast the weekly digest is at scale: 1,000 sites × 52 weeks of history (about a million shifts).

Run: .venv/bin/python bench/digest.py [--url postgresql+psycopg://…/bench] [--sites 1000] [--weeks 52] [--pandas]
Without --url it builds a fresh SQLite file; a database that already holds shifts is used as it is.
Each step runs in a fresh process of its own (so its memory is its own), three times: it prints the median time,
the process's peak RSS (VmHWM: the interpreter, the libraries and the step — what a server would hold) and
how much of it the step added. Targets: one week's digest with its files < 2 s; the year's trend (counted in
SQL) < 2 s and < 200 MiB. --pandas also times the year's trend the old way, every shift read into pandas.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from databases import bench_database  # noqa: E402  (this script's folder, bench/, is on the path)
from sqlalchemy import Engine, func, insert, select, text  # noqa: E402

from models.cover.tables import CoverRequest, Shift  # noqa: E402
from models.db import Session, make_engine, read_scope, session_scope, upgrade  # noqa: E402
from models.roster.tables import Person, Room, Site  # noqa: E402
from models.surveys.tables import SiteMetric  # noqa: E402
from scheduler.metrics.weeks import Week, week_of  # noqa: E402

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 08:00 in New York
REASONS = ("sick", "sick", "personal", "planning", "planning", "reflection", "training")


def populate(url: str, sites: int, weeks: int, rng: random.Random) -> int:
    """Sites, one teacher each, and 14–24 shifts per site and week; the count of shifts (existing ones kept)."""
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        existing = int(s.execute(select(func.count()).select_from(Shift)).scalar_one())
    if existing:
        engine.dispose()
        return existing
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
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))  # the planner's statistics, as a database in use has them
    engine.dispose()
    return total


Work = Callable[[], object]


def _week() -> Week:
    return week_of(NOW, NY).previous()


def reading(engine: Engine) -> AbstractContextManager[Session]:
    """A step's read, as the ticker reads for a report task: one snapshot, not through SQLite's memory map."""
    return read_scope(engine, unmapped=True)


def read_week(engine: Engine, weeks: int) -> Work:
    from scheduler.metrics import load

    week = _week()

    def work() -> None:
        with reading(engine) as session:
            load.shifts(session, start=week.previous().start, end=week.end)
            load.events(session, start=week.previous().start, end=week.end)
            load.site_metrics(session, periods=[week.label, week.previous().label])
            load.site_names(session)

    return work


def digest_week(engine: Engine, weeks: int) -> Work:
    from scheduler.digest import build

    def work() -> None:
        with reading(engine) as session:
            build.table(build.build(session, _week(), NOW))

    return work


def _built(engine: Engine) -> Any:
    from scheduler.digest import build

    with reading(engine) as session:
        return build.build(session, _week(), NOW)


def its_chart(engine: Engine, weeks: int) -> Work:
    from scheduler.digest import chart

    built = _built(engine)
    return lambda: chart.png(built, "en")


def its_files(engine: Engine, weeks: int) -> Work:
    from scheduler.digest.files import attachments

    built = _built(engine)
    return lambda: attachments(built, "en")


def monday_message(engine: Engine, weeks: int) -> Work:
    from handlers.context import CoreConfig
    from handlers.contract import Recipient, RecipientKind
    from scheduler.digest.schedule import message

    to = Recipient(RecipientKind.CHANNEL, channel=("slack", "C0HUB"))

    def work() -> None:
        with reading(engine) as session:
            message(session, week_label=_week().label, config=CoreConfig(), now=NOW, to=to)

    return work


def trend_sql(engine: Engine, weeks: int) -> Work:
    from scheduler.metrics.trend import weekly_fill, weeks_up_to

    def work() -> None:
        with reading(engine) as session:
            weekly_fill(session, weeks_up_to(_week(), weeks))

    return work


def trend_pandas(engine: Engine, weeks: int) -> Work:
    from scheduler.metrics import load

    week = _week()
    start = week.start - timedelta(weeks=weeks - 1)

    def work() -> None:
        with reading(engine) as session:
            shifts = load.shifts(session, start=start, end=week.end)
        live = shifts[shifts["status"] != "cancelled"]
        by_week = live["starts_at"].dt.tz_convert(NY).dt.tz_localize(None).dt.to_period("W-SUN")
        (live["status"] == "filled").groupby(by_week).mean()

    return work


STEPS: dict[str, tuple[str, Callable[[Engine, int], Work]]] = {
    "read": ("read the rows one week's digest needs", read_week),
    "digest": ("one week's digest (read + compute, every site)", digest_week),
    "chart": ("its chart (the attention sites and the Alliance)", its_chart),
    "files": ("its files (chart, CSV, XLSX of every site)", its_files),
    "message": ("one week's digest with its files (the Monday task)", monday_message),
    "trend": ("the year's weekly fill-rate trend, counted in SQL", trend_sql),
    "pandas": ("the same trend in pandas (every shift read)", trend_pandas),
}


def _memory() -> tuple[int, int]:
    """This process's peak RSS and the part of its RSS now mapped from files (the libraries' code; a SQLite
    database read through its memory map would count there too), in bytes.
    The peak is Linux's VmHWM, which starts afresh at exec; getrusage's ru_maxrss does not (a child of a large
    parent reports the parent's size until it outgrows it)."""
    status = Path("/proc/self/status")
    if not status.exists():  # not Linux: the peak alone (macOS reports bytes, the BSDs KiB)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return (peak if sys.platform == "darwin" else peak * 1024), 0
    fields = {
        line.split(":")[0]: int(line.split()[1]) * 1024
        for line in status.read_text().splitlines()[1:]
        if line.endswith(" kB")
    }
    return fields["VmHWM"], fields.get("RssFile", 0)


def _run_step(url: str, step: str, weeks: int, runs: int) -> tuple[list[float], int, int, int]:
    """In the child process: set the step up, then run it `runs` times; (times, peak RSS before, peak RSS after,
    mapped from files after)."""
    engine = make_engine(url)
    work = STEPS[step][1](engine, weeks)
    before, _ = _memory()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    peak, mapped = _memory()  # before the connections close: SQLite's mapping of the database goes with them
    engine.dispose()
    return times, before, peak, mapped


def measure(url: str, step: str, weeks: int, runs: int = 3) -> tuple[float, float]:
    """Run one step in a fresh process; print its median time, the process's peak RSS, the step's share and how
    much of the RSS is mapped from files (the libraries' code); (median
    seconds, peak RSS in MiB)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        times, before, after, mapped = pool.apply(_run_step, (url, step, weeks, runs))
    median = statistics.median(times)
    label = STEPS[step][0]
    mib = 2**20
    print(
        f"{label:<52} {median * 1000:>8.0f} ms {after / mib:>8.0f} MiB {(after - before) / mib:>+8.0f} MiB"
        f" {mapped / mib:>8.0f} MiB"
    )
    return median, after / mib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--pandas", action="store_true", help="also the year's trend the old way (slow, 1 GiB+)")
    args = parser.parse_args()
    with bench_database(args.url, "digest-bench.db", keep=True) as url:
        started = time.perf_counter()
        count = populate(url, args.sites, args.weeks, random.Random(11))
        dialect = url.split(":", 1)[0].split("+", 1)[0]
        print(
            f"{dialect}: {args.sites} sites × {args.weeks + 1} weeks, {count:,} shifts",
            f"(ready in {time.perf_counter() - started:.0f} s)",
        )
        print(
            f"{'median of 3, each step in a process of its own':<52} {'time':>11} {'peak RSS':>12} {'step':>12}"
            f" {'from files':>12}"
        )
        read, _ = measure(url, "read", args.weeks)
        one, _ = measure(url, "digest", args.weeks)
        for step in ("chart", "files"):
            measure(url, step, args.weeks)
        monday, _ = measure(url, "message", args.weeks)
        trend, trend_mib = measure(url, "trend", args.weeks)
        if args.pandas:
            measure(url, "pandas", args.weeks, runs=1)
        print(f"one week: {one:.2f} s = {one / read:.1f} × its read time; with its files {monday:.2f} s (target < 2 s)")
        print(f"the year's trend: {trend:.2f} s, peak RSS {trend_mib:.0f} MiB (target < 2 s and < 200 MiB)")


if __name__ == "__main__":
    main()
