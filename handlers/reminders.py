"""When a reminder has lost its moment (the clock jumped, or the server was down): one rule for every feature."""

from __future__ import annotations

from datetime import datetime

from handlers.context import Ctx


def too_late(ctx: Ctx, starts_at: datetime) -> bool:
    """A reminder is no use once the start has passed (late ones before it still go: better late than lost)."""
    return ctx.now >= starts_at
