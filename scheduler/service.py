"""APScheduler drives the tick in the server; the demo calls the tick itself when `/clock` moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

TICK_SECONDS = 20


def start_ticker(
    tick: Callable[[], object],
    *,
    every_seconds: int = TICK_SECONDS,
    weekly: tuple[Callable[[], object], int, time, ZoneInfo] | None = None,
) -> BackgroundScheduler:
    """Run `tick` every few seconds in a background thread (never two at once), and `weekly` — (job, weekday,
    local time, zone) — as a cron job in the Alliance's time zone."""
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(tick, "interval", seconds=every_seconds, max_instances=1, coalesce=True, id="tick")
    if weekly is not None:
        job, weekday, at, zone = weekly
        trigger = CronTrigger(day_of_week=weekday, hour=at.hour, minute=at.minute, timezone=zone)
        scheduler.add_job(job, trigger, max_instances=1, coalesce=True, misfire_grace_time=3600, id="weekly")
        scheduler.add_job(job, "interval", hours=1, max_instances=1, coalesce=True, id="hourly")  # alerts
    scheduler.start()
    return scheduler
