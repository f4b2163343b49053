"""The real server (uvicorn, HTTP) against fake Telegram and Slack APIs, on a seeded demo Alliance."""

from __future__ import annotations

import itertools
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import select

from bot.server import build_app
from bot.settings import Settings
from models.cover.tables import PreferenceKind
from models.cover.writes import set_preference
from models.db import make_engine, session_scope
from models.roster.apply import import_roster
from models.roster.files import read_people
from models.roster.people import link_account
from models.roster.tables import Person, Site
from tests.bot.fakes.recorder import Recorder
from tests.bot.fakes.server import ServerThread
from tests.bot.fakes.slack_api import fake_slack
from tests.bot.fakes.slack_requests import (
    button_press,
    dm_event,
    home_press,
    slack_headers,
    slash_command,
    view_submission,
)
from tests.bot.fakes.telegram_api import fake_telegram

START = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # Monday 06:05 in New York
TG_SECRET, SLACK_SECRET = "tg-secret-1", "slack-signing-1"
TELEGRAM_IDS = {"Alice Johnson": 1001, "Emma Wilson": 1013, "Fatima Ali": 1011, "Diana Park": 1009}
SLACK_IDS = {"María García": "UMARIA", "Sofía Castillo": "USOFIA", "Carmen Flores": "UCARMEN", "Sam Rivera": "USAM"}
SAM = (
    "name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id\n"
    "Sam Rivera,,floater,,sam@hub.example,,en,infant;toddler,"
    "background_check;cpr_first_aid:2027-06-30;infant_toddler,,\n"
)
_ids = itertools.count(1)
# The tests' HTTP clients speak plain HTTP to 127.0.0.1, but each new one loads the CA bundle for a TLS context of
# its own (some 40 ms of CPU): they share this one.
TLS = ssl.create_default_context()


class RunningClock:
    """Real time, but starting at START: "tomorrow" means the same day in every run."""

    def __init__(self) -> None:
        self.origin = time.monotonic()

    def now(self) -> datetime:
        return START + timedelta(seconds=time.monotonic() - self.origin)


def prepare(url: str) -> Engine:
    """The seeded demo Alliance, plus Sam and the chat accounts the fake platforms know."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        import_roster(session, people=read_people(SAM), at=START)
        ids = {p.name: p.id for p in session.exec(select(Person)).all()}
        for name, user in TELEGRAM_IDS.items():
            link_account(
                session,
                person_id=ids[name] or 0,
                platform="telegram",
                platform_user_id=str(user),
                chat_id=str(user),
                at=START,
            )
        for name, slack_user in SLACK_IDS.items():
            link_account(
                session, person_id=ids[name] or 0, platform="slack", platform_user_id=slack_user, chat_id="", at=START
            )
        sites = {s.name: s.id for s in session.exec(select(Site)).all()}
        set_preference(
            session,
            site_id=sites["Sunflower Center"] or 0,
            floater_id=ids["Fatima Ali"] or 0,
            kind=PreferenceKind.FAVOURITE,
        )
        set_preference(
            session,
            site_id=sites["Casa de los Niños"] or 0,
            floater_id=ids["Sam Rivera"] or 0,
            kind=PreferenceKind.FAVOURITE,
        )
    return engine


@dataclass
class Stack:
    tmp: Path
    database_url: str  # a copy of the seeded demo Alliance
    telegram: Recorder = field(default_factory=Recorder)
    slack: Recorder = field(default_factory=Recorder)

    def start(self, *, telegram_down: bool = False) -> Stack:
        """Everything up; with `telegram_down`, nothing listens where the Bot API should be (see telegram_comes_up)."""
        self.engine = prepare(self.database_url)
        if telegram_down:
            with socket.socket() as probe:  # a free port, closed again: connections to it are refused
                probe.bind(("127.0.0.1", 0))
                self.tg_port = probe.getsockname()[1]
            self.tg_server = None
        else:
            self.tg_server = ServerThread(fake_telegram(self.telegram)).start()
            self.tg_port = self.tg_server.port
        self.slack_server = ServerThread(
            fake_slack(
                self.slack,
                {"UMARIA": "maria@casa.example", "UHANA": "HANA@hub.example"},
                {"USAM": "America/Chicago"},
                locales={"UNUEVA": "es-LA"},
            )
        ).start()
        self.settings = Settings(
            _env_file=None,
            database_url=self.database_url,
            telegram_bot_token="123:TEST",
            telegram_webhook_secret=TG_SECRET,
            telegram_webhook_url="https://bot.example.org/telegram/webhook",
            telegram_api_base_url=f"http://127.0.0.1:{self.tg_port}/bot",
            slack_bot_token="xoxb-e2e",
            slack_signing_secret=SLACK_SECRET,
            slack_api_base_url=f"{self.slack_server.url}/api/",
            hub_telegram_chat_id="-100500",
            slack_home_throttle_seconds=1,  # Home tabs redrawn after a change within a second, not ten
            platform_timeout_seconds=3,  # generous: a loaded machine must not turn a normal call into a timeout
        )
        self.app = build_app(self.settings, clock=RunningClock(), tick_seconds=1)
        self.server = ServerThread(self.app).start()
        self.http = httpx.Client(base_url=self.server.url, timeout=20, verify=TLS)
        if not telegram_down:
            assert self.app.state.runtime.telegram_ready.wait(timeout=20), "Telegram (the fake) never answered"
        return self

    def telegram_comes_up(self) -> None:
        """The Bot API starts answering where it was refused; returns once the bot has reached it again."""
        self.tg_server = ServerThread(fake_telegram(self.telegram), port=self.tg_port).start()
        assert self.app.state.runtime.telegram_ready.wait(timeout=30), "the bot never reached Telegram again"

    def stop(self) -> None:
        self.http.close()
        self.server.stop()
        if self.tg_server is not None:
            self.tg_server.stop()
        self.slack_server.stop()
        self.engine.dispose()

    # Telegram -----------------------------------------------------------------------------------------------
    def telegram_text(
        self, user: int, text: str, *, update_id: int | None = None, secret: str = TG_SECRET
    ) -> httpx.Response:
        return self._telegram(text_update(user, text, update_id), secret)

    def telegram_press(self, user: int, payload: str, *, update_id: int | None = None) -> httpx.Response:
        return self._telegram(press_update(user, payload, update_id), TG_SECRET)

    def _telegram(self, update: dict[str, Any], secret: str) -> httpx.Response:
        return self.http.post("/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret})

    # Slack --------------------------------------------------------------------------------------------------
    def slack_dm(self, user: str, text: str, *, event_id: str | None = None, **sign: Any) -> httpx.Response:
        return self.slack_post(*dm_event(user, text, event_id or f"Ev{next(_ids)}"), **sign)

    def slack_press(self, user: str, payload: str) -> httpx.Response:
        return self.slack_post(*button_press(user, payload, next(_ids)))

    def slack_command(self, user: str, text: str, *, channel: str | None = None) -> httpx.Response:
        return self.slack_post(*slash_command(user, text, next(_ids), channel=channel))

    def slack_home_press(self, user: str, action_id: str) -> httpx.Response:
        return self.slack_post(*home_press(user, action_id, next(_ids)))

    def slack_submit(self, user: str, view: dict[str, Any], picked: dict[str, str]) -> httpx.Response:
        return self.slack_post(*view_submission(user, view, picked))

    def slack_post(
        self, body: str, content_type: str, *, age: float = 0, secret: str = SLACK_SECRET, retry: int | None = None
    ) -> httpx.Response:
        headers = slack_headers(body, content_type, secret, age=age)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.http.post("/slack/events", content=body, headers=headers)


def text_update(user: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    """A Telegram update: `user` writes `text` in her private chat with the bot."""
    message = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": _tg_chat(user),
        "from": _tg_user(user),
        "text": text,
    }
    return {"update_id": update_id or next(_ids), "message": message}


def press_update(user: int, payload: str, update_id: int | None = None) -> dict[str, Any]:
    """A Telegram update: `user` presses the button carrying `payload`."""
    query = {
        "id": f"cq{next(_ids)}",
        "from": _tg_user(user),
        "chat_instance": "ci",
        "data": payload,
        "message": {"message_id": 1, "date": int(time.time()), "chat": _tg_chat(user), "text": "…"},
    }
    return {"update_id": update_id or next(_ids), "callback_query": query}


def _tg_user(user: int) -> dict[str, Any]:
    return {"id": user, "is_bot": False, "first_name": f"User{user}", "language_code": "en"}


def _tg_chat(user: int) -> dict[str, Any]:
    return {"id": user, "type": "private", "first_name": f"User{user}"}


def texts_to(recorder: Recorder, chat: object, method: str = "sendMessage") -> list[str]:
    key = "chat_id" if method in ("sendMessage", "editMessageText") else "channel"
    return [str(c.params.get("text")) for c in recorder.delivered(method) if str(c.params.get(key)) == str(chat)]
