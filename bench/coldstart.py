"""Cold starts as a script or an operator meets them: each command in a fresh process, wall time, medians.

Run: .venv/bin/python bench/coldstart.py [--runs 9]
- `alliance-bot --help` and `alliance-bot parse "floater tomorrow 8-12"`: until the process exits.
- `alliance-bot serve`: from starting the process until `GET /healthz` answers 200, with Telegram (webhook) and
  Slack (HTTP) configured against small fake Bot API / Web API servers in this process, on a migrated SQLite file.
- the other-site check of a free-text request (every text asks it), in an Alliance of `--sites` sites, per
  message, warm — beside the way it was done before (every site loaded and folded for each text).
Targets (issue 15): --help < 0.5 s, parse < 1 s, serve ready < 3 s.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.bot.fakes.recorder import Recorder  # noqa: E402
from tests.bot.fakes.server import ServerThread  # noqa: E402
from tests.bot.fakes.slack_api import fake_slack  # noqa: E402
from tests.bot.fakes.telegram_api import fake_telegram  # noqa: E402

CLI = str(Path(sys.executable).with_name("alliance-bot"))
TARGETS = {"help": 0.5, "parse": 1.0, "serve": 3.0}


Timing = tuple[float, float]  # wall seconds, CPU seconds of the process


def timed_run(args: list[str], env: dict[str, str], cwd: Path) -> Timing:
    """Seconds from starting `alliance-bot ARGS` until it exits (successfully), and the CPU time it used."""
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run([CLI, *args], env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(pid: int) -> float:
    """The CPU time a running process has used so far (Linux: /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_serve(env: dict[str, str], cwd: Path) -> Timing:
    """Seconds from starting `alliance-bot serve` until /healthz answers 200; then it is stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(
        [CLI, "serve", "--port", str(port)], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while process.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                if health.status_code == 200 and health.json().get("telegram") in ("up", "off"):
                    return time.perf_counter() - started, _cpu_of(process.pid)
            except httpx.TransportError:
                time.sleep(0.005)  # polling a server in another process; 5 ms is the resolution of the figure
        raise SystemExit(f"serve exited with status {process.returncode}")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def medians(runs: int, measure: Callable[[], Timing]) -> tuple[float, float, float, float]:
    """Median, min and max wall time, and the median CPU time."""
    timings = [measure() for _ in range(runs)]
    walls = [wall for wall, _ in timings]
    return statistics.median(walls), min(walls), max(walls), statistics.median(cpu for _, cpu in timings)


def other_site_check(sites: int, messages: int) -> tuple[float, float]:
    """Milliseconds per text for the other-site check in an Alliance of `sites` sites (warm, in this process):
    as it is, and as it was (every site loaded and folded for each text)."""
    from datetime import time as clock_time

    from handlers.cover.sites import site_named_in
    from handlers.parsing import fold
    from models.db import Session, make_engine, session_scope, upgrade
    from models.roster.queries import other_sites
    from models.roster.tables import Site

    def before(session: Session, text: str, *, besides: int) -> str | None:
        folded = fold(text)
        return next((s.name for s in other_sites(session, site_id=besides) if fold(s.name) in folded), None)

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/sites.db"
        upgrade(url)
        engine = make_engine(url)
        with session_scope(engine) as session:
            session.add_all(
                Site(name=f"Centro Infantil Número {i}", timezone="", opens=clock_time(7), closes=clock_time(18))
                for i in range(1, sites + 1)
            )
        texts = [f"floater at centro infantil numero {i * 7 % sites + 1} tomorrow 8-12" for i in range(messages)]
        texts += [f"need a floater tomorrow 8-12 for {i}" for i in range(messages)]  # the usual: no other site
        per_text = []
        with session_scope(engine) as session:
            same = [site_named_in(session, text, besides=1) for text in texts]
            assert same == [before(session, text, besides=1) for text in texts]  # the same answers
            for check in (site_named_in, before):
                started = time.perf_counter()
                for text in texts:
                    check(session, text, besides=1)
                per_text.append((time.perf_counter() - started) / len(texts) * 1000)
        engine.dispose()
    return per_text[0], per_text[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--only", default="help,parse,serve,sites", help="a comma-separated choice of those")
    arguments = parser.parse_args()

    recorder = Recorder()
    telegram = ServerThread(fake_telegram(recorder)).start()
    slack = ServerThread(fake_slack(recorder, {})).start()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        env = {
            "HOME": tmp,
            "DATABASE_URL": f"sqlite:///{cwd / 'alliance.db'}",
            "TELEGRAM_BOT_TOKEN": "123:BENCH",
            "TELEGRAM_WEBHOOK_SECRET": "bench-secret",
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook",
            "TELEGRAM_API_BASE_URL": f"{telegram.url}/bot",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench-signing",
            "SLACK_API_BASE_URL": f"{slack.url}/api/",
        }
        subprocess.run([CLI, "db", "upgrade"], env=env, cwd=cwd, check=True, capture_output=True)
        cases: dict[str, tuple[str, Callable[[], Timing]]] = {
            "help": ("alliance-bot --help", lambda: timed_run(["--help"], env, cwd)),
            "parse": (
                'alliance-bot parse "floater tomorrow 8-12"',
                lambda: timed_run(["parse", "floater tomorrow 8-12"], env, cwd),
            ),
            "serve": ("alliance-bot serve until /healthz answers", lambda: timed_serve(env, cwd)),
        }
        print(f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it, CPU times hardly)")
        print(f"{'':42} {'median':>7} {'min':>7} {'max':>7} {'CPU':>7}  target  ({arguments.runs} runs each)")
        for key, (label, measure) in cases.items():
            if key not in arguments.only.split(","):
                continue
            middle, low, high, cpu = medians(arguments.runs, measure)
            verdict = "ok" if middle < TARGETS[key] else "MISSED"
            print(f"{label:42} {middle:6.2f}s {low:6.2f}s {high:6.2f}s {cpu:6.2f}s  < {TARGETS[key]} s {verdict}")
    telegram.stop()
    slack.stop()
    if "sites" not in arguments.only.split(","):
        return
    now, was = other_site_check(arguments.sites, 200)
    print(f"{f'other-site check per text, {arguments.sites} sites':42} {now:5.2f}ms (every site folded: {was:.2f}ms)")


if __name__ == "__main__":
    main()
