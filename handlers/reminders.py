"""When a reminder has lost its moment (the clock jumped, or the server was down): one rule for every feature."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.context import Ctx


def too_late(ctx: Ctx, starts_at: datetime) -> bool:
    """A reminder is no use once the start has passed (late ones before it still go: better late than lost)."""
    return ctx.now >= starts_at


def reminder_times(
    ctx: Ctx, starts_at: datetime, zone: ZoneInfo, *, evening: time, before: timedelta
) -> list[tuple[str, datetime]]:
    """When to remind of something starting at `starts_at`: ("evening", the evening before at `evening` in the
    place's zone) and ("soon", `before` the start) — each only if it is still ahead."""
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    times = [("evening", datetime.combine(day_before, evening, tzinfo=zone)), ("soon", starts_at - before)]
    return [(which, due) for which, due in times if due > ctx.now]
