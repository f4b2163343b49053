"""`alliance-bot db upgrade`."""

from __future__ import annotations

import typer

from bot.cli.common import load_settings
from models.db import upgrade as apply_migrations

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply the migrations to DATABASE_URL."""
    settings = load_settings()
    apply_migrations(settings.database_url)
    typer.echo("Database is up to date.")
