"""The composition root: what `serve` does once it leads."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func
from sqlmodel import select

from bot.runtime import build_runtime
from bot.settings import Settings
from models.db import read_scope
from models.messaging.tables import DueTask


async def test_the_start_up_catch_up_runs_once_leadership_is_won_on_every_database(database_url: str) -> None:
    runtime = build_runtime(Settings(_env_file=None, database_url=database_url))
    await runtime.start(tick_seconds=3600)  # no tick during the test: only the catch-up can schedule anything
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with read_scope(runtime.engine) as session:
                scheduled = session.exec(select(func.count()).select_from(DueTask)).one()
            if scheduled:
                break
            await asyncio.sleep(0.05)  # the lead is taken in the background: look again shortly
        assert runtime.leadership.held
        assert scheduled > 0  # this hour's alerts check (and the week's digest, where a Hub channel is set)
    finally:
        await runtime.stop()
