"""Bad bodies on both webhooks: refused before anything is parsed or stored, with a status code and no traceback."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import func
from sqlmodel import select

from models.db import session_scope
from models.messaging.tables import InboxEvent, OutboxMessage
from tests.bot.e2e.stack import SLACK_SECRET, TG_SECRET, Stack
from tests.bot.fakes.slack_requests import dm_event, slack_headers
from tests.conftest import SqliteTemplates

HUGE = "x" * (2 * 1024 * 1024)
TELEGRAM = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
JSON = {"Content-Type": "application/json"}


def signed(body: str, content_type: str = "application/json") -> dict[str, str]:
    return slack_headers(body, content_type, SLACK_SECRET)


BAD = [
    ("telegram: no secret", "/telegram/webhook", b"{}", JSON, 403),
    ("telegram: not JSON", "/telegram/webhook", b"{not json", TELEGRAM | JSON, 400),
    ("telegram: JSON but no update", "/telegram/webhook", b"[1, 2, 3]", TELEGRAM | JSON, 400),
    ("telegram: an update of the wrong shape", "/telegram/webhook", b'{"update_id": "x", "message": 7}', TELEGRAM, 400),
    ("telegram: too big", "/telegram/webhook", json.dumps({"update_id": 1, "x": HUGE}).encode(), TELEGRAM, 413),
    ("slack: unsigned", "/slack/events", dm_event("UMARIA", "/help", "Ev1")[0].encode(), JSON, 401),
    ("slack: signed, not JSON", "/slack/events", b"{not json", signed("{not json"), 400),
    ("slack: too big", "/slack/events", HUGE.encode(), signed(HUGE), 413),
]


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory, sqlite_templates: SqliteTemplates) -> Iterator[Stack]:
    """One stack for all the bad bodies: each is refused and stores nothing, so each finds it as the first did."""
    folder = tmp_path_factory.mktemp("refusing")
    running = Stack(folder, sqlite_templates.copy(folder / "e2e.db", "demo")).start()
    yield running
    running.stop()


@pytest.mark.parametrize(("what", "path", "body", "headers", "status"), BAD, ids=[row[0] for row in BAD])
def test_bad_bodies_are_refused_cleanly_and_store_nothing(
    refusing: Stack,
    caplog: pytest.LogCaptureFixture,
    what: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    with caplog.at_level(logging.WARNING):
        answer = refusing.http.post(path, content=body, headers=headers)
    assert answer.status_code == status, what
    assert not [r for r in caplog.records if r.exc_info], what  # no traceback in the log
    with session_scope(refusing.engine) as session:
        assert session.exec(select(func.count()).select_from(InboxEvent)).one() == 0
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_a_very_long_message_is_cut_before_it_is_stored_and_overlong_ids_are_refused(stack: Stack) -> None:
    assert stack.telegram_text(1001, "/help " + "y" * 10_000).status_code == 200
    stack.telegram.wait_for(lambda calls: any(c.method == "sendMessage" for c in calls))
    long_id = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "date": 0,
            "text": "/help",
            "chat": {"id": 10**80, "type": "private"},
            "from": {"id": 10**80, "is_bot": False, "first_name": "A"},
        },
    }
    assert stack.http.post("/telegram/webhook", json=long_id, headers=TELEGRAM).status_code in (200, 400)
    with session_scope(stack.engine) as session:
        events = session.exec(select(func.count()).select_from(InboxEvent)).one()
    assert events == 1  # the long message; the overlong id was refused before anything was stored
