"""`alliance-bot supervision import | export | list`, run in-process on a copy of the seeded demo (which already
has both supervisors' weekly slots); one run through the installed script proves the command is registered."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.cli.common import shown
from models.db import make_engine, session_scope
from models.roster.tables import Person
from models.supervision import writes
from models.supervision.tables import BookingStatus, SupervisionSeries, SupervisionSession
from tests.dialog import Dialog

NOW = "2026-11-30T06:05"  # Monday morning in New York, when the demo was seeded
HEADER = "supervisor,day,start,minutes,repeat,until,capacity,place\n"
GOOD = (
    HEADER
    + "Olivia Reed,fri,11:00,45,weekly,2027-01-29,3,Butterflies\n"
    + "Marisol Vega,2026-12-09,16:00,60,,,,Casa de los Niños / Pollitos\n"
    + "Olivia Reed,2026-12-07,15:30,30,none,,1,videollamada\n"
)
Run = Callable[..., Result]


@pytest.fixture
def cli(demo: Dialog, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`alliance-bot ARGS…` on this test's copy of the demo, counting from the demo's Monday morning."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ALLIANCE_TIMEZONE", "America/New_York")

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["supervision", *args, "--now", NOW])

    return run


def counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        found = (
            session.exec(select(func.count()).select_from(SupervisionSession)).one(),
            session.exec(select(func.count()).select_from(SupervisionSeries)).one(),
        )
    engine.dispose()
    return found


def book(url: str, supervisor: str, starts: str, teacher: str, status: BookingStatus | None = None) -> None:
    """A seat in the supervisor's session starting at `starts` (UTC), as the chat would book it."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        who = {p.name: p.id for p in session.exec(select(Person)).all()}
        starts_at = datetime.fromisoformat(starts).replace(tzinfo=UTC)
        sitting = session.exec(
            select(SupervisionSession).where(
                SupervisionSession.supervisor_id == who[supervisor], SupervisionSession.starts_at == starts_at
            )
        ).one()
        booking = writes.book(session, session_id=sitting.id or 0, teacher_id=who[teacher] or 0, at=starts_at)
        if status is not None:
            booking.status = status
            session.add(booking)
    engine.dispose()


def write(tmp_path: Path, text: str, name: str = "slots.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_file_publishes_sessions_and_a_series_and_a_second_import_changes_nothing(
    cli: Run, tmp_path: Path, database_url: str
) -> None:
    before = counts(database_url)
    first = cli("import", write(tmp_path, GOOD))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        "Created 11 session(s):",
        "  Olivia Reed, weekly Fri 11:00–11:45, 2026-12-04 to 2027-01-29 (9 sessions), Sunflower Center / Butterflies",
        "  Marisol Vega, Wed 2026-12-09 16:00–17:00, Casa de los Niños / Pollitos",
        "  Olivia Reed, Mon 2026-12-07 15:30–16:00, video call",
        "Unchanged: 0 session(s)",
    ]
    assert counts(database_url) == (before[0] + 11, before[1] + 1)
    second = cli("import", write(tmp_path, GOOD))
    assert second.exit_code == 0
    assert second.stdout == "No changes: all 11 sessions are already published.\n"
    assert counts(database_url) == (before[0] + 11, before[1] + 1)


def test_a_bad_file_names_each_bad_line_and_publishes_nothing(cli: Run, tmp_path: Path, database_url: str) -> None:
    before = counts(database_url)
    bad = (
        GOOD
        + "Zed,fri,11:00,60,,,,video call\nOlivia Reed,2026-11-27,10:00,60,,,,video call\nOlivia Reed,wed,9,60,,,,\n"
        + "Marisol Vega,2026-12-12,10:00,60,,,,video call\nMarisol Vega,2026-12-12,10:30,60,,,,video call\n"
    )
    result = cli("import", write(tmp_path, bad, "bad.csv"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "bad.csv, line 5: supervisor: no one called 'Zed' is on the roster",
        "bad.csv, line 6: day: 2026-11-27 10:00 has already passed; a slot is for a session to come",
        "bad.csv, line 7: start: '9' is not a time; use HH:MM (24-hour), e.g. 09:30",
        "bad.csv, line 7: place: is empty: write a room, a site, Site / Room, or video call",
        "bad.csv, line 9: day: Marisol Vega already has a session at 2026-12-12 10:00 on line 8",  # overlapping rows
        f"alliance-bot: 5 problem(s) found; nothing was imported (database {shown(database_url)})",
    ]
    assert counts(database_url) == before


def test_bad_usage_is_one_line_with_status_2(cli: Run, tmp_path: Path) -> None:
    missing = cli("import", str(tmp_path / "nope.csv"))
    assert (missing.exit_code, missing.stderr) == (2, f"alliance-bot: no such file: {tmp_path / 'nope.csv'}\n")
    week = cli("list", "--week", "W50")
    assert (week.exit_code, week.stderr) == (2, "alliance-bot: --week 'W50': use an ISO week such as 2026-W49\n")
    columns = cli("import", write(tmp_path, "supervisor,day\nOlivia Reed,fri\n"))
    assert columns.exit_code == 2
    assert "slots.csv, line 1: missing column(s): start, minutes, place" in columns.stderr


def test_an_export_imports_as_unchanged(cli: Run, tmp_path: Path, database_url: str) -> None:
    assert cli("import", write(tmp_path, GOOD)).exit_code == 0
    out = tmp_path / "export.csv"
    exported = cli("export", "--out", str(out))
    assert exported.exit_code == 0
    assert exported.stderr == f"Wrote {out}\ndatabase: {shown(database_url)}\n"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER.strip()
    assert len(lines) == 1 + 36 + 11  # the demo's twelve weeks of three slots, and this file's
    assert "Olivia Reed,2026-12-07,15:30,30,none,,1,video call" in lines
    assert "Olivia Reed,2026-12-04,11:00,45,none,,3,Sunflower Center / Butterflies" in lines
    again = cli("import", str(out))
    assert again.stdout == "No changes: all 47 sessions are already published.\n"
    assert cli("export").stdout == out.read_text(encoding="utf-8")


def test_list_shows_a_week_with_seats_taken(cli: Run, tmp_path: Path, database_url: str) -> None:
    assert cli("import", write(tmp_path, GOOD)).exit_code == 0
    book(database_url, "Marisol Vega", "2026-12-09 14:30", "María García")
    book(database_url, "Marisol Vega", "2026-12-09 14:30", "Lucía Hernández", status=BookingStatus.CANCELLED)
    week = cli("list", "--week", "2026-W50")
    assert week.exit_code == 0, week.output
    assert week.stdout.splitlines() == [
        "2026-W50: 6 session(s)",
        "Mon 2026-12-07 15:30–16:00  Olivia Reed   video call                      0/1",
        "Tue 2026-12-08 10:00–11:00  Olivia Reed   Sunflower Center                0/1",
        "Wed 2026-12-09 09:30–10:30  Marisol Vega  Casa de los Niños               1/2",
        "Wed 2026-12-09 16:00–17:00  Marisol Vega  Casa de los Niños / Pollitos    0/1",
        "Thu 2026-12-10 14:00–15:00  Olivia Reed   video call                      0/1",
        "Fri 2026-12-11 11:00–11:45  Olivia Reed   Sunflower Center / Butterflies  0/3",
    ]
    this_week = cli("list")
    assert this_week.stdout.splitlines()[0] == "2026-W49: 4 session(s)"  # the demo's three and Friday's
    assert cli("list", "--week", "2030-W01").stdout == "No sessions in 2030-W01.\n"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # one run through the script is enough
def test_the_installed_script_runs_the_command(demo: Dialog, database_url: str, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("alliance-bot")
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url}
    listed = subprocess.run(
        [str(script), "supervision", "list", "--week", "2026-W49"], capture_output=True, text=True, env=env, check=False
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("2026-W49: 3 session(s)\nTue 2026-12-01 10:00–11:00  Olivia Reed")
