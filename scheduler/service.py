"""APScheduler drives the tick in the server; the demo calls the tick itself when `/clock` moves."""

from __future__ import annotations

from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

TICK_SECONDS = 20


def start_ticker(
    tick: Callable[[], object],
    *,
    every_seconds: int = TICK_SECONDS,
    hourly: Callable[[], object] | None = None,
) -> BackgroundScheduler:
    """Run `tick` every few seconds in a background thread (never two at once), and `hourly` once an hour.

    Weekly work needs no cron job of its own: the hourly job makes sure this week's digest task exists (its key
    is unique), and the tick runs it when due in the Alliance's time zone.
    """
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(tick, "interval", seconds=every_seconds, max_instances=1, coalesce=True, id="tick")
    if hourly is not None:
        scheduler.add_job(hourly, "interval", hours=1, max_instances=1, coalesce=True, id="hourly")
    scheduler.start()
    return scheduler
