"""The `alliance-bot` command line (Typer). Builds Settings once and passes them down.

Each command's module is imported only when that command runs, and `--help` lists the commands from their
summaries here: `roster import` or `parse` need not load pandas, matplotlib and both chat platforms first (seconds
of a cold start that a script pays on every call).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import typer
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from bot.cli.common import Commands, run

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter  # Typer's own copy of click, which its group is typed with


class Entry(NamedTuple):
    """Where a command lives, and the line `alliance-bot --help` shows for it without importing it."""

    module: str
    attribute: str  # the Typer app or the command function in the module
    summary: str  # the first paragraph of its help (a test keeps the two the same)


COMMANDS: dict[str, Entry] = {
    "demo": Entry("bot.cli.demo", "demo", "Chat with the bot in the terminal as anyone of the roster."),
    "serve": Entry(
        "bot.cli.serve", "serve", "Run the webhooks (Slack, Telegram), /healthz, the dispatcher and the scheduler."
    ),
    "parse": Entry(
        "bot.cli.parse",
        "parse",
        "Show the shifts, age group, reason, what is missing and whether it is past, as JSON.",
    ),
    "db": Entry("bot.cli.db", "app", "Database schema."),
    "roster": Entry("bot.cli.roster", "app", "The roster: sites, rooms and people, as CSV files."),
    "survey": Entry("bot.cli.survey", "app", "Surveys: send them, remind, close, and get the results."),
    "digest": Entry("bot.cli.digest", "app", "The weekly digest of the Alliance."),
    "supervision": Entry(
        "bot.cli.supervision",
        "app",
        "Reflective supervision: the sessions supervisors offer, as CSV files.",
    ),
}


class LazyCommands(TyperGroup):
    """A group whose commands are built from their modules on first use."""

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in COMMANDS:
            return None
        entry = COMMANDS[cmd_name]
        target = getattr(importlib.import_module(entry.module), entry.attribute)
        if not isinstance(target, typer.Typer):
            single = Commands()
            single.command(cmd_name)(target)
            target = single
        command = typer.main.get_command(target)
        command.name = cmd_name
        return command

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The list of commands, as Click writes it, from their summaries: `--help` imports none of them."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, make_default_short_help(entry.summary, limit)) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
