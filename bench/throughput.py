"""Webhook POST → reply at the platform: our `alliance-bot serve` vs bare python-telegram-bot / slack-bolt echoes.

Run: .venv/bin/python bench/throughput.py [--quick] [--runs 3] [--chats 1,10,50] [--think 0]
     .venv/bin/python bench/throughput.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_throughput
Every server is its own process on 127.0.0.1: the fake Bot API / Web API (one process, noting when each call
arrives), our real `alliance-bot serve` on a generated Alliance (500 sites, 2,000 floaters, half the sites with
favourites; SQLite by default, or a PostgreSQL database the bench creates and drops), and a bare PTB webhook echo
and a bare Bolt echo, each set up as ours is (uvicorn with its access log, PTB without an Updater behind the same
webhook route, Bolt with `process_before_response`). From N linked teachers at once (one conversation each, the
next message when the last reply arrived), signed webhook POSTs: a free-text request for a shift, [Send] (its
offers go out to the site's favourite floaters), /help. Each step is timed from the POST to its reply's arrival at
the fake (matched by chat and order); replies/s is the steps answered over the run's wall time. Medians over
`--runs` runs, and the peak RSS (VmHWM) of each server process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402

from tests.bot.fakes.slack_requests import button_press, dm_event, slack_headers  # noqa: E402

CLI = str(Path(sys.executable).with_name("alliance-bot"))
TG_SECRET, SLACK_SECRET, TOKEN, SLACK_TOKEN = "bench-secret", "bench-signing", "1:BENCH", "xoxb-bench"
STEPS = ("request", "send", "help")
TIMEOUT = 60.0


# ---------------------------------------------------------------------------------------------------------------
# The server processes (this file started again with --role)


def run_fakes(port: int) -> None:
    """The fake Bot API (under /telegram) and Web API (under /slack), and /_wait for the bench: the arrival times
    (time.monotonic(), one clock for every process of the machine) of the messages to one chat."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route

    from tests.bot.fakes.recorder import Recorder
    from tests.bot.fakes.slack_api import fake_slack
    from tests.bot.fakes.telegram_api import fake_telegram

    arrivals: dict[str, list[float]] = defaultdict(list)
    texts: dict[str, list[str]] = defaultdict(list)  # the start of each, to check what the replies said
    waiting: dict[str, list[tuple[int, asyncio.Future[None]]]] = defaultdict(list)
    counts: Counter[str] = Counter()

    class Arrivals(Recorder):
        """Keeps per chat when each message (a send or an edit) arrived, instead of every call."""

        def record(self, method: str, params: dict[str, Any], outcome: str) -> None:
            counts[method] += 1
            if method in ("sendMessage", "editMessageText"):
                key = f"tg:{params.get('chat_id')}"
            elif method in ("chat.postMessage", "chat.update"):
                channel = str(params.get("channel", ""))
                key = "sl:" + ("D" + channel[1:] if channel.startswith("U") else channel)
            else:
                return
            arrivals[key].append(time.monotonic())
            texts[key].append(str(params.get("text", ""))[:40])
            still = []
            for n, future in waiting[key]:
                if len(arrivals[key]) >= n and not future.done():
                    future.set_result(None)
                else:
                    still.append((n, future))
            waiting[key] = still

    recorder = Arrivals()

    async def wait(request: Request) -> JSONResponse:
        """?chat=KEY&n=N: the arrival times of the chat's messages once there are N (or what came before
        the timeout)."""
        key, n = request.query_params["chat"], int(request.query_params["n"])
        if len(arrivals[key]) < n:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            waiting[key].append((n, future))
            with suppress(TimeoutError):
                await asyncio.wait_for(future, timeout=float(request.query_params.get("timeout", TIMEOUT)))
        return JSONResponse(arrivals[key])

    async def stats(_request: Request) -> JSONResponse:
        """Calls per method, and messages per chat."""
        return JSONResponse({"calls": dict(counts), "chats": {key: len(times) for key, times in arrivals.items()}})

    async def said(request: Request) -> JSONResponse:
        return JSONResponse(texts[request.query_params["chat"]])

    app = Starlette(
        routes=[
            Route("/_wait", wait),
            Route("/_stats", stats),
            Route("/_texts", said),
            Mount("/telegram", fake_telegram(recorder)),
            Mount("/slack", fake_slack(recorder, {})),
        ]
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def run_echo_telegram(port: int, api: str) -> None:
    """A python-telegram-bot webhook that answers a press and echoes, built and served as `serve` builds ours."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from telegram import Update
    from telegram.ext import Application, ContextTypes, TypeHandler

    timeout = 10.0
    builder = Application.builder().token(TOKEN).base_url(api).updater(None)
    builder = builder.connect_timeout(timeout).read_timeout(timeout).write_timeout(timeout).pool_timeout(timeout)
    application = builder.build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, "echo")

    application.add_handler(TypeHandler(Update, echo))

    async def webhook(request: Request) -> Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != TG_SECRET:
            return Response(status_code=403)
        await application.process_update(Update.de_json(json.loads(await request.body()), application.bot))
        return Response(status_code=200)

    async def lifespan(_app: Starlette) -> Any:
        async with application:
            await application.start()
            yield
            await application.stop()

    app = Starlette(routes=[Route("/telegram/webhook", webhook, methods=["POST"])], lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info")


def run_echo_slack(port: int, api: str) -> None:
    """A slack-bolt app that echoes DMs and presses, processing before it responds as ours does."""
    import uvicorn
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncSay
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    client = AsyncWebClient(token=SLACK_TOKEN, base_url=api, timeout=10)
    app = AsyncApp(client=client, signing_secret=SLACK_SECRET, process_before_response=True)

    @app.event("message")
    async def on_message(say: AsyncSay) -> None:
        await say("echo")

    @app.action("b0")
    async def on_action(ack: AsyncAck, say: AsyncSay) -> None:
        await ack()
        await say("echo")

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    server = Starlette(routes=[Route("/slack/events", events, methods=["POST"])])
    uvicorn.run(server, host="127.0.0.1", port=port, log_level="info")


# ---------------------------------------------------------------------------------------------------------------
# Starting and stopping them


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    peak_rss_mib: float = 0.0

    def stop(self) -> None:
        self.peak_rss_mib = peak_rss_mib(self.process.pid)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (psutil where installed, else Linux's VmHWM)."""
    try:
        import psutil  # type: ignore[import-untyped]

        info = psutil.Process(pid).memory_full_info()
        return float(getattr(info, "peak_wset", 0) or 0) / 2**20 or _vmhwm(pid)
    except ImportError:
        return _vmhwm(pid)


def cpu_seconds(pid: int) -> float:
    """The CPU time a running process has used so far (Linux: /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _vmhwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start(name: str, args: list[str], ready: str, env: dict[str, str] | None = None) -> Server:
    """Start a server process and wait until `ready` answers (polling another process: 20 ms resolution)."""
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            httpx.get(ready, timeout=2)
            assert process.stderr is not None
            process.stderr.close()  # the servers log nothing we need; their access logs go nowhere
            return Server(name, process, ready.rsplit("/", 1)[0])
        except httpx.TransportError:
            time.sleep(0.02)
    process.kill()
    raise SystemExit(f"{name} did not start")


def role(name: str, *extra: str) -> list[str]:
    return [sys.executable, __file__, "--role", name, *extra]


# ---------------------------------------------------------------------------------------------------------------
# The database


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """A generated Alliance (bench/dispatch.py's) with teachers and floaters linked on both platforms."""
    if url is None:
        url = f"sqlite:///{folder / 'throughput.db'}"
        yield prepare(url)
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    try:
        yield prepare(url)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str) -> str:
    from dispatch import FLOATERS, NOW, SITES, build
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
    engine.dispose()
    return url


# ---------------------------------------------------------------------------------------------------------------
# The load


@dataclass
class Platform:
    name: str  # telegram | slack
    path: str

    def chat(self, teacher: int) -> str:
        return f"tg:{teacher}" if self.name == "telegram" else f"sl:D{teacher}"

    def request(self, teacher: int, step: str, text: str, serial: int) -> tuple[dict[str, str], str]:
        """The signed webhook POST of one step (headers, body), as the platform sends it."""
        if self.name == "slack":
            if step == "send":
                body, kind = button_press(f"U{teacher}", "cv:send", serial)
            else:
                body, kind = dm_event(f"U{teacher}", text if step == "request" else "help", f"Ev{serial}")
            return slack_headers(body, kind, SLACK_SECRET), body
        user = {"id": teacher, "is_bot": False, "first_name": "T", "language_code": "en"}
        chat = {"id": teacher, "type": "private"}
        update: dict[str, Any] = {"update_id": serial}
        if step == "send":
            message = {"message_id": 1, "date": int(time.time()), "chat": chat, "text": "…"}
            update["callback_query"] = {
                "id": f"q{serial}",
                "from": user,
                "chat_instance": "c",
                "data": "cv:send",
                "message": message,
            }
        else:
            update["message"] = {
                "message_id": serial,
                "date": int(time.time()),
                "chat": chat,
                "from": user,
                "text": text if step == "request" else "/help",
            }
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        return headers, json.dumps(update)


@dataclass
class Run:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # step → ms
    replies: int = 0
    seconds: float = 0.0
    people: int = 0
    cpu_seconds: float = 0.0  # of the server process
    rest_cpu_seconds: float = 0.0  # of the fakes and of this process, which makes the load
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.replies / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_reply(self) -> float:
        return self.cpu_seconds / self.replies * 1000 if self.replies else math.nan

    @property
    def every(self) -> list[float]:
        return [ms for values in self.latencies.values() for ms in values]


SERIAL = iter(range(10**6, 10**9))


async def load(
    bot_url: str, fakes_url: str, platform: Platform, chats: int, people: list[int], text: str, spec: Load
) -> Run:
    """For `spec.seconds`: `chats` people chatting, each reading a reply `spec.think` seconds before she answers
    (then the next person); or, `spec.flat`, `chats` POSTs in flight at any moment, each from a person whose last
    reply came at least `spec.think` seconds ago (her next step) or else from a new person. A step is over when its
    reply arrived at the fake; its latency is that arrival minus the POST's start."""
    run = Run()
    ready: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    fresh = iter(people)
    seen: dict[int, int] = {}
    loop = asyncio.get_running_loop()
    # Idle connections are dropped well before uvicorn's 5 s keep-alive ends, or a POST may meet a closing one.
    limits = httpx.Limits(max_connections=chats + 10, max_keepalive_connections=chats + 10, keepalive_expiry=4)
    async with (
        httpx.AsyncClient(base_url=bot_url, timeout=TIMEOUT, limits=limits) as bot,
        httpx.AsyncClient(base_url=fakes_url, timeout=TIMEOUT + 5, limits=limits) as fakes,
    ):

        async def arrivals(chat: str, n: int) -> list[float]:
            return list((await fakes.get("/_wait", params={"chat": chat, "n": n})).json())

        async def worker() -> None:
            mine: tuple[int, int] | None = None  # her next step, when she is not handed on
            while time.monotonic() < deadline:
                try:
                    item = mine or ready.get_nowait()
                except asyncio.QueueEmpty:
                    teacher = next(fresh, None)
                    if teacher is None:
                        run.failures.append("ran out of people: raise --sites or lower --seconds")
                        return
                    chat = platform.chat(teacher)
                    seen[teacher] = len(await arrivals(chat, 0))
                    run.people += 1
                    item = (teacher, 0)
                teacher, index = item
                mine = None
                chat, step = platform.chat(teacher), STEPS[index]
                headers, body = platform.request(teacher, step, text, next(SERIAL))
                began = time.monotonic()
                try:
                    response = await bot.post(platform.path, content=body, headers=headers)
                    if response.status_code != 200:
                        run.failures.append(f"{chat} {step}: HTTP {response.status_code}")
                        continue
                    times = await arrivals(chat, seen[teacher] + 1)
                except httpx.TransportError as problem:
                    run.failures.append(f"{chat} {step}: {problem!r}")
                    continue
                if len(times) <= seen[teacher]:
                    run.failures.append(f"{chat} {step}: no reply in {TIMEOUT:.0f} s")
                    continue
                run.latencies[step].append((times[seen[teacher]] - began) * 1000)
                run.replies += 1
                seen[teacher] += 1
                if index + 1 == len(STEPS):
                    continue
                if spec.flat:  # she reads, then answers; meanwhile this chat slot serves someone else
                    loop.call_later(spec.think, ready.put_nowait, (teacher, index + 1))
                else:
                    await asyncio.sleep(spec.think)  # she reads, then answers: the load's shape, not a wait for it
                    mine = (teacher, index + 1)

        began = time.monotonic()
        deadline = began + spec.seconds
        await asyncio.gather(*(worker() for _ in range(chats)))
        run.seconds = time.monotonic() - began
    return run


@dataclass(frozen=True)
class Load:
    seconds: float
    think: float
    flat: bool  # `chats` POSTs always in flight, or `chats` people each with her own pace


def slots(after: date) -> Iterator[str]:
    """Shifts no request of the bench has asked for yet: two-hour slots on the weekdays ahead (this year's, so
    no request stops to confirm its year)."""
    day = after
    while True:
        day += timedelta(days=1)
        if day.year != after.year:
            raise SystemExit("out of weekdays this year: run the bench with fewer runs")
        if day.weekday() < 5:
            for hours in ("8-10", "10-12", "1-3", "3-5"):
                yield f"need a floater on {day:%B} {day.day} {hours} planning"


# ---------------------------------------------------------------------------------------------------------------
# The bench


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * share) - 1))]


def run_ours(port: int, lifted: bool) -> None:
    """`alliance-bot serve`; with `lifted`, the platforms' documented rates (1 message a second per chat, 30 or 50
    a second overall) replaced by none before it starts, to see what the software itself can do."""
    if lifted:
        import bot.dispatch.limits as limits

        limits.TELEGRAM = limits.SLACK = limits.Rates(0.0, 0.0, 10**6)
    from bot.cli import main as cli

    sys.argv = ["alliance-bot", "serve", "--port", str(port)]
    cli()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=None, help="a PostgreSQL URL whose database the bench creates and drops")
    parser.add_argument("--chats", default="1,10,50", help="concurrent chats, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="of load per run")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a person reads a reply before answering")
    parser.add_argument("--sites", type=int, default=1000, help="half of them with favourites (their teachers ask)")
    parser.add_argument("--quick", action="store_true", help="one run of 3 s per setting")
    parser.add_argument("--role", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "fakes":
        return run_fakes(args.port)
    if args.role == "echo-telegram":
        return run_echo_telegram(args.port, args.api)
    if args.role == "echo-slack":
        return run_echo_slack(args.port, args.api)
    if args.role in ("ours", "ours-lifted"):
        return run_ours(args.port, args.role == "ours-lifted")
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
    servers = [fakes]
    results: dict[tuple[bool, str, str, int], list[Run]] = defaultdict(list)  # (flat, platform, stack, chats)
    started = time.monotonic()
    platforms = {"telegram": Platform("telegram", "/telegram/webhook"), "slack": Platform("slack", "/slack/events")}
    requests = slots(date.today())
    stacks = [
        ("bare PTB echo", "echo-telegram", ("telegram",), (paced, flat)),
        ("bare Bolt echo", "echo-slack", ("slack",), (paced, flat)),
        ("Alliance Bot", "ours", ("telegram", "slack"), (paced, flat)),
        ("Alliance Bot, rates lifted", "ours-lifted", ("telegram", "slack"), (flat,)),
    ]
    try:
        with database(args.url, folder) as url:
            shown = url.rpartition("@")[2] if "@" in url else "SQLite"
            print(f"database: {shown}, {args.sites} sites; built in {time.monotonic() - started:.0f} s")
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
            }
            for name, kind, served, shapes in stacks:
                port = free_port()
                extra = ("--api", tg_api if kind == "echo-telegram" else sl_api) if kind.startswith("echo") else ()
                server = start(name, role(kind, "--port", str(port), *extra), f"http://127.0.0.1:{port}/healthz", env)
                servers.append(server)
                ours = kind.startswith("ours")
                people = teachers if ours else strangers
                for platform in served:
                    warm = Load(1, 0, flat=True)  # first use loads the handlers and opens the connections
                    asyncio.run(load(server.url, fakes.url, platforms[platform], 4, people[-8:], next(requests), warm))
                    for _ in range(args.runs):
                        for shape in shapes:
                            for chats in chat_counts:
                                text = next(requests) if ours else "hello"
                                cpu = cpu_seconds(server.process.pid)
                                rest = cpu_seconds(fakes.process.pid) + time.process_time()
                                run = asyncio.run(
                                    load(server.url, fakes.url, platforms[platform], chats, people, text, shape)
                                )
                                run.cpu_seconds = cpu_seconds(server.process.pid) - cpu
                                run.rest_cpu_seconds = cpu_seconds(fakes.process.pid) + time.process_time() - rest
                                results[(shape.flat, platform, name, chats)].append(run)
                                if run.failures:
                                    examples = "; ".join(sorted(set(run.failures))[:3])
                                    print(
                                        f"  {platform}, {name}, {chats} chats: {len(run.failures)} failed: {examples}"
                                    )
                                if server.process.poll() is not None:
                                    raise SystemExit(f"{name} stopped (status {server.process.returncode})")
                server.stop()
            stats = httpx.get(f"{fakes.url}/_stats").json()
            sample = httpx.get(f"{fakes.url}/_texts", params={"chat": f"tg:{teachers[0]}"}).json()[-6:]
    finally:  # nothing left running, whatever went wrong
        for server in servers:
            if server.process.poll() is None:
                server.stop()

    load_after = os.getloadavg()
    print(f"load after {load_after[0]:.1f}; median of {args.runs} run(s) of {args.seconds:.0f} s each")
    header = f"{'chats':>5} {'replies/s':>9} {'median':>8} {'p95':>8} {'CPU/reply':>9} {'rest/reply':>10}"
    for flat_out, title in (
        (False, f"people chatting: each reads a reply {args.think:g} s before she answers"),
        (True, f"flat out: that many POSTs always in flight (a person's next step ≥ {args.think:g} s after her reply)"),
    ):
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
            ratios = [
                statistics.median(r.rate for r in results[(True, platform, stack, c)])
                / statistics.median(r.rate for r in results[(True, platform, echo, c)])
                for c in chat_counts
            ]
            print(
                f"flat out, {platform}: {stack} ÷ {echo}, replies/s at {args.chats} chats: "
                + ", ".join(f"{r:.2f}" for r in ratios)
            )
    print("peak RSS: " + ", ".join(f"{s.name} {s.peak_rss_mib:.0f} MiB" for s in servers))
    print("calls at the fakes: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["calls"].items())))
    floaters = [n for key, n in stats["chats"].items() if args.sites < int(key.split(":")[1].lstrip("D")) < 10**7]
    print(f"offers and other messages to floaters: {sum(floaters)}, to {len(floaters)} floaters")
    print(f"the last replies to teacher {teachers[0]} on Telegram: {sample}")


if __name__ == "__main__":
    main()
