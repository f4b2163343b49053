"""`alliance-bot db upgrade | revision`."""

from __future__ import annotations

from typing import Annotated

import typer
from alembic import command

from bot.cli.common import database, group, load_settings
from models.db import alembic_config

app = group("Database schema.")


@app.command("upgrade")
def upgrade() -> None:
    """Apply the migrations to DATABASE_URL."""
    database(load_settings().database_url)
    typer.echo("Database is up to date.")


@app.command("revision")
def revision(message: Annotated[str, typer.Argument(metavar="MESSAGE", help="What the migration changes.")]) -> None:
    """(Developers) Write a new migration from the difference between the models and DATABASE_URL."""
    url = database(load_settings().database_url)
    command.revision(alembic_config(url), message=message, autogenerate=True)
