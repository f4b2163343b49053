"""Webhook POST → reply at the platform: our `alliance-bot serve` vs bare python-telegram-bot / slack-bolt echoes.

Run: .venv/bin/python bench/throughput.py [--quick] [--runs 3] [--chats 1,10,50] [--think 0]
     .venv/bin/python bench/throughput.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_throughput
         [--replicas 2]  (two processes of each server, ours as deploy/ runs it on PostgreSQL)
Every server is its own process on 127.0.0.1: the fake Bot API / Web API (one process, noting when each call
arrives), our real `alliance-bot serve` on a generated Alliance (1,000 sites, 2,000 floaters, half the sites with
favourites; SQLite by default, or a PostgreSQL database the bench creates and drops), and a bare PTB webhook echo
and a bare Bolt echo, each set up as ours is (uvicorn with its access log, PTB without an Updater behind the same
webhook route, Bolt with `process_before_response`). From N linked teachers at once (one conversation each, the next
message when the last reply arrived), signed webhook POSTs: a free-text request for a shift, [Send] (its offers go
out to the site's favourite floaters, on the run's platform: everyone last wrote there), /help (typed `help` on
Slack). Each step is timed from the POST to its reply's arrival at the fake (matched by chat and order); replies/s
is the steps answered over the run's wall time.
After each run of ours the bench waits until its outbox is empty (/healthz's backlog), so no run is timed while the
last one's offers are still going out, and the server's CPU per reply counts the sending of the offers its replies
queued. Medians over `--runs` runs, and the peak RSS (VmHWM) of each server process.
The echoes stay up for the whole bench, and each run of ours has its echo's run of the same shape next to it (just
after it, or every other time just before): a shared machine's speed drifts by a third within minutes, so each
ratio ours ÷ echo is taken within such a pair, and the ratio shown is the median of the pairs'.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import throughput_servers  # noqa: E402  (bench/ is on the path)
from figures import percentile  # noqa: E402
from throughput_db import database, seen_on, settled  # noqa: E402
from throughput_load import STEPS, WARM, Load, Platform, Run, load, slots  # noqa: E402
from throughput_servers import (  # noqa: E402
    SLACK_SECRET,
    SLACK_TOKEN,
    TG_SECRET,
    TOKEN,
    Replicas,
    Server,
    cpu_seconds,
    drain,
    free_port,
    start,
)


def role(name: str, *extra: str) -> list[str]:
    return [sys.executable, __file__, "--role", name, *extra]  # this file, started again: see throughput_servers


# ---------------------------------------------------------------------------------------------------------------
# The bench


def is_ours(server: Replicas) -> bool:
    return server.name.startswith("Alliance Bot")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=None, help="a PostgreSQL URL whose database the bench creates and drops")
    parser.add_argument("--chats", default="1,10,50", help="concurrent chats, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="of load per run")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a person reads a reply before answering")
    parser.add_argument("--sites", type=int, default=1000, help="half of them with favourites (their teachers ask)")
    parser.add_argument("--quick", action="store_true", help="one run of 3 s per setting")
    parser.add_argument(
        "--stacks", default="echo-telegram,echo-slack,ours,ours-lifted", help="which servers, comma-separated"
    )
    parser.add_argument("--platforms", default="telegram,slack", help="which platforms ours serves in the runs")
    parser.add_argument("--database-threads", type=int, default=2, help="ours' DATABASE_THREADS")
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="processes of each server, the POSTs spread over them in turn (PostgreSQL: ours as deploy/ runs it)",
    )
    parser.add_argument("--role", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        return throughput_servers.run(args.role, args.port, args.api)
    if args.replicas > 1 and not (args.url or "").startswith("postgresql"):
        parser.error("--replicas needs --url postgresql…: on SQLite ours runs as one process")
    if args.quick:
        args.runs, args.seconds = 1, 3.0
    chat_counts = [int(c) for c in args.chats.split(",")]
    paced, flat = Load(args.seconds, args.think, flat=False), Load(args.seconds, args.think, flat=True)

    import dispatch

    dispatch.SITES = args.sites
    teachers = list(range(1, args.sites + 1, 2))  # odd sites have three favourite floaters each
    strangers = list(range(10**7, 10**7 + 100_000))  # the echoes answer anyone: they never run out of people
    load_before = os.getloadavg()
    print(f"load {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f} on {os.cpu_count()} cores")

    folder = Path(tempfile.mkdtemp())
    fakes_port = free_port()
    fakes = start("fakes", role("fakes", "--port", str(fakes_port)), f"http://127.0.0.1:{fakes_port}/_stats")
    tg_api, sl_api = f"{fakes.url}/telegram/bot", f"{fakes.url}/slack/api/"
    servers: list[Server | Replicas] = [fakes]
    results: dict[tuple[bool, str, str, int], list[Run]] = defaultdict(list)  # (flat, platform, stack, chats)
    pairs: dict[tuple[str, str, int], list[float]] = defaultdict(list)  # (platform, ours' stack, chats) → ratios
    started = time.monotonic()
    drained: list[float] = []  # seconds waited before each of our runs for the outbox to empty
    platforms = {"telegram": Platform("telegram", "/telegram/webhook"), "slack": Platform("slack", "/slack/events")}
    requests = slots(date.today())
    stacks = [
        ("bare PTB echo", "echo-telegram", ("telegram",), (paced, flat)),
        ("bare Bolt echo", "echo-slack", ("slack",), (paced, flat)),
        ("Alliance Bot", "ours", ("telegram", "slack"), (paced, flat)),
        ("Alliance Bot, rates lifted", "ours-lifted", ("telegram", "slack"), (flat,)),
    ]
    stacks = [stack for stack in stacks if stack[1] in args.stacks.split(",")]
    try:
        with database(args.url, folder) as url:
            shown = url.rpartition("@")[2] if "@" in url else "SQLite"
            print(f"database: {shown}, {args.sites} sites; built in {time.monotonic() - started:.0f} s")
            if args.replicas > 1:
                print(f"{args.replicas} replicas of each server, the POSTs to each in turn (CPU: theirs together)")
            env = {
                "HOME": str(folder),
                "DATABASE_URL": url,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
                "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook",
                "TELEGRAM_API_BASE_URL": tg_api,
                "SLACK_BOT_TOKEN": SLACK_TOKEN,
                "SLACK_SIGNING_SECRET": SLACK_SECRET,
                "SLACK_API_BASE_URL": sl_api,
                "DATABASE_THREADS": str(args.database_threads),
            }

            def measure(name: str, server: Replicas, platform: str, shape: Load, chats: int) -> Run:
                """One timed run of `server`, recorded under `name`; ours' outbox emptied after it."""
                ours = is_ours(server)
                text = next(requests) if ours else "hello"
                cpu = server.cpu_seconds()
                rest = cpu_seconds(fakes.process.pid) + time.process_time()
                people = teachers if ours else strangers
                run = asyncio.run(load(server.urls, fakes.url, platforms[platform], chats, people, text, shape))
                if ours:  # the offers its replies queued are sent, and counted, before the next run
                    drained.append(drain(server.url))
                run.cpu_seconds = server.cpu_seconds() - cpu
                run.rest_cpu_seconds = cpu_seconds(fakes.process.pid) + time.process_time() - rest
                results[(shape.flat, platform, name, chats)].append(run)
                if run.failures:
                    examples = "; ".join(sorted(set(run.failures))[:3])
                    print(f"  {platform}, {name}, {chats} chats: {len(run.failures)} failed: {examples}")
                if (status := server.stopped()) is not None:
                    raise SystemExit(f"{name} stopped (status {status})")
                return run

            def begin(name: str, kind: str) -> Replicas:
                extra = ("--api", tg_api if kind == "echo-telegram" else sl_api) if kind.startswith("echo") else ()
                group = Replicas(name, [])
                servers.append(group)
                for _ in range(args.replicas):
                    port = free_port()
                    args_ = role(kind, "--port", str(port), *extra)
                    group.members.append(start(name, args_, f"http://127.0.0.1:{port}/healthz", env))
                return group

            def warm(server: Replicas, platform: str) -> None:
                """First use loads the handlers and opens the connections."""
                ours = is_ours(server)
                people = teachers[-8:] if ours else strangers[-8:]
                asyncio.run(load(server.urls, fakes.url, platforms[platform], 4, people, next(requests), WARM))
                if ours:
                    drained.append(drain(server.url))
                    settled(url)

            # The echoes stay up the whole bench; each run of ours has its echo's run of the same shape next to
            # it, so the two are timed on the machine as it is at that moment (a shared machine's speed drifts
            # by a third within minutes), and each ratio is of such a pair.
            echoes: dict[str, tuple[str, Replicas, tuple[Load, ...]]] = {}
            wanted = args.platforms.split(",")
            for name, kind, served, shapes in stacks:
                if kind.startswith("echo") and served[0] in wanted:
                    echoes[served[0]] = (name, begin(name, kind), shapes)
                    warm(echoes[served[0]][1], served[0])
            ours_stacks = [stack for stack in stacks if stack[1].startswith("ours")]
            if not ours_stacks:
                for platform, (name, server, shapes) in echoes.items():
                    for _ in range(args.runs):
                        for shape in shapes:
                            for chats in chat_counts:
                                measure(name, server, platform, shape, chats)
            for name, kind, served, shapes in ours_stacks:
                server = begin(name, kind)
                for platform in (p for p in served if p in wanted):
                    seen_on(url, platform)  # the whole run on this platform, offers too
                    warm(server, platform)
                    for number in range(args.runs):
                        for shape in shapes:
                            for chats in chat_counts:
                                if platform not in echoes or shape not in echoes[platform][2]:
                                    measure(name, server, platform, shape, chats)
                                    continue
                                echo_name, echo_server, _shapes = echoes[platform]
                                # Who goes first alternates: what one run leaves behind (ours' ticker, a WAL
                                # checkpoint) falls on the other side's run as often as on ours.
                                if number % 2:
                                    paired = measure(echo_name, echo_server, platform, shape, chats)
                                    run = measure(name, server, platform, shape, chats)
                                else:
                                    run = measure(name, server, platform, shape, chats)
                                    paired = measure(echo_name, echo_server, platform, shape, chats)
                                if shape.flat:
                                    pairs[(platform, name, chats)].append(run.rate / paired.rate if paired.rate else 0)
                server.stop()
            stats = httpx.get(f"{fakes.url}/_stats").json()
            sample = httpx.get(f"{fakes.url}/_texts", params={"chat": f"tg:{teachers[0]}"}).json()[-6:]
    finally:  # nothing left running, whatever went wrong
        for started_one in servers:
            if isinstance(started_one, Replicas) or started_one.process.poll() is None:
                started_one.stop()

    load_after = os.getloadavg()
    print(
        f"load after {load_after[0]:.1f}; median of {args.runs} run(s) of {args.seconds:.0f} s each"
        + (" (an echo's: one beside each run of ours)" if echoes and ours_stacks else "")
    )
    if drained:
        print(
            f"after each of our runs the bench waited for its outbox to empty: {statistics.median(drained):.1f} s "
            f"(median), {max(drained):.1f} s at most"
        )
    header = f"{'chats':>5} {'replies/s':>9} {'median':>8} {'p95':>8} {'CPU/reply':>9} {'rest/reply':>10}"
    for flat_out, title in (
        (False, f"people chatting: each reads a reply {args.think:g} s before she answers"),
        (True, f"flat out: that many POSTs always in flight (a person's next step ≥ {args.think:g} s after her reply)"),
    ):
        if not any(flat_ == flat_out for flat_, *_ in results):
            continue
        print(f"\n{title}\n{'':36} {header}   p95 per step (ms)")
        for (flat_, platform, stack, chats), runs in results.items():
            if flat_ != flat_out:
                continue
            runs = [r for r in runs if r.replies]
            if not runs:
                print(f"{platform + ', ' + stack:<36} {chats:>5}  no replies")
                continue
            steps = "  ".join(
                f"{step} {statistics.median(percentile(r.latencies[step], 0.95) for r in runs):.0f}"
                for step in STEPS
                if all(r.latencies[step] for r in runs)
            )
            rate = statistics.median(run.rate for run in runs)
            p50 = statistics.median(statistics.median(r.every) for r in runs)
            p95 = statistics.median(percentile(r.every, 0.95) for r in runs)
            cpu = statistics.median(r.cpu_ms_per_reply for r in runs)
            rest = statistics.median(r.rest_cpu_seconds / r.replies * 1000 for r in runs)
            row = f"{chats:>5} {rate:>9.1f} {p50:>6.0f}ms {p95:>6.0f}ms {cpu:>7.1f}ms {rest:>8.1f}ms"
            print(f"{platform + ', ' + stack:<36} {row}   {steps}")
    print()
    for platform, echo in (("telegram", "bare PTB echo"), ("slack", "bare Bolt echo")):
        for stack in ("Alliance Bot", "Alliance Bot, rates lifted"):
            if not all(pairs[(platform, stack, c)] for c in chat_counts):
                continue  # one of them was not run (--stacks, --platforms)
            ratios = [statistics.median(pairs[(platform, stack, c)]) for c in chat_counts]
            print(
                f"flat out, {platform}: {stack} ÷ {echo}, replies/s at {args.chats} chats "
                f"(median of {len(pairs[(platform, stack, chat_counts[0])])} runs, "
                "each against the echo's run beside it): "
                + ", ".join(f"{r:.3f} ({'at least' if r >= 1 / 3 else 'under'} 1/3)" for r in ratios)
            )  # three decimals: 0.325 is not a third
    each = " (the largest replica's)" if args.replicas > 1 else ""
    print(f"peak RSS{each}: " + ", ".join(f"{s.name} {s.peak_rss_mib:.0f} MiB" for s in servers))
    print("calls at the fakes: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["calls"].items())))
    floaters = [n for key, n in stats["chats"].items() if args.sites < int(key.split(":")[1].lstrip("D")) < 10**7]
    print(f"offers and other messages to floaters: {sum(floaters)}, to {len(floaters)} floaters")
    print(f"the last replies to teacher {teachers[0]} on Telegram: {sample}")


if __name__ == "__main__":
    main()
