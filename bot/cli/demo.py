"""`alliance-bot demo`: the console chat on a SQLite file, seeded with the demo Alliance when empty."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from bot.cli.common import database, iso_time, load_settings
from bot.config import core_config
from bot.console.app import ConsoleChat, ensure_console_accounts
from bot.demo.seed import has_roster, seed_demo
from handlers.clock import ManualClock
from handlers.service import Core
from models.db import make_engine
from scheduler.digest.schedule import ensure_now as ensure_digest
from scheduler.ticker import run_until

DEFAULT_DB = Path("alliance-demo.db")


def demo(
    db: Annotated[
        Path, typer.Option("--db", metavar="FILE", dir_okay=False, help="SQLite file to use (created if missing).")
    ] = DEFAULT_DB,
    as_: Annotated[
        str | None, typer.Option("--as", metavar="NAME", help="Start as this person (a unique prefix is enough).")
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", metavar="ISO", help="Start the simulated clock here (ISO time).")
    ] = None,
) -> None:
    """Chat with the bot in the terminal as anyone of the roster."""
    settings = load_settings()
    config = core_config(settings)
    clock = ManualClock(_start_time(now, config.zone))
    url = database(f"sqlite:///{db.resolve()}")
    engine = make_engine(url)
    out = Console(highlight=False, soft_wrap=True)
    if not has_roster(engine):
        seed_demo(engine, at=clock.now(), zone=config.zone)
        out.print(f"Seeded the demo Alliance into {db.resolve()}", markup=False)
    else:
        out.print(f"Using the roster already in {db.resolve()}", markup=False)
    ensure_console_accounts(engine, clock.now())

    def run_due(until: datetime) -> int:
        """What the server's scheduler does as time passes: the weekly digest's task, then everything due, each
        task as of its own due time."""
        ensure_digest(engine, clock, config)
        ran = run_until(engine, clock, until, config)
        ensure_digest(engine, clock, config)
        return ran + run_until(engine, clock, until, config)

    chat = ConsoleChat(
        Core(engine, clock, config),
        clock,
        engine,
        out,
        tick=run_due,
        echo=not sys.stdin.isatty(),
        files_dir=db.resolve().parent / f"{db.stem}-files",
    )
    out.print("Type /who for the roster, /as NAME to become someone, /clock to see or move time, /quit to leave.")
    chat.switch(as_ or "Hana Okafor")
    chat.run(_lines(out, chat))


def _start_time(now: str | None, zone: ZoneInfo) -> datetime:
    if now is None:
        return datetime.now(UTC).replace(second=0, microsecond=0)
    return iso_time(now, given_as="--now", zone=zone)


def _lines(out: Console, chat: ConsoleChat) -> Iterator[str]:
    if not sys.stdin.isatty():
        yield from sys.stdin
        return
    while True:
        try:
            yield out.input(chat.prompt())
        except EOFError:
            return
