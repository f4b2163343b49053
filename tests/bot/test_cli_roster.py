"""`alliance-bot roster import | export` through the command line (in this process)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import Result

from models.db import make_engine, session_scope
from models.messaging.tables import OutboxKind, OutboxMessage, OutboxStatus
from models.roster.people import touch_account
from tests.cli import invoke

FILES = Path(__file__).resolve().parents[1] / "models" / "roster_files"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'roster.db'}"}
    return lambda *args: invoke(monkeypatch, *args, env=env, cwd=tmp_path)


def test_import_twice_then_export(tmp_path: Path, cli: Callable[..., Result]) -> None:
    first = cli("roster", "import", str(FILES / "people.csv"), "--sites", str(FILES / "sites.csv"))
    assert first.exit_code == 0, first.stderr
    assert "Created 6:" in first.stdout
    second = cli("roster", "import", str(FILES / "people.csv"), "--sites", str(FILES / "sites.csv"))
    assert second.exit_code == 0
    assert "No changes" in second.stdout
    exported = cli("roster", "export")
    assert exported.stdout.startswith("name,site,roles,room,email,phone,language,age_groups,credentials,")
    assert "Ada Teacher,Oak Hill,teacher,Ducklings,ada@oak.example,+12015550100,en,,,U01ADA," in exported.stdout


def test_a_bad_file_exits_2_naming_each_line(tmp_path: Path, cli: Callable[..., Result]) -> None:
    bad = tmp_path / "bad.csv"
    people = (FILES / "people.csv").read_text(encoding="utf-8-sig")
    bad.write_text(people + "Eve,Nowhere,teacher,,,,en,,,,\nFay,,janitor,,,,en,,,,\n")
    favourites = tmp_path / "favourites.csv"
    favourites.write_text("site,floater,kind\nOak Hill,Ada Teacher,favourite\n")
    sites = str(FILES / "sites.csv")
    result = cli("roster", "import", str(bad), "--sites", sites, "--preferences", str(favourites))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:3] == [
        "bad.csv, line 6: site: unknown site 'Nowhere'",
        "bad.csv, line 7: roles: Input should be 'teacher', 'floater', 'director', 'supervisor' or 'hub'",
        "favourites.csv, line 2: floater: 'Ada Teacher' is not a floater on the roster",
    ]
    assert "3 problem(s) found; nothing was imported" in result.stderr
    assert "No changes" not in result.stdout
    assert cli("roster", "export").stdout.count("\n") == 1  # the header only


def test_a_missing_file_is_bad_input(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("roster", "import", "nope.csv")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_the_preferences_file_is_imported(tmp_path: Path, cli: Callable[..., Result]) -> None:
    favourites = tmp_path / "favourites.csv"
    favourites.write_text("site,floater,kind\nOak Hill,Cora Floater,favourite\n")
    people, sites = str(FILES / "people.csv"), str(FILES / "sites.csv")
    result = cli("roster", "import", people, "--sites", sites, "--preferences", str(favourites))
    assert result.exit_code == 0, result.stderr
    assert "favourite Cora Floater at Oak Hill" in result.stdout


def test_an_import_that_changes_someones_roles_asks_for_her_telegram_menu(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    people = tmp_path / "people.csv"
    header = "name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id\n"
    engine = make_engine(f"sqlite:///{tmp_path / 'roster.db'}")

    def imported(bo: str, cy: str) -> list[tuple[str | None, str]]:
        """Import Bo (on Telegram) and Cy (not) with these roles; the command menu rows so far, each marked
        sent (as `serve` would), so the next import's are new rows."""
        people.write_text(header + f"Bo Floater,,{bo},,,,es,toddler,,,5005\nCy Hub,,{cy},,,,en,,,,\n")
        assert cli("roster", "import", str(people)).exit_code == 0
        with session_scope(engine) as session:
            rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.COMMANDS)).all()
            found = [(row.chat_id, row.status.value) for row in rows]
            for row in rows:
                row.status = OutboxStatus.SENT
        return found

    try:
        assert imported("floater", "hub") == []  # on Telegram, but she has never written: no chat to draw it in
        with session_scope(engine) as session:  # she presses Start (her chat is known from then on)
            touch_account(session, platform="telegram", platform_user_id="5005", chat_id="5005", at=datetime.now(UTC))
        assert imported("floater", "hub;floater") == []  # Cy has no Telegram account
        assert imported("floater;hub", "hub;floater") == [("5005", "pending")]
        assert imported("floater;hub", "hub;floater") == [("5005", "sent")]  # nothing changed: nothing new
    finally:
        engine.dispose()
