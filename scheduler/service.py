"""APScheduler drives the tick in the server; the demo calls the tick itself when `/clock` moves."""

from __future__ import annotations

from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

TICK_SECONDS = 20


def start_ticker(tick: Callable[[], object], *, every_seconds: int = TICK_SECONDS) -> BackgroundScheduler:
    """Run `tick` every few seconds in a background thread; never two at once."""
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(tick, "interval", seconds=every_seconds, max_instances=1, coalesce=True, id="tick")
    scheduler.start()
    return scheduler
