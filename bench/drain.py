"""The dispatcher's own cost: CPU per message sent while it drains a backlog (SQLite by default).

Run: .venv/bin/python bench/drain.py [--url postgresql+psycopg://…] [--rows 400] [--rtt-ms 2] [--runs 3]
On bench/throughput's Alliance (1,000 sites, everyone linked on Telegram and Slack), queues `--rows` messages to
people (their chats found at send time, as offers are) and runs the real Dispatcher until they are all sent, to
two platforms that answer each message after `--rtt-ms`, with the rates lifted (this times the dispatcher, not
the platforms' limits). Prints the process CPU and the rounds per message sent, medians of `--runs`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import Engine  # noqa: E402
from throughput_db import database  # noqa: E402

from bot.dispatch.dispatcher import Dispatcher  # noqa: E402
from bot.dispatch.limits import Limiter, Rates  # noqa: E402
from bot.dispatch.senders import Delivered, Outgoing  # noqa: E402
from handlers.clock import SystemClock  # noqa: E402
from handlers.contract import Surface  # noqa: E402
from models.db import make_engine, session_scope  # noqa: E402
from models.messaging import outbox  # noqa: E402
from models.messaging.tables import Priority  # noqa: E402

LIFTED = Rates(0.0, 0.0, 10**6)


@dataclass
class Tally:
    """Messages the platforms took, and an event when there are `wanted`."""

    wanted: int
    sent: int = 0
    all_sent: asyncio.Event = field(default_factory=asyncio.Event)

    def one(self) -> None:
        self.sent += 1
        if self.sent >= self.wanted:
            self.all_sent.set()


@dataclass
class Platform:
    platform: str
    rtt: float
    tally: Tally

    async def send(self, message: Outgoing) -> Delivered:
        await asyncio.sleep(self.rtt)
        self.tally.one()
        return Delivered(str(self.tally.sent), message.chat_id)

    async def edit(self, message: Outgoing) -> None:
        await asyncio.sleep(self.rtt)

    async def show(self, chat_id: str, surface: Surface) -> None:
        await asyncio.sleep(self.rtt)


async def drain(engine: Engine, rows: int, rtt: float) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and rounds until `rows` are sent."""
    tally = Tally(rows)
    platforms = {p: Platform(p, rtt, tally) for p in ("telegram", "slack")}
    dispatcher = Dispatcher(engine, SystemClock(), platforms, {p: Limiter(LIFTED) for p in platforms})
    rounds = 0
    original = dispatcher._round

    def counted(*args: object) -> object:
        nonlocal rounds
        rounds += 1
        return original(*args)  # type: ignore[arg-type]

    dispatcher._round = counted  # type: ignore[method-assign,assignment]
    stop = asyncio.Event()
    wall, cpu = time.perf_counter(), time.process_time()
    runner = asyncio.create_task(dispatcher.run_forever(stop))
    await tally.all_sent.wait()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stop.set()
    await runner
    return wall, cpu, rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=None, help="a PostgreSQL URL whose database the bench creates and drops")
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--rtt-ms", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with database(args.url, Path(tempfile.mkdtemp())) as url:
        engine = make_engine(url)
        clock = SystemClock()
        figures = []
        for run in range(args.runs):
            with session_scope(engine) as session:
                people = range(1 + run * args.rows, 1 + (run + 1) * args.rows)
                rows = [{"person_id": p, "text": f"offer {p}", "priority": Priority.URGENT} for p in people]
                outbox.enqueue_many(session, rows, at=clock.now())
            figures.append(asyncio.run(drain(engine, args.rows, args.rtt_ms / 1000)))
        engine.dispose()
    wall = statistics.median(f[0] for f in figures)
    cpu = statistics.median(f[1] for f in figures) / args.rows * 1000
    rounds = statistics.median(f[2] for f in figures) / args.rows
    shown = "SQLite" if url.startswith("sqlite") else url.rpartition("@")[2]
    print(
        f"{shown}: {args.rows} messages to people, {args.rtt_ms:g} ms a send: {args.rows / wall:.0f} sent/s, "
        f"CPU {cpu:.2f} ms a message, {rounds:.2f} rounds a message (median of {args.runs})"
    )


if __name__ == "__main__":
    main()
