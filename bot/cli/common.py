"""What every CLI command shares: Settings built once, one-line errors with exit status 2."""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

import typer
from pydantic import ValidationError

from bot.settings import Settings
from handlers.context import CoreConfig
from handlers.cover.policy import CoverPolicy
from models.eligibility import CredentialRule

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


def core_config(settings: Settings) -> CoreConfig:
    """The part of the Settings the core needs, as plain values."""
    infant_toddler = _codes(settings.credentials_infant_toddler)
    cover = CoverPolicy(
        favourites_wait=timedelta(minutes=settings.favourites_wait_minutes),
        escalate_before=timedelta(minutes=settings.escalate_before_minutes),
        reminder_evening=settings.reminder_evening_at,
        reminder_before=timedelta(minutes=settings.reminder_before_minutes),
        credentials=CredentialRule(
            always=_codes(settings.credentials_always),
            by_age_group={"infant": infant_toddler, "toddler": infant_toddler},
        ),
    )
    return CoreConfig(alliance_timezone=settings.alliance_timezone, cover=cover)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.replace(";", ",").split(",") if code.strip())
