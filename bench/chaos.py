"""Two `serve` replicas on one PostgreSQL database under injected faults, for a bounded time; then what came out.

Run: .venv/bin/python bench/chaos.py [--seconds 60] [--url postgresql+psycopg://postgres@127.0.0.1:5432/bench_chaos]

It creates that database (dropped afterwards), seeds the demo Alliance and starts two replicas against fake Bot API
and Web API servers (tests/bot/e2e/replicas.py). For `--seconds`: about 20 messages a second queued to 40 Telegram
chats and 20 Slack channels, /help from four people every half second as webhooks to either replica (the other
one when it does not answer, as nginx does), and every few seconds one fault — a 429, a run of 5xx, a call
slower than the 3 s timeout that fails, one slower than the timeout that arrives anyway ("late": the at-least-once
case) — and every 6–10 s a kill -9 of either replica, started again at once. Then the faults stop and the outbox
drains; it prints what was sent, duplicated, lost and dead, and the highest rates seen per chat and overall.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from databases import bench_database  # noqa: E402  (this script's folder, bench/, is on the path)

from bot.demo.seed import seed_demo  # noqa: E402
from models.db import make_engine, upgrade  # noqa: E402
from tests.bot.e2e.replicas import Replicas, deliveries, sends  # noqa: E402
from tests.bot.fakes.recorder import Call, Recorder  # noqa: E402

PEOPLE = (1001, 1009, 1011, 1013)  # linked on Telegram in the harness's Alliance
FAULTS = (("429", 2.0), ("500", 0.0), ("500", 0.0), ("500", 0.0), ("slow", 4.0), ("late", 4.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_chaos")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with bench_database(args.url, "chaos.db") as database:  # PostgreSQL: made for the run, dropped after it
        upgrade(database)
        seeding = make_engine(database)
        seed_demo(seeding, at=datetime.now(UTC), history=False)
        seeding.dispose()
        with tempfile.TemporaryDirectory() as folder:
            run(Replicas(Path(folder), database).start(), args.seconds, rng)


def run(replicas: Replicas, seconds: float, rng: random.Random) -> None:
    stop = threading.Event()
    counts: Counter[str] = Counter()
    workers = [
        threading.Thread(target=target, args=(replicas, stop, counts, random.Random(rng.random())), daemon=True)
        for target in (broadcasts, helps, faults, kills)
    ]
    started = time.monotonic()
    print(f"chaos: 2 replicas on PostgreSQL, {seconds:.0f} s of faults and load", flush=True)
    for worker in workers:
        worker.start()
    stop.wait(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    replicas.telegram.faults.clear()
    replicas.slack.faults.clear()
    for index in range(len(replicas.replicas)):
        process = replicas.replicas[index].process
        if process is None or process.poll() is not None:
            replicas.spawn(index)
        replicas.wait_healthy(index)
    drained_after = time.monotonic()
    try:
        replicas.drained(timeout=240)
        left = 0
    except AssertionError:
        left = -1
    drain = time.monotonic() - drained_after
    report(replicas, counts, time.monotonic() - started, drain, left)
    replicas.stop()


def broadcasts(replicas: Replicas, stop: threading.Event, counts: Counter[str], rng: random.Random) -> None:
    """Two rows every 0.1 s: one to a Telegram chat, one to a Slack channel, each text its own."""
    n = 0
    while not stop.wait(0.1):
        rows: list[dict[str, object]] = [
            {"platform": "telegram", "chat_id": str(6000 + n % 40), "text": f"chaos telegram {n}"},
            {"platform": "slack", "chat_id": f"C{n % 20:03}", "text": f"chaos slack {n}"},
        ]
        try:
            replicas.queue(rows)
            counts["queued"] += 2
        except Exception:  # the database is shared with the replicas; a busy moment is not the bench's concern
            counts["queue failures"] += 1
        n += 1


def helps(replicas: Replicas, stop: threading.Event, counts: Counter[str], rng: random.Random) -> None:
    while not stop.wait(0.5):
        replicas.telegram_text(rng.choice(PEOPLE), "/help")
        counts["webhooks answered"] += 1


def faults(replicas: Replicas, stop: threading.Event, counts: Counter[str], rng: random.Random) -> None:
    while not stop.wait(rng.uniform(2.0, 4.0)):
        kind, value = rng.choice(FAULTS)
        recorder = rng.choice((replicas.telegram, replicas.slack))
        runs = 3 if kind == "500" else 1
        with recorder.condition:
            recorder.faults.extend([(kind, value)] * runs)
        counts[f"fault {kind}"] += runs


def kills(replicas: Replicas, stop: threading.Event, counts: Counter[str], rng: random.Random) -> None:
    while not stop.wait(rng.uniform(6.0, 10.0)):
        index = rng.randrange(len(replicas.replicas))
        leading = (health := replicas.replicas[index].health()) is not None and bool(health.get("dispatching"))
        replicas.signal(index, signal.SIGKILL)
        counts["kills"] += 1
        counts["kills of the leader"] += leading
        replicas.spawn(index)


def report(replicas: Replicas, counts: Counter[str], wall: float, drain: float, left: int) -> None:
    sent = replicas.sent_rows()
    seen = deliveries(replicas.telegram) + deliveries(replicas.slack)
    duplicated, missing = sum((seen - sent).values()), sum((sent - seen).values())
    dead = replicas.dead_rows()
    print(
        f"ran {wall:.0f} s in all; the outbox drained {drain:.1f} s after the faults stopped"
        if left == 0
        else "the outbox did NOT drain within 240 s"
    )
    shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"load and faults: {shown}")
    print(
        f"messages: sent {sum(sent.values())}, delivered {sum(seen.values())}, duplicated {duplicated}, "
        f"lost {missing}, dead {len(dead)}"
    )
    for reason, n in Counter(error for _, error in dead).most_common():
        print(f"  dead: {n} × {reason}")
    for name, recorder, chat_key, overall in (
        ("telegram", replicas.telegram, "chat_id", 30),
        ("slack", replicas.slack, "channel", 50),
    ):
        calls = sends(recorder)
        gap = closest(calls, chat_key)
        print(
            f"{name}: highest rate to one chat {1 / gap:.2f}/s (the closest two sends {gap:.2f} s apart, as they "
            f"arrived), most sends in any second {peak(calls, None)} (limit {overall}); sends started during a "
            f"429's pause {during_pauses(recorder)}"
        )


def peak(calls: list[Call], chat_key: str | None) -> int:
    """The most sends within any one second, per chat (or in all, with no `chat_key`)."""
    by_chat: dict[str, list[float]] = {}
    for call in calls:
        by_chat.setdefault(str(call.params.get(chat_key)) if chat_key else "", []).append(call.at)
    best = 0
    for times in by_chat.values():
        times.sort()
        start = 0
        for end, at in enumerate(times):
            while at - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
    return best


def closest(calls: list[Call], chat_key: str) -> float:
    last: dict[str, float] = {}
    gap = float("inf")
    for call in sorted(calls, key=lambda c: c.at):
        chat = str(call.params.get(chat_key))
        if chat in last:
            gap = min(gap, call.at - last[chat])
        last[chat] = call.at
    return gap


def during_pauses(recorder: Recorder) -> int:
    """Send calls that reached the fake while a 429 it had served was in force (Telegram: any method; Slack: the
    method that got it), leaving out the first 0.2 s: calls already under way when the 429 was answered."""
    with recorder.condition:
        calls = list(recorder.calls)
    pauses = [(c.at + 0.2, c.at + 2.0, c.method) for c in calls if c.outcome == "429"]
    telegram = any(c.method == "sendMessage" for c in calls)
    return sum(
        1
        for c in calls
        if c.method in ("sendMessage", "chat.postMessage")
        for begin, end, method in pauses
        if begin < c.at < end - 0.05 and (telegram or c.method == method)
    )


if __name__ == "__main__":
    main()
