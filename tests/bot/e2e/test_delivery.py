"""Delivery despite a misbehaving platform: 429s, 500s, timeouts, refused connections — and a killed server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlmodel import select

from models.db import session_scope
from models.messaging.tables import OutboxMessage
from tests.bot.e2e.stack import TG_SECRET, TLS, Stack, prepare, texts_to
from tests.bot.fakes.recorder import Recorder
from tests.bot.fakes.server import ServerThread
from tests.bot.fakes.telegram_api import fake_telegram
from tests.conftest import SqliteTemplates

COMMANDS = ["/help", "/whoami", "/requests", "/lang en", "/cancel"]


def wait_db(stack: Stack, predicate: object, timeout: float = 20) -> None:
    """Poll the outbox (every 50 ms) until `predicate(rows)` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(stack.engine) as session:
            if predicate(session.exec(select(OutboxMessage)).all()):  # type: ignore[operator]
                return
        time.sleep(0.05)
    raise AssertionError("the outbox never reached the expected state")


def test_every_message_arrives_once_despite_faults_and_within_the_rate_limits(stack: Stack) -> None:
    tg = stack.telegram
    with tg.condition:
        tg.faults += [("429", 1), ("500", 0), ("slow", 4), ("500", 0)]  # slow > the 3 s timeout
    for command in COMMANDS[:3]:
        stack.telegram_text(1001, command)
    tg.wait_for(lambda calls: len(texts_to(tg, 1001)) == 3, timeout=40)

    assert stack.tg_server is not None
    port = stack.tg_server.port
    stack.tg_server.stop()  # refused connections from now on
    for command in COMMANDS[3:]:
        stack.telegram_text(1001, command)
    wait_db(stack, lambda rows: any(r.status == "pending" and r.attempts >= 1 for r in rows))
    stack.tg_server = ServerThread(fake_telegram(tg), port=port).start()
    tg.wait_for(lambda calls: len(texts_to(tg, 1001)) == 5, timeout=40)

    delivered = Counter(texts_to(tg, 1001))
    assert all(count == 1 for count in delivered.values()), delivered
    assert {outcome for outcome in (c.outcome for c in tg.calls)} >= {"ok", "429", "500", "slow"}
    assert tg.rate_violations("chat_id", per_chat=1.0, overall=30) == []
    wait_db(stack, lambda rows: {r.status for r in rows} == {"sent"})  # each one recorded as sent


def test_a_killed_server_loses_nothing(tmp_path: Path, sqlite_templates: SqliteTemplates) -> None:
    recorder = Recorder()
    fake = ServerThread(fake_telegram(recorder)).start()
    prepare(sqlite_templates.copy(tmp_path / "kill.db", "demo")).dispose()
    with recorder.condition:
        recorder.faults += [("500", 0)] * 1000  # the platform fails until we say otherwise
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill.db'}",
        "TELEGRAM_BOT_TOKEN": "123:TEST",
        "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook",
        "TELEGRAM_API_BASE_URL": f"{fake.url}/bot",
        "PLATFORM_TIMEOUT_SECONDS": "1",
    }
    first = _serve(env, tmp_path)
    try:
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "text": "/whoami",
                "chat": {"id": 1001, "type": "private"},
                "from": {"id": 1001, "is_bot": False, "first_name": "A"},
            },
        }
        response = httpx.post(
            f"{first.url}/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
            verify=TLS,
        )
        assert response.status_code == 200  # the change and its message are committed
        recorder.wait_for(lambda calls: any(c.method == "sendMessage" and c.outcome == "500" for c in calls))
    finally:
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
    with recorder.condition:
        recorder.faults.clear()
    second = _serve(env, tmp_path)
    try:
        recorder.wait_for(lambda calls: len(texts_to(recorder, 1001)) == 1, timeout=40)
        assert texts_to(recorder, 1001)[0].startswith("Alice Johnson")
    finally:
        second.process.terminate()
        second.process.wait(timeout=20)
        fake.stop()


class _Served:
    def __init__(self, process: subprocess.Popen[bytes], url: str) -> None:
        self.process, self.url = process, url


def _serve(env: dict[str, str], cwd: Path) -> _Served:
    """`alliance-bot serve` in its own process, on a free port; returns once /healthz says Telegram is up."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            health = httpx.get(f"{url}/healthz", timeout=1, verify=TLS)
            if health.status_code == 200 and health.json()["telegram"] in ("up", "off"):
                return _Served(process, url)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise AssertionError("serve did not start")
