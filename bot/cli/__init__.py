"""The `alliance-bot` command line (Typer). Builds Settings once and passes them down."""

from __future__ import annotations

import typer

from bot.cli import db, demo, digest, parse, roster, serve, survey

app = typer.Typer(
    help="Alliance Bot: floating teachers, reflective supervision, surveys and metrics for a Shared Services Alliance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("parse")(parse.parse)
app.add_typer(db.app, name="db")
app.add_typer(roster.app, name="roster")
app.add_typer(survey.app, name="survey")
app.add_typer(digest.app, name="digest")


def main() -> None:
    app()
