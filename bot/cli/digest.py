"""`alliance-bot digest preview`: the weekly digest's text, chart and per-site table for a week."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, select

from bot.cli.common import database, group, iso_week, load_settings, writing
from bot.config import core_config
from handlers.clock import SystemClock
from handlers.context import CoreConfig
from handlers.contract import Recipient, RecipientKind
from handlers.delivery import enqueue_replies
from handlers.supervision.policy import SupervisionPolicy
from models.db import one_session
from models.messaging import tasks
from models.messaging.tables import DueTask
from scheduler.digest import build, render, schedule
from scheduler.digest.files import attachments
from scheduler.metrics.weeks import Week, week_of

app = group("The weekly digest of the Alliance.")

WeekOption = Annotated[
    str | None, typer.Option("--week", metavar="WEEK", help="ISO week such as 2026-W49; default last week.")
]


def _setup(week: str | None) -> tuple[str, CoreConfig, datetime, Week]:
    """Settings, a migrated database, the time, and the week asked for (default: the one just ended)."""
    settings = load_settings()
    config = core_config(settings)
    now = SystemClock().now()
    chosen = iso_week(week, zone=config.zone) if week else week_of(now, config.zone).previous()
    return database(settings.database_url), config, now, chosen


@app.command("preview")
def preview(
    week: WeekOption = None,
    out: Annotated[
        Path, typer.Option("--out", metavar="FOLDER", help="Folder for the PNG, CSV and XLSX (created if missing).")
    ] = Path("."),
) -> None:
    """Print the digest and write alliance-digest-WEEK.png, .csv and .xlsx (the files the channel gets)."""
    url, config, now, chosen = _setup(week)
    with writing("--out", out):
        out.mkdir(parents=True, exist_ok=True)  # before the work: a file, or a folder we may not create, is said first
    with one_session(url) as session:
        digest = build.build(
            session, chosen, now, rs_target_hours=config.policy(SupervisionPolicy).hours_target_per_year
        )
    typer.echo("\n".join(line.render(config.hub_language) for line in render.lines(digest)))
    files = attachments(digest, config.hub_language)
    with writing("--out", out):
        for file in files:
            (out / file.name).write_bytes(file.content)
    typer.echo(f"wrote {', '.join(str(out / file.name) for file in files)}", err=True)


@app.command("send")
def send(
    week: WeekOption = None,
    force: Annotated[bool, typer.Option("--force", help="Send even if that week was already posted.")] = False,
) -> None:
    """Post the digest to the Alliance channel(s) now (through the outbox; `serve` delivers it)."""
    url, config, now, chosen = _setup(week)
    with one_session(url) as session:
        sent = 0
        for platform, chat_id in schedule.channels(config):
            key = f"digest:{chosen.label}:{platform}:{chat_id}"
            fresh = tasks.schedule(session, kind="digest.manual", due_at=now, payload={}, key=key)
            if not fresh and not force:
                typer.echo(f"{platform or 'console'} {chat_id or ''}: already posted for {chosen.label} (use --force)")
                continue
            tasks.claim(session, task_id=_task_id(session, key), now=now)
            to = Recipient(RecipientKind.CHANNEL, channel=(platform, chat_id))
            message = schedule.message(session, week_label=chosen.label, config=config, now=now, to=to)
            enqueue_replies(session, [message], at=now, config=config)
            sent += 1
    typer.echo(f"queued the {chosen.label} digest for {sent} channel(s)")


def _task_id(session: Session, key: str) -> int:
    return session.exec(select(DueTask.id).where(DueTask.key == key)).one() or 0
