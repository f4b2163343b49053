"""`alliance-bot db upgrade`."""

from __future__ import annotations

from typing import Annotated

import typer
from alembic import command

from bot.cli.common import load_settings
from models.db import alembic_config
from models.db import upgrade as apply_migrations

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply the migrations to DATABASE_URL."""
    settings = load_settings()
    apply_migrations(settings.database_url)
    typer.echo("Database is up to date.")


@app.command("revision")
def revision(message: Annotated[str, typer.Argument(help="What the migration changes.")]) -> None:
    """(Developers) Write a new migration from the difference between the models and DATABASE_URL."""
    settings = load_settings()
    apply_migrations(settings.database_url)
    command.revision(alembic_config(settings.database_url), message=message, autogenerate=True)
