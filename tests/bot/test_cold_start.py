"""Cold starts stay cold-start sized: `--help` lists the commands without importing them, and `--help`, `parse`
and `serve`'s modules leave the heavy libraries to the code that uses them (bench/coldstart.py times them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer._click import Context, HelpFormatter
from typer.core import TyperGroup
from typer.main import get_command

from bot.cli import app

# Run in a fresh interpreter: `--help`, then `parse TEXT`, then `import bot.server` (serve's modules), and after
# each step print which of the heavy libraries are loaded by then.
PROBE = """
import sys
from bot.cli import main

HEAVY = {"matplotlib", "pandas", "openpyxl", "icalendar", "dateparser", "sqlalchemy", "sqlmodel", "alembic",
         "aiohttp", "slack_bolt", "slack_sdk", "telegram", "uvicorn", "starlette", "pydantic"}

def step(name, *args):
    sys.argv = ["alliance-bot", *args]
    try:
        main()
    except SystemExit:
        pass
    loaded = sorted({module.partition(".")[0] for module in sys.modules} & HEAVY)
    print(name, *loaded, file=sys.stderr)

step("help", "--help")
step("parse", "parse", "floater tomorrow 8-12")
import bot.server
step("serve", "--help")
"""


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
    loaded = dict(line.partition(" ")[::2] for line in result.stderr.splitlines())
    assert loaded["help"] == ""
    assert loaded["parse"] == "pydantic"  # its settings: the Alliance's time zone
    serve = set(loaded["serve"].split())
    assert serve.isdisjoint({"matplotlib", "pandas", "openpyxl", "icalendar"}), serve  # when a digest or a booking
    assert {"sqlalchemy", "telegram", "slack_bolt"} <= serve  # this test sees serve's modules
