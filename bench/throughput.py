"""Updates per second and latency: our full stack vs a bare echo bot, on python-telegram-bot and slack-bolt.

Run: .venv/bin/python bench/throughput.py [--teachers 500] [--rounds 2]
Everything is real HTTP on 127.0.0.1: the updates are POSTed to the webhook routes one after another; replies go
to small fake Bot API / Web API servers. Each teacher sends a free-text request, presses [Send], asks /help.
Our stack answers after the change and its messages are committed (the dispatcher sends them meanwhile); the
bare bots answer after sending their echo.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from dispatch import NOW, build  # noqa: E402
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler  # noqa: E402
from slack_bolt.async_app import AsyncApp, AsyncSay  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, TypeHandler  # noqa: E402

from bot.server import build_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from models.db import make_engine, session_scope  # noqa: E402
from models.roster.tables import ChatIdentity  # noqa: E402
from tests.bot.e2e.stack import RunningClock  # noqa: E402
from tests.bot.fakes.recorder import Recorder  # noqa: E402
from tests.bot.fakes.server import ServerThread  # noqa: E402
from tests.bot.fakes.slack_api import fake_slack  # noqa: E402
from tests.bot.fakes.slack_requests import button_press, dm_event, slack_headers  # noqa: E402
from tests.bot.fakes.telegram_api import fake_telegram  # noqa: E402

TG_SECRET, SLACK_SECRET, TOKEN = "bench-secret", "bench-signing", "1:BENCH"
TEXTS = ["need a floater tomorrow 8-12 planning", "need a floater day after tomorrow 1-3 training"]


def telegram_updates(teachers: list[int], rounds: int) -> Iterator[dict[str, Any]]:
    update_id = 0
    for round_ in range(rounds):
        for teacher in teachers:
            user = {"id": teacher, "is_bot": False, "first_name": "T", "language_code": "en"}
            chat = {"id": teacher, "type": "private"}
            for kind in ("text", "press", "help"):
                update_id += 1
                if kind == "press":
                    message = {"message_id": 1, "date": int(time.time()), "chat": chat, "text": "…"}
                    yield {
                        "update_id": update_id,
                        "callback_query": {
                            "id": f"q{update_id}",
                            "from": user,
                            "chat_instance": "c",
                            "data": "cv:send",
                            "message": message,
                        },
                    }
                else:
                    text = TEXTS[round_ % 2] if kind == "text" else "/help"
                    yield {
                        "update_id": update_id,
                        "message": {
                            "message_id": update_id,
                            "date": int(time.time()),
                            "chat": chat,
                            "from": user,
                            "text": text,
                        },
                    }


def slack_bodies(teachers: list[int], rounds: int) -> Iterator[tuple[str, str]]:
    n = 0
    for round_ in range(rounds):
        for teacher in teachers:
            for kind in ("text", "press", "help"):
                n += 1
                if kind == "press":
                    yield button_press(f"U{teacher}", "cv:send", n)
                else:
                    yield dm_event(f"U{teacher}", TEXTS[round_ % 2] if kind == "text" else "help", f"Ev{n}")


def bare_telegram(api: str) -> Starlette:
    """A python-telegram-bot webhook that only echoes."""
    application = Application.builder().token(TOKEN).base_url(api).updater(None).build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, "echo")

    application.add_handler(TypeHandler(Update, echo))

    async def webhook(request: Request) -> Response:
        await application.process_update(Update.de_json(json.loads(await request.body()), application.bot))
        return Response(status_code=200)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with application:
            yield

    return Starlette(routes=[Route("/telegram/webhook", webhook, methods=["POST"])], lifespan=lifespan)


def bare_slack(api: str) -> Starlette:
    """A slack-bolt app that only echoes."""
    app = AsyncApp(client=AsyncWebClient(token="xoxb-bench", base_url=api), signing_secret=SLACK_SECRET)

    @app.event("message")
    async def on_message(say: AsyncSay) -> None:
        await say("echo")

    @app.action("b0")
    async def on_action(ack: Any, say: AsyncSay) -> None:
        await ack()
        await say("echo")

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    return Starlette(routes=[Route("/slack/events", events, methods=["POST"])])


def measure(url: str, requests: Iterator[tuple[str, dict[str, str], str]]) -> tuple[int, float, list[float]]:
    latencies = []
    with httpx.Client(base_url=url, timeout=30) as client:
        started = time.perf_counter()
        for path, headers, body in requests:
            began = time.perf_counter()
            response = client.post(path, content=body, headers=headers)
            response.raise_for_status()
            latencies.append((time.perf_counter() - began) * 1000)
        elapsed = time.perf_counter() - started
    return len(latencies), elapsed, latencies


def report(name: str, result: tuple[int, float, list[float]]) -> float:
    count, elapsed, latencies = result
    ordered = sorted(latencies)
    rate = count / elapsed
    p50, p95 = statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:<34} {count:>6} {rate:>9.0f} {p50:>8.1f} {p95:>8.1f}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'throughput.db'}"
    teachers = build(url, random.Random(3))[: args.teachers]
    engine = make_engine(url)
    with session_scope(engine) as session:
        for teacher in teachers:
            for platform, user in (("telegram", str(teacher)), ("slack", f"U{teacher}")):
                session.add(
                    ChatIdentity(platform=platform, platform_user_id=user, person_id=teacher, chat_id="", linked_at=NOW)
                )
    engine.dispose()

    tg_api, slack_api = (
        ServerThread(fake_telegram(Recorder())).start(),
        ServerThread(fake_slack(Recorder(), {})).start(),
    )
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=TG_SECRET,  # type: ignore[arg-type]
        telegram_webhook_url="https://bot.example.org/telegram/webhook",
        telegram_api_base_url=f"{tg_api.url}/bot",
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SLACK_SECRET,  # type: ignore[arg-type]
        slack_api_base_url=f"{slack_api.url}/api/",
    )
    ours = ServerThread(build_app(settings, clock=RunningClock())).start()
    bare_tg, bare_sl = (
        ServerThread(bare_telegram(f"{tg_api.url}/bot")).start(),
        ServerThread(bare_slack(f"{slack_api.url}/api/")).start(),
    )

    def tg(updates: Iterator[dict[str, Any]]) -> Iterator[tuple[str, dict[str, str], str]]:
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        return (("/telegram/webhook", headers, json.dumps(u)) for u in updates)

    def sl(bodies: Iterator[tuple[str, str]]) -> Iterator[tuple[str, dict[str, str], str]]:
        return (("/slack/events", slack_headers(body, kind, SLACK_SECRET), body) for body, kind in bodies)

    runs: list[tuple[str, Callable[[], tuple[int, float, list[float]]]]] = [
        ("Telegram, bare PTB echo", lambda: measure(bare_tg.url, tg(telegram_updates(teachers, args.rounds)))),
        ("Telegram, Alliance Bot", lambda: measure(ours.url, tg(telegram_updates(teachers, args.rounds)))),
        ("Slack, bare Bolt echo", lambda: measure(bare_sl.url, sl(slack_bodies(teachers, args.rounds)))),
        ("Slack, Alliance Bot", lambda: measure(ours.url, sl(slack_bodies(teachers, args.rounds)))),
    ]
    print(f"{'stack':<34} {'updates':>6} {'per s':>9} {'p50 ms':>8} {'p95 ms':>8}")
    rates = [report(name, run()) for name, run in runs]
    print(f"Alliance Bot ÷ bare: Telegram {rates[1] / rates[0]:.2f}, Slack {rates[3] / rates[2]:.2f}")
    for server in (ours, bare_tg, bare_sl, tg_api, slack_api):
        server.stop()


if __name__ == "__main__":
    main()
