"""Cold starts stay cold-start sized: `--help` lists the commands without importing them, and `--help`, `parse`
and `serve`'s modules (and its hourly alerts) leave the heavy libraries to the code that uses them
(bench/coldstart.py times them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer._click import Context, HelpFormatter
from typer.core import TyperGroup
from typer.main import get_command

from bot.cli import app

# Run in a fresh interpreter: `--help`, then `parse TEXT`, then serve's app built without and then with both
# platforms configured; after each step, print which of the heavy libraries are loaded by then.
PROBE = """
import sys
from bot.cli import main

HEAVY = {"matplotlib", "pandas", "openpyxl", "icalendar", "dateparser", "sqlalchemy", "sqlmodel", "alembic",
         "aiohttp", "slack_bolt", "slack_sdk", "telegram", "uvicorn", "starlette", "pydantic"}

def loaded(name):
    print(name, *sorted({module.partition(".")[0] for module in sys.modules} & HEAVY), file=sys.stderr)

def command(*args):
    sys.argv = ["alliance-bot", *args]
    try:
        main()
    except SystemExit:
        pass

command("--help")
loaded("help")
command("parse", "floater tomorrow 8-12")
loaded("parse")
from bot.server import build_app
from bot.settings import Settings
build_app(Settings(_env_file=None, database_url="sqlite:///./probe.db"))
loaded("serve")
build_app(Settings(
    _env_file=None, database_url="sqlite:///./probe.db", telegram_bot_token="1:PROBE",
    telegram_webhook_secret="probe", telegram_webhook_url="https://bot.example.org/telegram/webhook",
    slack_bot_token="xoxb-probe", slack_signing_secret="probe",
))
loaded("serve-both")
from datetime import datetime, timezone
from handlers.context import CoreConfig
from models.db import session_scope, upgrade
from scheduler.digest.alerts import check
upgrade("sqlite:///./probe.db")
with session_scope(build_app(Settings(_env_file=None, database_url="sqlite:///./probe.db")).state.runtime.engine) as s:
    check(s, now=datetime.now(timezone.utc), config=CoreConfig())  # serve's hourly alerts
loaded("alerts")
"""
DIGEST_AND_BOOKINGS = {"matplotlib", "pandas", "openpyxl", "icalendar"}  # loaded when a digest or a booking needs them


def test_help_lists_each_command_as_its_own_help_says() -> None:
    group = get_command(app)
    assert isinstance(group, TyperGroup)
    ctx = Context(group, info_name="alliance-bot")
    lazy, loaded = HelpFormatter(), HelpFormatter()
    group.format_commands(ctx, lazy)
    TyperGroup.format_commands(group, ctx, loaded)  # Typer's own: imports every command to read its help
    assert lazy.getvalue() == loaded.getvalue()


def test_help_parse_and_serve_leave_heavy_libraries_to_the_code_that_uses_them(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env={}, capture_output=True, text=True, check=True, timeout=60
    )
    steps = (line.split() for line in result.stderr.splitlines())
    loaded = {name: set(modules) for name, *modules in steps}
    assert loaded["help"] == set()
    assert loaded["parse"] == {"pydantic"}  # its settings: the Alliance's time zone
    assert loaded["serve"].isdisjoint(DIGEST_AND_BOOKINGS | {"telegram", "slack_bolt", "slack_sdk", "aiohttp"})
    assert {"sqlalchemy", "starlette"} <= loaded["serve"]
    assert {"telegram", "slack_bolt"} <= loaded["serve-both"]  # each platform's library once it is configured
    assert loaded["serve-both"].isdisjoint(DIGEST_AND_BOOKINGS), loaded["serve-both"]
    assert loaded["alerts"].isdisjoint(DIGEST_AND_BOOKINGS), loaded["alerts"]  # counted in SQL, every hour
