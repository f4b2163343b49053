"""Every way a command can be called wrongly ends the same: exit status 2, one line on stderr, nothing changed.

One seeded database per test process (with one survey run sent), shared by the table: no row of it may change
anything, which the last test of each row checks by counting.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import func, select
from typer._click import Command, Context
from typer.core import TyperGroup as Group

from bot.cli import COMMANDS, app
from bot.cli.common import shown
from models.db import make_engine, session_scope
from models.surveys.tables import SurveyRun
from tests.cli import invoke
from tests.conftest import SqliteTemplates


@pytest.fixture(scope="module")
def world(sqlite_templates: SqliteTemplates, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder to run in (holding a plain file, `a-file.txt`) and the demo Alliance's database, one run sent."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "a-file.txt").write_text("not a folder\n", encoding="utf-8")
    url = sqlite_templates.copy(folder / "cli.db", "demo")
    with pytest.MonkeyPatch.context() as patch:
        sent = invoke(patch, "survey", "send", "weekly-pulse", "--to", "role:director", env=_env(url), cwd=folder)
    assert sent.exit_code == 0, sent.stderr
    return folder, url


def _env(url: str) -> dict[str, str]:
    return {"DATABASE_URL": url, "ALLIANCE_TIMEZONE": "America/New_York"}


def runs(url: str) -> int:
    engine = make_engine(url)
    with session_scope(engine) as session:
        count = session.exec(select(func.count()).select_from(SurveyRun)).one()
    engine.dispose()
    return count


SEND = ("survey", "send", "weekly-pulse")
TABLE: list[tuple[str, tuple[str, ...], str]] = [
    # Typer's and Click's own refusals
    ("no command", (), "missing command"),
    ("no subcommand", ("survey",), "missing command"),
    ("unknown command", ("frobnicate",), "no such command 'frobnicate'"),
    ("unknown option", ("--frob",), "no such option: --frob (try 'alliance-bot --help')"),
    ("unknown option of a command", (*SEND, "--to", "role:director", "--frob"), "no such option: --frob"),
    ("missing argument", ("survey", "send"), "missing argument 'SURVEY'"),
    ("missing option", SEND, "missing option '--to'"),
    ("not a number", ("survey", "close", "one"), "invalid value for 'RUN'"),
    ("out of range", (*SEND, "--to", "role:director", "--days", "0"), "invalid value for '--days'"),
    ("unknown --every", (*SEND, "--to", "role:director", "--every", "daily"), "'daily' is not one of"),
    ("unknown --format", ("survey", "results", "weekly-pulse", "--format", "pdf"), "'pdf' is not one of"),
    ("unknown --lang", ("survey", "preview", "weekly-pulse", "--lang", "fr"), "'fr' is not one of 'en', 'es'"),
    ("serve: bad port", ("serve", "--port", "0"), "invalid value for '--port'"),
    ("demo: unknown option", ("demo", "--frob"), "no such option: --frob"),
    ("db revision: no message", ("db", "revision"), "missing argument 'MESSAGE'"),
    ("roster import: no file", ("roster", "import"), "missing argument 'PEOPLE.csv'"),
    ("supervision import: no file", ("supervision", "import"), "missing argument 'SLOTS.csv'"),
    ("digest: unknown option", ("digest", "send", "--frob"), "no such option: --frob"),
    ("parse: unknown option", ("parse", "--frob", "x"), "no such option: --frob"),
    # a run, a survey or a file that does not exist
    ("remind: no such run", ("survey", "remind", "99"), "there is no survey run 99"),
    ("close: no such run", ("survey", "close", "99"), "there is no survey run 99"),
    ("results: no such run", ("survey", "results", "weekly-pulse", "--run", "99"), "there is no survey run 99"),
    ("results: another survey's run", ("survey", "results", "monthly-finance", "--run", "1"), "is a run of"),
    ("results: never sent", ("survey", "results", "monthly-finance"), "has not been sent yet"),
    ("unknown survey", ("survey", "preview", "no-such-survey"), "unknown survey 'no-such-survey'"),
    ("roster import: no such file", ("roster", "import", "nope.csv"), "no such file: nope.csv"),
    ("supervision import: a folder", ("supervision", "import", "."), ". is a folder, not a file"),
    # --to matching nobody, --at in the past
    ("--to a typo'd person", (*SEND, "--to", "person:Nobody Here"), "matches nobody on the roster"),
    ("--to an unknown site", (*SEND, "--to", "role:director", "--to", "site:Nowhere"), "'site:Nowhere' matches"),
    ("--to in no known form", (*SEND, "--to", "directors"), "use role:ROLE"),
    ("--at in the past", (*SEND, "--to", "role:director", "--at", "2020-01-06T08:00"), "that time has passed"),
    ("--at not a time", (*SEND, "--to", "role:director", "--at", "monday"), "--at: 'monday' is not an ISO"),
    # an --out that is a file, a folder, or cannot be written
    ("roster --out a folder", ("roster", "export", "--out", "."), "--out .: cannot write there"),
    ("roster --out nowhere", ("roster", "export", "--out", "no/such/x.csv"), "--out no/such/x.csv: cannot write"),
    ("roster --sites-out a folder", ("roster", "export", "--sites-out", "."), "--sites-out .: cannot write"),
    ("supervision --out a folder", ("supervision", "export", "--out", "."), "--out .: cannot write there"),
    ("results --out a folder", ("survey", "results", "weekly-pulse", "--format", "csv", "--out", "."), "--out ."),
    ("results --out nowhere", ("survey", "results", "weekly-pulse", "--format", "xlsx", "--out", "no/x.xlsx"), "no/"),
    ("results csv without --out", ("survey", "results", "weekly-pulse", "--format", "csv"), "needs --out FILE"),
    ("digest --out a file", ("digest", "preview", "--out", "a-file.txt"), "--out a-file.txt: cannot write there"),
    # weeks, times and zones
    ("digest: bad week", ("digest", "preview", "--week", "49"), "--week '49': use an ISO week"),
    ("digest send: bad week", ("digest", "send", "--week", "2026-49"), "--week '2026-49'"),
    ("supervision: bad week", ("supervision", "list", "--week", "W50"), "--week 'W50'"),
    ("supervision: bad --now", ("supervision", "list", "--now", "today"), "--now: 'today' is not an ISO"),
    ("demo: bad --now", ("demo", "--now", "soon"), "--now: 'soon' is not an ISO"),
    ("parse: bad --tz", ("parse", "--tz", "Mars/Olympus", "x"), "--tz: unknown time zone 'Mars/Olympus'"),
    ("parse: bad --now", ("parse", "--now", "noon", "x"), "--now: 'noon' is not an ISO"),
    ("parse: bad --opens", ("parse", "--opens", "25:00", "x"), "--opens: '25:00' is not a time"),
    ("parse: closes first", ("parse", "--opens", "12:00", "--closes", "09:00", "x"), "open before it closes"),
]


@pytest.mark.parametrize(("args", "says"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_each_bad_call_exits_2_with_one_line(
    args: tuple[str, ...], says: str, world: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, url = world
    before = runs(url)
    result = invoke(monkeypatch, *args, env=_env(url), cwd=folder)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("alliance-bot: ")
    assert says in result.stderr
    assert runs(url) == before
    assert not (folder / "no").exists()


def test_a_failure_that_read_the_database_names_it(world: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, url = world
    result = invoke(monkeypatch, "survey", "remind", "99", env=_env(url), cwd=folder)
    assert result.stderr.endswith(f"(database {shown(url)})\n")


def test_a_database_url_that_is_none_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(monkeypatch, "survey", "list", env={"DATABASE_URL": "alliance.db"}, cwd=tmp_path)
    assert (result.exit_code, result.stderr.count("\n")) == (2, 1)
    assert "DATABASE_URL: 'alliance.db' is not a database URL" in result.stderr


def test_a_command_that_worked_says_which_database(world: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, url = world
    listed = invoke(monkeypatch, "survey", "list", env=_env(url), cwd=folder)
    assert (listed.exit_code, listed.stderr) == (0, f"database: {shown(url)}\n")
    assert "run 1: weekly-pulse" in listed.stdout


def test_a_parse_line_names_what_it_gave(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [{"text": "sub tomorrow 8-12", "tz": "Mars/Olympus"}, {"text": "sub tomorrow 8-12", "now": "noon"}]
    result = invoke(
        monkeypatch, "parse", "--tz", "America/New_York", env={}, input="".join(json.dumps(x) + "\n" for x in lines)
    )
    errors = [json.loads(line)["error"] for line in result.stdout.splitlines()]
    assert errors == [
        "line 1: \"tz\": unknown time zone 'Mars/Olympus' (use an IANA name such as America/New_York)",
        "line 2: \"now\": 'noon' is not an ISO date and time such as 2026-12-01T06:00",
    ]
    assert (result.exit_code, result.stderr.count("\n")) == (2, 1)


def test_an_impossible_date_is_said_without_details(monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(monkeypatch, "parse", "--now", "2026-11-30T06:05", "floater feb 30 8-12", env={})
    assert json.loads(result.stdout)["impossible_date"] == {"month": 2, "day": 30}


def _every_command(command: Command, ctx: Context) -> list[tuple[str, Command, Context]]:
    found = [(ctx.command_path, command, ctx)]
    if isinstance(command, Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            found += _every_command(sub, Context(sub, info_name=name, parent=ctx))
    return found


def test_help_texts_have_no_stray_placeholders() -> None:
    from typer.main import get_command

    root = get_command(app)
    commands = _every_command(root, Context(root, info_name="alliance-bot"))
    assert {path.split()[1] for path, _, _ in commands[1:]} == set(COMMANDS)
    for path, command, ctx in commands:
        text = command.get_help(ctx)
        for stray in ("{", "}", "<bool>", "[[", "--install-completion"):
            assert stray not in text, f"{path} --help shows {stray!r}:\n{text}"
        assert (command.help or "").strip(), f"{path} has no help"


def test_a_usage_error_prints_no_usage_block_and_no_box(monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(monkeypatch, "survey", "send", "--frob", env={})
    assert "Usage:" not in result.output
    assert "╭" not in result.output


@pytest.mark.parametrize("args", [("db", "upgrade"), ("survey", "list"), ("serve", "--port", "1")])
def test_an_older_release_refuses_a_database_a_newer_one_migrated(
    args: tuple[str, ...], sqlite_templates: SqliteTemplates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_templates.copy(tmp_path / "newer.db", "demo")
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0099_from_a_newer_release'"))
    result = invoke(monkeypatch, *args, env=_env(url), cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1].startswith("alliance-bot: the database is at migration 0099_from_a_newer")
    assert "a newer release migrated it; run that release or a newer one" in result.stderr
    with session_scope(engine) as session:  # left as the newer release made it
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == "0099_from_a_newer_release"
    engine.dispose()
