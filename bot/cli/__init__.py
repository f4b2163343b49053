"""The `alliance-bot` command line (Typer). Builds Settings once and passes them down.

Each command's module is imported only when that command runs: `roster import` or `parse` need not load pandas,
matplotlib and both chat platforms first (seconds of a cold start that a script pays on every call).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Command, Context  # Typer's own copy of click, which its group is typed with

# name → (module, the Typer app or the command function in it)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("bot.cli.demo", "demo"),
    "serve": ("bot.cli.serve", "serve"),
    "parse": ("bot.cli.parse", "parse"),
    "db": ("bot.cli.db", "app"),
    "roster": ("bot.cli.roster", "app"),
    "survey": ("bot.cli.survey", "app"),
    "digest": ("bot.cli.digest", "app"),
    "supervision": ("bot.cli.supervision", "app"),
}


class LazyCommands(TyperGroup):
    """A group whose commands are built from their modules on first use."""

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name]
        target = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(target, typer.Typer):
            single = typer.Typer()
            single.command(cmd_name)(target)
            target = single
        command = typer.main.get_command(target)
        command.name = cmd_name
        return command


app = typer.Typer(
    cls=LazyCommands,
    help="Alliance Bot: floating teachers, reflective supervision, surveys and metrics for a Shared Services Alliance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Alliance Bot: floating teachers, reflective supervision, surveys and metrics for a Shared Services Alliance."""


def main() -> None:
    app()
