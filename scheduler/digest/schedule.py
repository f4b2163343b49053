"""When the digest goes out: one due task per (week, channel), due at the configured local time; posted at most
a day late (after downtime), and never twice — the task's key is unique and claiming it is one statement."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from handlers.clock import Clock
from handlers.context import CoreConfig, Ctx
from handlers.contract import Recipient, RecipientKind, Reply
from handlers.supervision.policy import SupervisionPolicy
from models.db import session_scope
from models.messaging import tasks
from scheduler.digest import alerts
from scheduler.metrics.weeks import parse_week, week_of
from scheduler.tasks import tasks as registry

if TYPE_CHECKING:
    from models.db import Engine, Session

SEND = "digest.send"
LATEST = timedelta(days=1)  # after downtime, post when back — but not a stale digest days later


def channels(config: CoreConfig) -> tuple[tuple[str | None, str | None], ...]:
    """The Alliance channels; in the console (none configured) the Hub channel is printed."""
    return config.hub_channels or ((None, None),)


def ensure(session: Session, *, now: datetime, config: CoreConfig) -> int:
    """Make sure this week's digest tasks exist (idempotent: call it at start-up and from the cron job)."""
    week = week_of(now, config.zone)
    monday = week.start.astimezone(config.zone).date()
    due = datetime.combine(monday + timedelta(days=config.digest_weekday), config.digest_time, tzinfo=config.zone)
    made = 0
    for platform, chat_id in channels(config):
        payload = {"week": week.previous().label, "channel": [platform, chat_id], "due": due.isoformat()}
        key = f"digest:{week.previous().label}:{platform}:{chat_id}"
        made += tasks.schedule(session, kind=SEND, due_at=due, payload=payload, key=key)
    return made


def message(session: Session, *, week_label: str, config: CoreConfig, now: datetime, to: Recipient) -> Reply:
    """The digest's text, with the chart (PNG) and the per-site table (CSV, XLSX) attached."""
    from scheduler.digest import build, render  # here, not above: pandas and matplotlib load when a digest is built
    from scheduler.digest.files import attachments

    target = config.policy(SupervisionPolicy).hours_target_per_year
    digest = build.build(session, parse_week(week_label, config.zone), now, rs_target_hours=target)
    files = attachments(digest, config.hub_language)
    return Reply(lines=tuple(render.lines(digest)), to=to, files=files)


@registry.task(SEND, report=True)
def send(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The digest of the week that just ended, to one channel — unless it is more than a day late. Built reading
    only (a report: no write lock is held while it is computed, see TaskRegistry.task)."""
    now = ctx.clock.now()
    if now - datetime.fromisoformat(payload["due"]) > LATEST:
        return []
    platform, chat_id = payload["channel"]
    to = Recipient(RecipientKind.CHANNEL, channel=(platform, chat_id))
    return [message(ctx.session, week_label=payload["week"], config=ctx.config, now=now, to=to)]


def ensure_now(engine: Engine, clock: Clock, config: CoreConfig) -> int:
    """`ensure` in its own transaction — at start-up (catching up after downtime) and from the cron jobs — with
    this hour's check for alerts."""
    with session_scope(engine) as session:
        alerts.ensure(session, now=clock.now())
        return ensure(session, now=clock.now(), config=config)
