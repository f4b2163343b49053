"""How fast a teacher finds and books reflective supervision in a large Alliance (SQLite by default).

Run: .venv/bin/python bench/supervision.py [--url sqlite:///rs-bench.db] [--runs 50]
Builds 200 sites (10 rooms each), 2,000 teachers (each with her room and one of 100 supervisors), 2,000 floaters
with age groups and credentials (half the sites with three favourites, who may not suit the room), and a term of
12 weeks of sessions: three weekly series per supervisor (3,600 sessions, 1–4 seats, at a site or by video), a
fifth of the next fortnight's seats already taken. Then times, per teacher: (a) the sessions that fit her
(`bookable`, the next 14 days, 8 of them, her own supervisor's first), and (b) booking one through the
supervision service — the seat, her classroom's cover request and its first offers, the timers, the messages in
the outbox — committed. Targets: (a) under 50 ms, (b) under 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from databases import bench_database  # noqa: E402  (this script's folder, bench/, is on the path)
from figures import percentile  # noqa: E402
from sqlalchemy import Engine, insert  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

import handlers.commands  # noqa: E402, F401  (registers the subscribers: offers, the teacher's messages)
from handlers.bus import bus  # noqa: E402
from handlers.clock import ManualClock  # noqa: E402
from handlers.context import CoreConfig, Ctx  # noqa: E402
from handlers.delivery import enqueue_replies  # noqa: E402
from handlers.supervision import service  # noqa: E402
from models.cover.tables import Offer, SitePreference  # noqa: E402
from models.db import make_engine, session_scope, upgrade  # noqa: E402
from models.roster.tables import Credential, Person, PersonAgeGroup, PersonRole, Room, Site  # noqa: E402
from models.supervision import writes  # noqa: E402
from models.supervision.queries import Offered, bookable  # noqa: E402
from models.supervision.tables import SupervisionBooking, SupervisionSeries, SupervisionSession  # noqa: E402

SITES, ROOMS, TEACHERS, FLOATERS, SUPERVISORS = 200, 10, 2000, 2000, 100
WEEKS, PER_WEEK = 12, 3
GROUPS = ("infant", "toddler", "preschool", "school_age")
NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York
MONDAY = date(2026, 11, 30)
FLOATER_0, SUPERVISOR_0 = TEACHERS, TEACHERS + FLOATERS  # person ids: teachers 1…, floaters, supervisors


def build(url: str, rng: random.Random) -> None:
    """The Alliance and the term's sessions, in bulk."""
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        _roster(s, rng)
        _term(s, rng)
    engine.dispose()


def _roster(s: Session, rng: random.Random) -> None:
    opens, closes = datetime.min.time().replace(hour=6), datetime.min.time().replace(hour=18, minute=30)
    s.execute(
        insert(Site),
        [
            {"id": i, "name": f"Site {i}", "timezone": "America/New_York", "opens": opens, "closes": closes}
            for i in range(1, SITES + 1)
        ],
    )
    s.execute(
        insert(Room),
        [
            {"id": (i - 1) * ROOMS + r + 1, "site_id": i, "name": f"Room {r}", "age_group": GROUPS[r % 4]}
            for i in range(1, SITES + 1)
            for r in range(ROOMS)
        ],
    )
    people = [
        {
            "id": t,
            "name": f"Teacher {t}",
            "site_id": (t - 1) // ROOMS + 1,
            "room_id": t,
            "language": "en",
            "supervisor_id": SUPERVISOR_0 + (t - 1) % SUPERVISORS + 1,
        }
        for t in range(1, TEACHERS + 1)
    ]
    people += [{"id": FLOATER_0 + f, "name": f"Floater {f}", "language": "en"} for f in range(1, FLOATERS + 1)]
    people += [{"id": SUPERVISOR_0 + v, "name": f"Supervisor {v}", "language": "en"} for v in range(1, SUPERVISORS + 1)]
    s.execute(
        insert(Person),
        [
            {"email": "", "phone": "", "active": True, "site_id": None, "room_id": None, "supervisor_id": None, **p}
            for p in sorted(people, key=lambda p: -int(str(p["id"])))  # supervisors first: teachers point to them
        ],
    )
    roles = [{"person_id": t, "role": "teacher"} for t in range(1, TEACHERS + 1)]
    roles += [{"person_id": FLOATER_0 + f, "role": "floater"} for f in range(1, FLOATERS + 1)]
    roles += [{"person_id": SUPERVISOR_0 + v, "role": "supervisor"} for v in range(1, SUPERVISORS + 1)]
    s.execute(insert(PersonRole), roles)
    groups, credentials = [], []
    for f in range(FLOATER_0 + 1, FLOATER_0 + FLOATERS + 1):
        groups += [{"person_id": f, "age_group": g} for g in rng.sample(GROUPS, rng.randint(1, 3))]
        cpr = date(2027, 6, 30) if rng.random() > 0.1 else date(2026, 10, 1)
        credentials += [
            {"person_id": f, "code": "background_check", "expires_on": None},
            {"person_id": f, "code": "cpr_first_aid", "expires_on": cpr},
        ]
        if rng.random() > 0.4:
            credentials.append({"person_id": f, "code": "infant_toddler", "expires_on": None})
    s.execute(insert(PersonAgeGroup), groups)
    s.execute(insert(Credential), credentials)
    floaters = range(FLOATER_0 + 1, FLOATER_0 + FLOATERS + 1)
    favourites = {(site, rng.choice(floaters)) for site in range(1, SITES + 1, 2) for _ in range(3)}
    s.execute(insert(SitePreference), [{"site_id": a, "floater_id": b, "kind": "favourite"} for a, b in favourites])


def _term(s: Session, rng: random.Random) -> None:
    """Three weekly series per supervisor, each on its weekday and hour, at one of her teachers' sites or online."""
    series: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    bookings: list[dict[str, Any]] = []
    for v in range(1, SUPERVISORS + 1):
        supervisor = SUPERVISOR_0 + v
        for k in range(PER_WEEK):
            series_id = len(series) + 1
            series.append({"id": series_id, "supervisor_id": supervisor, "repeat": "weekly", "created_at": NOW})
            weekday, hour = (v + 2 * k) % 5, 9 + (v + k) % 6
            site = None if rng.random() < 0.3 else ((v - 1) + SUPERVISORS * rng.randint(0, 19)) // ROOMS + 1
            capacity = rng.randint(1, 4)
            for week in range(WEEKS):
                day = MONDAY + timedelta(weeks=week, days=weekday)
                starts = datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=NY).astimezone(UTC)
                sessions.append(
                    {
                        "id": len(sessions) + 1,
                        "supervisor_id": supervisor,
                        "series_id": series_id,
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=1),
                        "capacity": capacity,
                        "site_id": site,
                        "room_id": None,
                        "status": "open",
                        "created_at": NOW,
                    }
                )
                if week < 2 and rng.random() < 0.2:
                    bookings.append(
                        {
                            "session_id": len(sessions),
                            "teacher_id": rng.randint(1, TEACHERS),
                            "status": "confirmed",
                            "booked_at": NOW,
                            "changed_at": NOW,
                        }
                    )
    s.execute(insert(SupervisionSeries), series)
    s.execute(insert(SupervisionSession), sessions)
    s.execute(insert(SupervisionBooking), bookings)


def fitting(engine: Engine, teacher: int) -> list[Offered]:
    with session_scope(engine) as session:
        return bookable(
            session,
            teacher_id=teacher,
            own_supervisor_id=SUPERVISOR_0 + (teacher - 1) % SUPERVISORS + 1,
            start=NOW,
            end=NOW + timedelta(days=14),
            limit=8,
        )


def book(engine: Engine, clock: ManualClock, config: CoreConfig, teacher: int, session_id: int) -> int | None:
    """One unit of work as a [Book] press has it: the service, its events delivered, the outbox, the commit.
    Returns the cover shift it asked for."""
    with session_scope(engine) as session:
        ctx = Ctx(session, clock, config, bus)
        booking = service.book(ctx, session_id=session_id, teacher_id=teacher)
        replies = bus.deliver(ctx)
        enqueue_replies(session, replies, at=ctx.now, config=config)
        return booking.shift_id


def offers_of(engine: Engine, shift_id: int | None) -> int:
    with session_scope(engine) as session:
        return len(session.exec(select(Offer.id).where(Offer.shift_id == shift_id)).all())


def seat(engine: Engine, teacher: int, session_id: int) -> None:
    """The seat alone (models.supervision.writes.book), without cover, for comparison; rolled back."""
    with Session(engine) as session:
        writes.book(session, session_id=session_id, teacher_id=teacher, at=NOW)
        session.rollback()


def since(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def stats(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), percentile(ordered, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default=None, help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(11)
    with bench_database(args.url, "rs-bench.db") as url:
        started = time.perf_counter()
        build(url, rng)
        built = time.perf_counter() - started
        print(f"built {SITES} sites, {TEACHERS} teachers, {FLOATERS} floaters, {SUPERVISORS} supervisors and")
        print(f"{SUPERVISORS * PER_WEEK * WEEKS} sessions in {built:.1f} s")

        engine = make_engine(url)
        clock, config = ManualClock(NOW), CoreConfig()
        find_ms: list[float] = []
        seat_ms: list[float] = []
        book_ms: dict[bool, list[float]] = {True: [], False: []}  # first tier: the site's favourites / everyone
        offers: dict[bool, list[int]] = {True: [], False: []}
        for teacher in rng.sample(range(1, TEACHERS + 1), args.runs):
            began = time.perf_counter()
            offered = fitting(engine, teacher)
            find_ms.append(since(began))
            free = next(o for o in offered if not o.full)
            began = time.perf_counter()
            seat(engine, teacher, free.session.id or 0)
            seat_ms.append(since(began))
            began = time.perf_counter()
            shift_id = book(engine, clock, config, teacher, free.session.id or 0)
            elapsed, sent = since(began), offers_of(engine, shift_id)
            favourites = sent <= 3
            book_ms[favourites].append(elapsed)
            offers[favourites].append(sent)
        engine.dispose()

        rows = [
            ("(a) the sessions that fit one teacher", find_ms, "< 50 ms"),
            ("    the seat alone (writes.book, rolled back)", seat_ms, ""),
            ("(b) book, cover offered to the favourites", book_ms[True], "< 100 ms"),
            ("(b) book, cover offered to everyone eligible", book_ms[False], "< 100 ms"),
            ("(b) book, all", book_ms[True] + book_ms[False], "< 100 ms"),
        ]
        print(f"\n{'':46} {'runs':>5} {'median':>9} {'p95':>9} {'target':>9}")
        for label, values, target in rows:
            median, p95 = stats(values) if values else (0.0, 0.0)
            print(f"{label:46} {len(values):5} {median:6.1f} ms {p95:6.1f} ms {target:>9}")
        for favourites, label in ((True, "favourites"), (False, "everyone")):
            if offers[favourites]:
                print(f"offers per booking, {label}: median {statistics.median(offers[favourites]):.0f}")


if __name__ == "__main__":
    main()
