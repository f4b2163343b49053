"""The `alliance-bot` command line (Typer). Builds Settings once and passes them down.

Each command's module is imported only when that command runs: `roster import` or `parse` need not load pandas,
matplotlib and both chat platforms first (seconds of a cold start that a script pays on every call).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from bot.cli.common import Commands, run

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
            single = Commands()
            single.command(cmd_name)(target)
            target = single
        command = typer.main.get_command(target)
        command.name = cmd_name
        return command

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's main, except that every failure ends as one line on stderr (see `common.run`)."""

        def click_main() -> object:
            return super(LazyCommands, self).main(args, prog_name, complete_var, False, windows_expand_args, **extra)

        if not standalone_mode:
            return click_main()
        run(click_main)


app = typer.Typer(
    cls=LazyCommands,
    name="alliance-bot",
    help="Alliance Bot: floating teachers, reflective supervision, surveys and metrics for a Shared Services Alliance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """Alliance Bot: floating teachers, reflective supervision, surveys and metrics for a Shared Services Alliance."""


def main() -> None:
    app()
