"""/healthz asks the database off the event loop: a probe the database is slow to answer holds up nothing else."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from starlette.requests import Request
from starlette.routing import Route

from bot.server import build_app
from bot.settings import Settings
from models.db import upgrade

HELD = 5.0  # how long the slow database holds the probe, at most (the loop is free long before, when it passes)


@pytest.mark.asyncio
async def test_a_slow_database_does_not_hold_up_the_event_loop(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'health.db'}"
    upgrade(url)
    app = build_app(Settings(_env_file=None, database_url=url))
    engine = app.state.runtime.engine
    order: list[str] = []
    asked, answer = threading.Event(), threading.Event()

    def slow(*_: Any) -> None:  # the database takes its time over the probe's first statement
        if not asked.is_set():
            order.append("probe waits for the database")
            asked.set()
            answer.wait(HELD)
            order.append("database answers")

    event.listen(engine, "before_cursor_execute", slow)
    healthz = next(r for r in app.routes if isinstance(r, Route) and r.path == "/healthz").endpoint
    probe = asyncio.create_task(healthz(Request({"type": "http", "method": "GET", "path": "/healthz"})))
    await asyncio.to_thread(asked.wait, HELD)
    order.append("the loop runs meanwhile")  # had the probe held the loop, it would only get here after it
    answer.set()
    response = await probe
    engine.dispose()

    assert order == ["probe waits for the database", "the loop runs meanwhile", "database answers"]
    assert response.status_code == 200
    assert json.loads(response.body) | {"dispatching": None} == {
        "database": "ok",
        "telegram": "off",
        "slack": False,
        "outbox_backlog": 0,
        "outbox_dead": 0,
        "dispatching": None,  # SQLite's one process always leads
    }


@pytest.mark.asyncio
async def test_a_database_that_does_not_answer_is_unreachable_in_time_and_asked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'hung.db'}"
    upgrade(url)
    app = build_app(Settings(_env_file=None, database_url=url))
    engine = app.state.runtime.engine
    monkeypatch.setattr("bot.server.PROBE_TIMEOUT", 0.2)
    probes: list[str] = []
    answer = threading.Event()

    def hung(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.strip() == "SELECT 1":
            probes.append(statement)
            answer.wait(HELD)  # the database does not answer until the test lets it

    event.listen(engine, "before_cursor_execute", hung)
    healthz = next(r for r in app.routes if isinstance(r, Route) and r.path == "/healthz").endpoint
    request = Request({"type": "http", "method": "GET", "path": "/healthz"})
    first, second = await asyncio.gather(healthz(request), healthz(request))  # a prober asking again meanwhile
    answer.set()
    assert [first.status_code, second.status_code] == [503, 503]
    assert json.loads(first.body)["database"] == "unreachable"
    assert len(probes) == 1  # one probe under way, shared: not a thread and a connection per request
    # The database answers again: so does the probe (the one under way, now let through: waited for as long as a
    # real prober would, not the 0.2 s above, which a busy machine can take to wake its thread).
    monkeypatch.setattr("bot.server.PROBE_TIMEOUT", 5.0)
    assert (await healthz(request)).status_code == 200
    engine.dispose()
