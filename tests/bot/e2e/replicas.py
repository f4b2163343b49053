"""Several `alliance-bot serve` processes on one PostgreSQL database, against fake Bot and Web APIs running in
this process, over real HTTP: what the replica fault tests and bench/chaos.py drive.

Webhooks go to one replica; when it does not answer (killed, frozen, restarting) the same update goes to the
next one, as nginx's `proxy_next_upstream` does — the bot's inbox makes that safe.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text
from sqlmodel import col, select

from models.cover.tables import CoverRequest, Shift
from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import OutboxMessage, OutboxStatus
from models.roster.people import link_account
from models.roster.tables import ChatIdentity, Person
from tests.bot.e2e.stack import SLACK_SECRET, TELEGRAM_IDS, TG_SECRET, TLS, prepare, press_update, text_update
from tests.bot.fakes.recorder import SENDS, Call, Recorder
from tests.bot.fakes.server import ServerThread
from tests.bot.fakes.slack_api import fake_slack
from tests.bot.fakes.telegram_api import fake_telegram

_ids = itertools.count(10_000)
CLI = str(Path(sys.executable).parent / "alliance-bot")


@dataclass
class Replica:
    index: int
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def health(self, timeout: float = 1.0) -> dict[str, Any] | None:
        """Its /healthz, or None while it does not answer."""
        try:
            answer = httpx.get(f"{self.url}/healthz", timeout=timeout, verify=TLS)
        except httpx.HTTPError:
            return None
        body: dict[str, Any] = answer.json()
        return body


@dataclass
class Replicas:
    tmp: Path
    database_url: str
    count: int = 2
    telegram: Recorder = field(default_factory=Recorder)
    slack: Recorder = field(default_factory=Recorder)
    replicas: list[Replica] = field(default_factory=list)

    def start(self) -> Replicas:
        self.engine: Engine = prepare(self.database_url)
        self.tg_server = ServerThread(fake_telegram(self.telegram)).start()
        self.slack_server = ServerThread(fake_slack(self.slack, {})).start()
        self.http = httpx.Client(timeout=10, verify=TLS)
        for index in range(self.count):
            self.replicas.append(Replica(index, _free_port(), self.tmp / f"replica-{index}.log"))
        for replica in self.replicas:
            self.spawn(replica.index)
        for replica in self.replicas:
            self.wait_healthy(replica.index)
        return self

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "TELEGRAM_BOT_TOKEN": "123:TEST",
            "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook",
            "TELEGRAM_API_BASE_URL": f"{self.tg_server.url}/bot",
            "SLACK_BOT_TOKEN": "xoxb-replicas",
            "SLACK_SIGNING_SECRET": SLACK_SECRET,
            "SLACK_API_BASE_URL": f"{self.slack_server.url}/api/",
            "HUB_TELEGRAM_CHAT_ID": "-100500",
            "PLATFORM_TIMEOUT_SECONDS": "3",
        }

    def spawn(self, index: int) -> None:
        """Start replica `index` (again): `alliance-bot serve` in a folder of its own, logging to its file."""
        replica = self.replicas[index]
        with replica.log.open("ab") as log:
            replica.process = subprocess.Popen(
                [CLI, "serve", "--port", str(replica.port)],
                env=self.env(),
                cwd=self.tmp,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_healthy(self, index: int, timeout: float = 60) -> None:
        replica, deadline = self.replicas[index], time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert replica.process is not None
            if replica.process.poll() is not None:
                raise AssertionError(f"replica {index} exited:\n{replica.log.read_text()[-3000:]}")
            health = replica.health()
            if health is not None and health.get("telegram") == "up":
                return
            time.sleep(0.05)  # another process: nothing to wait on but its answer
        raise AssertionError(f"replica {index} never became healthy")

    def leader(self, timeout: float = 30) -> int:
        """The replica that dispatches, once exactly one says so."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            leading = [r.index for r in self.replicas if (h := r.health()) is not None and h.get("dispatching")]
            if len(leading) == 1:
                return leading[0]
            time.sleep(0.05)
        raise AssertionError("no single leader")

    def signal(self, index: int, sig: signal.Signals) -> None:
        process = self.replicas[index].process
        assert process is not None
        process.send_signal(sig)
        if sig == signal.SIGKILL:
            process.wait()

    def lease(self) -> tuple[str, int]:
        with self.engine.connect() as connection:
            holder, token = connection.execute(text("SELECT holder, token FROM lease")).one()
        return str(holder), int(token)

    def claimed_by(self, holder: str) -> list[int]:
        """Pending rows `holder` has claimed (it was sending them)."""
        with session_scope(self.engine) as session:
            statement = select(OutboxMessage.id).where(
                OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.claimed_by == holder
            )
            return [row_id for row_id in session.exec(statement).all() if row_id is not None]

    def texts(self, ids: list[int]) -> set[str]:
        with session_scope(self.engine) as session:
            return set(session.exec(select(OutboxMessage.text).where(col(OutboxMessage.id).in_(ids))).all())

    def terminate_lease_connection(self) -> int:
        """Cut the leader's own lease connection from the server side; how many backends were ended."""
        holder, _ = self.lease()
        with self.engine.connect() as connection:
            ended = connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"),
                {"name": f"{holder}/lease"},
            ).all()
        return len(ended)

    def queue(self, rows: list[dict[str, Any]]) -> None:
        with session_scope(self.engine) as session:
            outbox.enqueue_many(session, rows, at=datetime.now(UTC))  # the replicas run on the real clock

    def post(self, path: str, first: int, **request: Any) -> int:
        """POST to replica `first`, then to the next while one does not answer 200; which replica took it."""
        deadline = time.monotonic() + 60
        index = first
        while time.monotonic() < deadline:
            try:
                answer = self.http.post(f"{self.replicas[index].url}{path}", timeout=5, **request)
                if answer.status_code == 200:
                    return index
            except httpx.HTTPError:
                pass
            index = (index + 1) % len(self.replicas)
            time.sleep(0.05)  # every replica down for a moment (both restarting): try again shortly
        raise AssertionError(f"no replica took {path}")

    def telegram_update(self, update: dict[str, Any], first: int | None = None) -> int:
        """Deliver one update (to a replica picked at random unless `first`), as often as it takes."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        start = random.randrange(len(self.replicas)) if first is None else first
        return self.post("/telegram/webhook", start, json=update, headers=headers)

    def telegram_text(self, user: int, text: str) -> int:
        return self.telegram_update(text_update(user, text, next(_ids)))

    def telegram_press(self, user: int, payload: str) -> int:
        return self.telegram_update(press_update(user, payload, next(_ids)))

    def link_telegram(self, people: dict[str, int]) -> None:
        """Link these roster people to Telegram users of the same ids (their private chats)."""
        with session_scope(self.engine) as session:
            ids = {p.name: p.id for p in session.exec(select(Person)).all()}
            for name, user in people.items():
                if name in TELEGRAM_IDS:
                    continue
                link_account(
                    session,
                    person_id=ids[name] or 0,
                    platform="telegram",
                    platform_user_id=str(user),
                    chat_id=str(user),
                    at=datetime.now(UTC),
                )

    def newest_shift(self, telegram_user: int) -> int:
        """The id of the last shift this Telegram user asked cover for."""
        with session_scope(self.engine) as session:
            person = session.exec(
                select(ChatIdentity.person_id).where(ChatIdentity.platform_user_id == str(telegram_user))
            ).one()
            statement = (
                select(Shift.id)
                .join(CoverRequest, col(CoverRequest.id) == Shift.request_id)
                .where(CoverRequest.requester_id == person)
                .order_by(col(Shift.id).desc())
            )
            return session.exec(statement).first() or 0

    def shift_states(self) -> list[tuple[str, str | None]]:
        """Each shift's status and who covers it, in the order they were asked for."""
        with session_scope(self.engine) as session:
            statement = (
                select(Shift.status, Person.name)
                .join(Person, col(Person.id) == Shift.floater_id, isouter=True)
                .order_by(col(Shift.id))
            )
            return [(str(status), name) for status, name in session.exec(statement).all()]

    def dead_rows(self) -> list[tuple[str, str | None]]:
        with session_scope(self.engine) as session:
            rows = session.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD)).all()
            return [(r.text[:40], r.error) for r in rows]

    def drained(self, timeout: float = 60) -> None:
        """Wait until nothing is pending in the outbox."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with session_scope(self.engine) as session:
                if not session.exec(select(OutboxMessage.id).where(OutboxMessage.status == "pending")).first():
                    return
            time.sleep(0.1)
        raise AssertionError("the outbox never drained")

    def sent_rows(self) -> Counter[tuple[str, str]]:
        """(chat, text) of every row the outbox marked sent (new messages, not edits)."""
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.status == OutboxStatus.SENT,
                    OutboxMessage.edit_of_id == None,  # noqa: E711
                )
            ).all()
            return Counter((str(r.chat_id), r.text) for r in rows)

    def stop(self) -> None:
        for replica in self.replicas:
            if replica.process is not None and replica.process.poll() is None:
                replica.process.send_signal(signal.SIGCONT)
                replica.process.terminate()
        for replica in self.replicas:
            if replica.process is not None:
                try:
                    replica.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    replica.process.kill()
                    replica.process.wait()
        self.http.close()
        self.tg_server.stop()
        self.slack_server.stop()
        self.engine.dispose()


def deliveries(recorder: Recorder, *, after: float = 0.0) -> Counter[tuple[str, str]]:
    """(chat, text) of every message a fake accepted (first parts only: a long text's later chunks aside)."""
    return Counter(_key(c) for c in recorder.calls if c.method in SENDS and c.outcome == "ok" and c.at >= after)


def sends(recorder: Recorder) -> list[Call]:
    with recorder.condition:
        return [c for c in recorder.calls if c.method in SENDS and c.outcome == "ok"]


def _key(call: Call) -> tuple[str, str]:
    chat = call.params.get("chat_id", call.params.get("channel"))
    return str(chat), str(call.params.get("text"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
