"""What every CLI command shares: Settings built once, the database it used, and how it ends.

A failure is one line on stderr and exit status 2, whatever caught it: a command's own check (`fail`), a value
Typer or Click refused (unknown option, missing argument, a choice that is none of the allowed), or a database
that cannot be opened. `run` is the one place that prints it. A command that opened the database says which one:
on stderr when it ends well, in the line when it fails.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # Typer's own copy of click
from typer.core import TyperArgument, TyperCommand

if TYPE_CHECKING:
    from typer._click import Context

    from bot.settings import Settings
    from models.problems import FileProblems
    from scheduler.metrics.weeks import Week

BAD_INPUT = 2
CommandFunction = TypeVar("CommandFunction", bound=Callable[..., Any])
_opened: ContextVar[list[str]] = ContextVar("opened")  # the database this run opened, as shown to people


class BadInput(ValueError):
    """Something the user gave that the command cannot use; `run` prints it as one line and exits 2."""


def fail(reason: str) -> NoReturn:
    """Stop the command: `reason` becomes its one line on stderr, and the exit status is 2."""
    raise BadInput(reason)


def run(main: Callable[[], object]) -> NoReturn:
    """Run the command line (`main` is Click's, in non-standalone mode) and exit with its status."""
    opened = _opened.set([])
    try:
        outcome = main()
    except BadInput as problem:
        _say(str(problem) + "".join(f" (database {name})" for name in _opened.get()))
        sys.exit(BAD_INPUT)
    except NoArgsIsHelpError as problem:
        typer.echo(problem.format_message())  # the help, on stdout
        _say(f"missing command: one of those listed above (try '{_path(problem)} --help')")
        sys.exit(BAD_INPUT)
    except UsageError as problem:
        message = problem.format_message().replace("Value error, ", "").rstrip(".")
        _say(f"{message[:1].lower()}{message[1:]} (try '{_path(problem)} --help')")
        sys.exit(BAD_INPUT)
    except (typer.TyperException, typer.Abort) as problem:  # a file Click could not open; Ctrl-C at a prompt
        _say(str(problem) or "aborted")
        sys.exit(1)
    finally:
        names = _opened.get()
        _opened.reset(opened)
    for name in names:
        typer.echo(f"database: {name}", err=True)
    sys.exit(outcome if isinstance(outcome, int) else 0)


def _say(line: str) -> None:
    typer.echo(f"alliance-bot: {' '.join(line.split())}", err=True)


def _path(problem: UsageError) -> str:
    return problem.ctx.command_path if problem.ctx else "alliance-bot"


class PlainUsage(TyperCommand):
    """A command whose usage line names its arguments as the README does (`RUN`, `[TEXT]`), not `{run_id}`."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(param.display_name_raw if param.required else f"[{param.display_name_raw}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class Commands(typer.Typer):
    """A Typer app whose commands have plain help (no boxes, no `<bool>` after a flag) and plain usage lines."""

    def __init__(self, help: str | None = None, **settings: Any) -> None:
        super().__init__(help=help, add_completion=False, rich_markup_mode=None, **settings)

    def command(self, name: str | None = None, **settings: Any) -> Callable[[CommandFunction], CommandFunction]:
        return super().command(name, cls=PlainUsage, **settings)


def group(help: str) -> Commands:
    """A command group (`survey`, `roster`, …), listed when called without a command."""
    return Commands(help=help, no_args_is_help=True)


def load_settings() -> Settings:
    from pydantic import ValidationError  # here, not above: `--help` needs no settings

    from bot.settings import Settings

    try:
        return Settings()
    except ValidationError as problem:
        first = problem.errors()[0]
        where = ".".join(str(part) for part in first["loc"]).upper() or "settings"
        fail(f"{where}: {first['msg'].removeprefix('Value error, ')}")


def shown(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    from sqlalchemy.engine import make_url  # here, not above: `parse` and `--help` need no database
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        fail(f"DATABASE_URL: {url.rpartition('@')[2]!r} is not a database URL such as sqlite:///./alliance.db")


def database(url: str, *, said: bool = False) -> str:
    """The database at `url`, migrated to the newest schema; the command will say that it used it (unless it
    `said` so already, as `serve` does first)."""
    from sqlalchemy.exc import OperationalError

    from models.db import NewerDatabase, upgrade

    name = shown(url)
    opened = _opened.get(None)
    if opened is not None and not said:
        opened.append(name)
    try:
        upgrade(url)
    except OperationalError as problem:
        fail(f"cannot open the database: {str(problem.orig).splitlines()[0]}")
    except NewerDatabase as problem:
        fail(f"{problem}: a newer release migrated it; run that release or a newer one")
    return url


def read_file(path: Path) -> str:
    """A CSV file's text (a spreadsheet's byte-order mark dropped); a missing or non-UTF-8 file is bad input."""
    from models.roster.files import decode

    try:
        return decode(path.read_bytes())
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except IsADirectoryError:
        fail(f"{path} is a folder, not a file")
    except UnicodeDecodeError:
        fail(f"{path.name} is not UTF-8 text (save the spreadsheet as CSV UTF-8)")


def file_problems(problem: FileProblems) -> NoReturn:
    """A file with bad lines: each named on stderr, then the one line that ends the command."""
    for error in problem.errors:
        typer.echo(str(error), err=True)
    fail(f"{len(problem.errors)} problem(s) found; nothing was imported")


@contextmanager
def writing(option: str, path: Path) -> Iterator[None]:
    """Write to `path` (given as `option`); a folder, a missing folder or no permission is bad input."""
    try:
        yield
    except OSError as problem:
        fail(f"{option} {path}: cannot write there ({problem.strerror or problem})")


def iso_time(text: str, *, given_as: str, zone: tzinfo) -> datetime:
    """An ISO date and time as the user gave it (`--now`, `"now"`); without an offset it is in `zone`."""
    try:
        when = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        fail(f"{given_as}: {text!r} is not an ISO date and time such as 2026-12-01T06:00")
    return when if when.tzinfo else when.replace(tzinfo=zone)


def iso_week(text: str, *, zone: ZoneInfo) -> Week:
    """`--week 2026-W49` → that week."""
    from scheduler.metrics.weeks import parse_week

    try:
        return parse_week(text, zone)
    except ValueError:
        fail(f"--week {text!r}: use an ISO week such as 2026-W49")
