"""How fast a request reaches its first offers in a large Alliance (SQLite by default).

Run: .venv/bin/python bench/dispatch.py [--url sqlite:///bench.db] [--requests 50] [--rtt-ms 60]
Builds 500 sites (4 rooms each), 2,000 floaters with age groups, credentials (some expired), favourites and
5,000 existing bookings, then times (a) [Send] → request, shifts and first-tier offers committed, through the
real Core.handle; (b) [Send] → the teacher's "Sent!", the first offer and every first-wave offer delivered by the
real Dispatcher (Telegram's rates) to a platform that answers each message after `--rtt-ms`; and (c) the
eligibility query alone, per shift.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from databases import bench_database  # noqa: E402  (this script's folder, bench/, is on the path)
from figures import percentile  # noqa: E402
from sqlalchemy import Engine, insert, text, update  # noqa: E402
from sqlmodel import col, func, select  # noqa: E402

from bot.dispatch.dispatcher import Dispatcher  # noqa: E402
from bot.dispatch.limits import TELEGRAM, Limiter  # noqa: E402
from bot.dispatch.senders import Delivered, Outgoing  # noqa: E402
from handlers.clock import ManualClock  # noqa: E402
from handlers.context import CoreConfig  # noqa: E402
from handlers.contract import Incoming, Surface  # noqa: E402
from handlers.service import Core  # noqa: E402
from models.cover.eligibility import CredentialRule, eligible_floaters  # noqa: E402
from models.cover.tables import CoverRequest, Shift, SitePreference  # noqa: E402
from models.db import make_engine, session_scope, upgrade  # noqa: E402
from models.messaging.tables import OutboxMessage  # noqa: E402
from models.roster.tables import ChatIdentity, Credential, Person, PersonAgeGroup, PersonRole, Room, Site  # noqa: E402

SITES, FLOATERS, BOOKINGS = 500, 2000, 5000
GROUPS = ("infant", "toddler", "preschool", "school_age")
NOW = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York


def build(url: str, rng: random.Random) -> list[int]:
    """The Alliance, in bulk; returns the teachers' person ids (one per site)."""
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        s.execute(
            insert(Site),
            [
                {
                    "id": i,
                    "name": f"Site {i}",
                    "timezone": "America/New_York",
                    "opens": datetime.min.time().replace(hour=6),
                    "closes": datetime.min.time().replace(hour=18, minute=30),
                    "address": f"{i} Main St",
                    "bring": "ID badge",
                }
                for i in range(1, SITES + 1)
            ],
        )
        s.execute(
            insert(Room),
            [
                {"id": (i - 1) * 4 + g + 1, "site_id": i, "name": f"Room {g}", "age_group": group}
                for i in range(1, SITES + 1)
                for g, group in enumerate(GROUPS)
            ],
        )
        people = [
            {
                "id": i,
                "name": f"Teacher {i}",
                "site_id": i,
                "room_id": (i - 1) * 4 + 2,
                "email": "",
                "phone": "",
                "language": "en",
                "active": True,
            }
            for i in range(1, SITES + 1)
        ]
        people += [
            {
                "id": SITES + f,
                "name": f"Floater {f}",
                "site_id": None if rng.random() > 0.1 else rng.randint(1, SITES),
                "room_id": None,
                "email": "",
                "phone": "",
                "language": "en",
                "active": True,
            }
            for f in range(1, FLOATERS + 1)
        ]
        s.execute(insert(Person), people)
        roles = [{"person_id": i, "role": "teacher"} for i in range(1, SITES + 1)]
        roles += [{"person_id": SITES + f, "role": "floater"} for f in range(1, FLOATERS + 1)]
        s.execute(insert(PersonRole), roles)
        s.execute(
            insert(ChatIdentity),
            [
                {"platform": "bench", "platform_user_id": str(i), "person_id": i, "chat_id": str(i), "linked_at": NOW}
                for i in range(1, SITES + FLOATERS + 1)
            ],
        )
        groups, credentials, toddler_ready = [], [], []
        for f in range(SITES + 1, SITES + FLOATERS + 1):
            covers = rng.sample(GROUPS, rng.randint(1, 3))
            groups += [{"person_id": f, "age_group": group} for group in covers]
            cpr = date(2027, 6, 30) if rng.random() > 0.1 else date(2026, 10, 1)
            credentials += [
                {"person_id": f, "code": "background_check", "expires_on": None},
                {"person_id": f, "code": "cpr_first_aid", "expires_on": cpr},
            ]
            if rng.random() > 0.4:
                credentials.append({"person_id": f, "code": "infant_toddler", "expires_on": None})
                if "toddler" in covers and cpr.year == 2027:
                    toddler_ready.append(f)
        s.execute(insert(PersonAgeGroup), groups)
        s.execute(insert(Credential), credentials)
        # Odd sites have three favourites who can cover their toddler room; even sites have none.
        prefs = {(site, rng.choice(toddler_ready)) for site in range(1, SITES + 1, 2) for _ in range(3)}
        s.execute(insert(SitePreference), [{"site_id": a, "floater_id": b, "kind": "favourite"} for a, b in prefs])
        s.execute(
            insert(CoverRequest),
            [{"id": 1, "requester_id": 1, "site_id": 1, "room_id": 1, "reason": "planning", "created_at": NOW}],
        )
        bookings = []
        for _ in range(BOOKINGS):
            start = NOW + timedelta(days=rng.randint(0, 13), hours=rng.choice((0, 2, 4)))
            site = rng.randint(1, SITES)
            bookings.append(
                {
                    "request_id": 1,
                    "site_id": site,
                    "room_id": (site - 1) * 4 + 1,
                    "age_group": "infant",
                    "reason": "planning",
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=4),
                    "status": "filled",
                    "floater_id": SITES + rng.randint(1, FLOATERS),
                    "requested_at": NOW,
                    "assigned_by_hub": False,
                }
            )
        s.execute(insert(Shift), bookings)
        if engine.dialect.name == "postgresql":  # explicit ids above: move each sequence past them
            for table in ("site", "room", "person", "coverrequest", "shift", "chatidentity"):
                s.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    gather_statistics(engine)
    engine.dispose()
    return list(range(1, SITES + 1))


def gather_statistics(engine: Engine) -> None:
    """On PostgreSQL, the statistics autovacuum would soon gather on rows inserted in bulk, so that queries are
    planned as they are in use (without them, a lookup of 64 people's chats scanned and filtered every account)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


class BenchPlatform:
    """Answers each message after `rtt` seconds and notes when it arrived; `all_in` is set at `expected` arrivals."""

    platform = "bench"

    def __init__(self, rtt: float) -> None:
        self.rtt, self.arrivals, self.expected = rtt, list[tuple[float, str]](), 0
        self.all_in = asyncio.Event()

    async def send(self, message: Outgoing) -> Delivered:
        await asyncio.sleep(self.rtt)
        self.arrivals.append((time.perf_counter(), message.text))
        if len(self.arrivals) >= self.expected:
            self.all_in.set()
        return Delivered(str(len(self.arrivals)), message.chat_id)

    async def edit(self, message: Outgoing) -> None:
        await asyncio.sleep(self.rtt)

    async def show(self, chat_id: str, surface: Surface) -> None:
        await asyncio.sleep(self.rtt)


def deliver(core: Core, platform: BenchPlatform, send: Incoming) -> tuple[float, dict[str, float]]:
    """[Send] through Core.handle, then the dispatcher as `serve` runs it until each message arrived:
    (commit ms, {what: arrival ms})."""

    async def run() -> tuple[float, float]:
        platform.arrivals.clear()
        platform.all_in = asyncio.Event()
        # A fresh limiter: requests in a real Alliance are seconds apart, so no floater's 1-a-second gap is open.
        dispatcher = Dispatcher(core.engine, core.clock, {"bench": platform}, {"bench": Limiter(TELEGRAM)})
        stop = asyncio.Event()
        running = asyncio.create_task(dispatcher.run_forever(stop))
        began = time.perf_counter()
        await asyncio.to_thread(core.handle, send)  # as the adapters call it
        committed = time.perf_counter()
        with session_scope(core.engine) as session:  # the Hub's notices have no channel here
            pending = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
            platform.expected = session.exec(pending.where(col(OutboxMessage.to_hub).is_(False))).one()
        dispatcher.wake()
        await platform.all_in.wait()
        stop.set()
        await running
        return began, committed

    began, committed = asyncio.run(run())
    offers = [at for at, text in platform.arrivals if text.startswith("Can you cover")]
    sent = next(at for at, text in platform.arrivals if text.startswith("Sent!"))
    return (committed - began) * 1000, {
        "Sent!": (sent - began) * 1000,
        "first offer": (min(offers) - began) * 1000,
        "every first-wave offer": (max(offers) - began) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rtt-ms", type=float, default=60.0, help="the platform's round trip per message")
    args = parser.parse_args()
    rng = random.Random(7)
    with bench_database(args.url, "bench.db") as url:
        started = time.perf_counter()
        teachers = build(url, rng)
        print(f"built {SITES} sites, {FLOATERS} floaters, {BOOKINGS} bookings in {time.perf_counter() - started:.1f} s")

        engine = make_engine(url)
        clock = ManualClock(NOW)
        core = Core(engine, clock, CoreConfig())
        platform = BenchPlatform(args.rtt_ms / 1000)
        timings: dict[str, tuple[list[float], list[int]]] = {"favourites": ([], []), "everyone": ([], [])}
        delivered: dict[str, dict[str, list[float]]] = {"favourites": {}, "everyone": {}}
        for n, teacher in enumerate(rng.sample(teachers, args.requests)):
            user = str(teacher)
            core.handle(
                Incoming("bench", user, user, NOW, text="need a floater tomorrow 8-12 planning", event_id=f"t{n}")
            )
            with session_scope(engine) as session:  # the summary is out of the way: only [Send]'s messages are timed
                session.execute(update(OutboxMessage).values(status="sent"))
            send = Incoming("bench", user, user, NOW, payload="cv:send", event_id=f"s{n}")
            elapsed, arrivals = deliver(core, platform, send)
            kind = "favourites" if teacher % 2 else "everyone"
            timings[kind][0].append(elapsed)
            timings[kind][1].append(sum(1 for _, text in platform.arrivals if text.startswith("Can you cover")))
            for what, after in arrivals.items():
                delivered[kind].setdefault(what, []).append(after)

        with session_scope(engine) as session:
            shifts = list(session.exec(select(Shift).where(Shift.status == "open")).all())
            rule = CredentialRule()
            eligible_ms, counts = [], []
            for shift in shifts:
                began = time.perf_counter()
                found = eligible_floaters(session, shift=shift, on=date(2026, 12, 1), rule=rule)
                eligible_ms.append((time.perf_counter() - began) * 1000)
                counts.append(len(found))

        def stats(values: list[float]) -> str:
            ordered = sorted(values)
            return f"median {statistics.median(ordered):6.1f} ms   p95 {percentile(ordered, 0.95):6.1f} ms"

        for kind, (ms, offers) in timings.items():
            if not ms:  # a small --requests may draw no site of this kind
                continue
            label = (
                "site with favourites (first tier: favourites)"
                if kind == "favourites"
                else "site without favourites (first tier: everyone)"
            )
            offers_median = statistics.median(offers)
            print(
                f"[Send] → offers committed, {label}, {len(ms)} requests: {stats(ms)}; "
                f"offers median {offers_median:.0f}"
            )
            for what, afters in delivered[kind].items():
                print(f"  [Send] → {what} delivered ({args.rtt_ms:.0f} ms a message): {stats(afters)}")
        eligible_median = statistics.median(counts)
        print(
            f"eligibility per shift, {len(shifts)} shifts: {stats(eligible_ms)}; eligible median {eligible_median:.0f}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
