"""Alerts between digests, to the Alliance channel, at most once per condition per week:
a floater credential that expires within 7 days, and a site with three or more shifts unfilled at their start."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from handlers.context import CoreConfig, Ctx
from handlers.contract import Reply, tell_hub
from handlers.i18n import Msg, _, n_
from handlers.labels import credential_label
from models.cover import reports as cover_reports
from models.messaging import tasks
from models.roster import queries as roster_queries
from scheduler.metrics.weeks import week_of
from scheduler.tasks import tasks as registry

if TYPE_CHECKING:
    from models.db import Session

CHECK = "alerts.check"
EXPIRY_WINDOW = timedelta(days=7)
UNFILLED_LIMIT = 3


def ensure(session: Session, *, now: datetime) -> bool:
    """One check an hour (its key names the hour), run by the tick."""
    return tasks.schedule(session, kind=CHECK, due_at=now, key=f"alerts:{now:%Y-%m-%dT%H}")


def check(session: Session, *, now: datetime, config: CoreConfig) -> list[Reply]:
    """What needs the Hub's attention now and was not announced this week (each condition's key, stored once).
    Counted in the database: the serving process that runs it every hour never loads pandas."""
    week = week_of(now, config.zone)
    lines: list[Msg] = []
    today = now.astimezone(config.zone).date()
    for expiry in roster_queries.floater_credentials_expiring(session, first=today, last=today + EXPIRY_WINDOW):
        if tasks.once(session, key=f"alert:credential:{expiry.person_id}:{expiry.code}:{week.label}", at=now):
            label = credential_label(expiry.code)
            lines.append(
                _("{name}: {credential} expires on {day}.", name=expiry.name, credential=label, day=expiry.expires_on)
            )
    unfilled = cover_reports.unfilled_at_start(session, start=week.start, end=week.end, now=now)
    for site, count in unfilled.items():
        if count >= UNFILLED_LIMIT and tasks.once(session, key=f"alert:unfilled:{site}:{week.label}", at=now):
            lines.append(
                n_(
                    "{site}: {count} shift was not covered when it began this week.",
                    "{site}: {count} shifts were not covered when they began this week.",
                    count,
                    site=site,
                )
            )
    return [tell_hub(_("⚠ Needs attention:"), *lines)] if lines else []


@registry.task(CHECK)
def run_check(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return check(ctx.session, now=ctx.clock.now(), config=ctx.config)
