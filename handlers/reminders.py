"""When a reminder has lost its moment (the clock jumped, or the server was down): one rule for every feature."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.context import Ctx


def too_late(ctx: Ctx, starts_at: datetime, kind: str, zone: ZoneInfo) -> bool:
    """An "evening before" reminder is stale once the day itself has come; any reminder once the start is past."""
    if ctx.now >= starts_at:
        return True
    return kind == "evening" and ctx.now.astimezone(zone).date() >= starts_at.astimezone(zone).date()
