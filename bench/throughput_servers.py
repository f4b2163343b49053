"""The server processes of bench/throughput.py: the fake platforms, and bare python-telegram-bot / slack-bolt echo
bots set up as ours is; bench/throughput.py starts each in a process of its own (`--role NAME`)."""

from __future__ import annotations

import asyncio
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

TIMEOUT = 60.0
TG_SECRET, SLACK_SECRET, TOKEN, SLACK_TOKEN = "bench-secret", "bench-signing", "1:BENCH", "xoxb-bench"


DRAIN_TIMEOUT = 120.0  # how long the bench waits for our outbox to empty before a timed run


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

        def record(self, method: str, params: dict[str, Any], outcome: str, at: float | None = None) -> None:
            counts[method] += 1
            if method in ("sendMessage", "editMessageText"):
                key = f"tg:{params.get('chat_id')}"
            elif method in ("chat.postMessage", "chat.update"):
                channel = str(params.get("channel", ""))
                key = "sl:" + ("D" + channel[1:] if channel.startswith("U") else channel)
            else:
                return
            arrivals[key].append(time.monotonic() if at is None else at)  # the fakes give the call's arrival
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

    from bot.telegram.http import AiohttpRequest

    builder = Application.builder().token(TOKEN).base_url(api).updater(None)
    builder = builder.request(AiohttpRequest(timeout=10.0))  # over aiohttp, as ours is
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
    """A slack-bolt app that echoes DMs and presses, processing before it responds and keeping its Web API
    connections open as ours does."""
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

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        """One aiohttp session for every Web API call, as ours keeps (slack_sdk opens one per call otherwise)."""
        import aiohttp

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            client.session = session
            yield

    server = Starlette(routes=[Route("/slack/events", events, methods=["POST"])], lifespan=lifespan)
    uvicorn.run(server, host="127.0.0.1", port=port, log_level="info")


def run_ours(port: int, lifted: bool) -> None:
    """`alliance-bot serve`; with `lifted`, the platforms' documented rates (1 message a second per chat, 30 or 50
    a second overall) replaced by none before it starts, to see what the software itself can do."""
    if lifted:
        import bot.dispatch.limits as limits

        limits.TELEGRAM = limits.SLACK = limits.Rates(0.0, 0.0, 10**6)
    from bot.cli import main as cli

    sys.argv = ["alliance-bot", "serve", "--port", str(port)]
    cli()


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


@dataclass
class Replicas:
    """`--replicas` processes of one server on the same database, the POSTs spread over them in turn as
    deploy/'s nginx spreads them (on PostgreSQL, where ours runs as replicas: one of them leads and sends)."""

    name: str
    members: list[Server]

    @property
    def urls(self) -> list[str]:
        return [member.url for member in self.members]

    @property
    def url(self) -> str:  # /healthz (the outbox's backlog is the database's: any member tells)
        return self.members[0].url

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(member.process.pid) for member in self.members)

    def stopped(self) -> int | None:
        """The exit status of a member that has stopped, if one has."""
        return next((code for member in self.members if (code := member.process.poll()) is not None), None)

    def stop(self) -> None:
        """Each member still running (its peak RSS read first)."""
        for member in self.members:
            if member.process.poll() is None:
                member.stop()

    @property
    def peak_rss_mib(self) -> float:
        return max((member.peak_rss_mib for member in self.members), default=0.0)


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


def drain(server_url: str) -> float:
    """Wait until our server's outbox has nothing pending (its /healthz backlog is 0), so that a run is not timed
    while the last run's offers are still being sent; the seconds it took."""
    began = time.monotonic()
    while time.monotonic() - began < DRAIN_TIMEOUT:
        try:
            if httpx.get(f"{server_url}/healthz", timeout=5).json().get("outbox_backlog") == 0:
                return time.monotonic() - began
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.1)
    raise SystemExit(f"the outbox did not empty in {DRAIN_TIMEOUT:.0f} s")


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


def run(role: str, port: int, api: str | None) -> None:
    """The server `role` names, on `port` (the echoes answer through the fake at `api`)."""
    if role == "fakes":
        run_fakes(port)
    elif role == "echo-telegram":
        run_echo_telegram(port, api or "")
    elif role == "echo-slack":
        run_echo_slack(port, api or "")
    elif role in ("ours", "ours-lifted"):
        run_ours(port, role == "ours-lifted")
    else:
        raise SystemExit(f"unknown role {role!r}")
