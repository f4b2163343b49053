"""What every CLI command shares: Settings built once, one-line errors with exit status 2."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from pydantic import ValidationError

from bot.settings import Settings
from models.roster.files import decode

BAD_INPUT = 2


def fail(reason: str, code: int = BAD_INPUT) -> NoReturn:
    """Print a one-line reason on stderr and exit (2: bad usage or input)."""
    typer.echo(f"alliance-bot: {reason}", err=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as problem:
        first = problem.errors()[0]
        where = ".".join(str(part) for part in first["loc"]).upper() or "settings"
        fail(f"{where}: {first['msg'].removeprefix('Value error, ')}")


def read_file(path: Path) -> str:
    """A CSV file's text (a spreadsheet's byte-order mark dropped); a missing or non-UTF-8 file is bad input."""
    try:
        return decode(path.read_bytes())
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except UnicodeDecodeError:
        fail(f"{path.name} is not UTF-8 text (save the spreadsheet as CSV UTF-8)")
