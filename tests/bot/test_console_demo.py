"""The console demo as a new user runs it: scripted input from a pipe — through the installed script once, and in
this process for the rest (the same CLI, without its start-up); most of them on the file a first run leaves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Protocol

import pytest
from typer.testing import Result

from tests.cli import invoke
from tests.conftest import SqliteTemplates

CLI = Path(sys.executable).with_name("alliance-bot")


class Run(Protocol):
    def __call__(self, script: str, *args: str) -> Result: ...


@pytest.fixture
def first_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The demo on a new file: it seeds the demo Alliance first."""

    def run(script: str, *args: str) -> Result:
        arguments = ("demo", "--db", str(tmp_path / "demo.db"), "--now", "2026-11-30T06:05", *args)
        return invoke(monkeypatch, *arguments, env={"HOME": str(tmp_path)}, cwd=tmp_path, input=script)

    return run


@pytest.fixture
def run_demo(tmp_path: Path, first_run: Run, sqlite_templates: SqliteTemplates) -> Run:
    """The demo on the file a first run at the same time left: the demo Alliance with its history, seeded at START
    (the tests' copy of what `seed_demo` makes, instead of seeding it again)."""
    sqlite_templates.copy(tmp_path / "demo.db", "history")
    return first_run


def demo(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "demo", "--db", str(tmp_path / "demo.db"), "--now", "2026-11-30T06:05", *args],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
        timeout=120,
    )


def test_who_then_a_spanish_teachers_help(tmp_path: Path, first_run: Run) -> None:
    result = first_run("/who\n/as beatriz\n/help\n/quit\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Seeded the demo Alliance" in out
    for name in ("Alice Johnson", "Diego Torres", "Hana Okafor", "Olivia Reed", "Carmen Flores"):
        assert name in out
    assert "You are now Beatriz Ramírez" in out
    assert "Estás en la lista como: docente (Sunflower Center · Little Sprouts)." in out
    assert "/ayuda — ver lo que puedes hacer aquí" in out


def test_numbers_press_buttons_and_the_database_is_reused(tmp_path: Path, first_run: Run) -> None:
    first = first_run("/as alice\n/lang\n#2\n")
    assert first.exit_code == 0, first.output
    assert "[#2] Español" in first.stdout
    assert "Listo: desde ahora te escribiré en español." in first.stdout
    second = first_run("/as alice\n/help\n")
    assert "Using the roster already in" in second.stdout
    assert "Estás en la lista como" in second.stdout


def test_the_clock_moves_and_bad_names_are_explained(tmp_path: Path, run_demo: Run) -> None:
    result = run_demo("/clock\n/clock +2h\n/clock 2026-12-03T06:00\n/clock yesterday\n/as zz\n/as ma\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Simulated time: Monday 2026-11-30 06:05 (America/New_York)" in out
    assert "Simulated time: Monday 2026-11-30 08:05" in out
    assert "Simulated time: Thursday 2026-12-03 06:00" in out
    assert "Could not move the clock" in out
    assert "'zz' matches nobody" in out
    assert "'ma' matches" in out
    assert "María García" in out


def test_a_bad_start_time_is_bad_usage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(monkeypatch, "demo", "--db", str(tmp_path / "d.db"), "--now", "soon", env={}, cwd=tmp_path)
    assert result.exit_code == 2
    assert "--now" in result.stderr


def test_the_readme_floater_session(tmp_path: Path) -> None:
    script = (Path(__file__).resolve().parents[2] / "docs" / "scripts" / "floater-request.txt").read_text()
    result = demo(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "→ Emma Wilson:\n  Can you cover this shift?" in out
    assert "Simulated time: Monday 2026-11-30 06:15" in out
    assert "→ Sofía Castillo:\n  ¿Puedes cubrir este turno?" in out
    assert "Fatima> #1\nConfirmed — thank you!" in out
    assert "→ Diana Park:\n  Fatima Ali is coming to cover" in out
    assert "covered by Fatima Ali" in out


def test_the_readme_weekly_pulse_session(tmp_path: Path, run_demo: Run) -> None:
    script = (Path(__file__).resolve().parents[2] / "docs" / "scripts" / "weekly-pulse.txt").read_text()
    result = run_demo(script)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Sent “Weekly pulse” to 2 people." in out
    assert "→ Carmen Flores:\n  📋 Pulso semanal" in out
    assert "Diana> #1\nThank you! Your answers are in." in out
    assert "Answered: 1 of 2 (50%)." in out
    assert "mean 41.5, median 41.5, n=1" in out


def test_the_readme_supervision_session(tmp_path: Path, run_demo: Run) -> None:
    script = (Path(__file__).resolve().parents[2] / "docs" / "scripts" / "supervision.txt").read_text()
    result = run_demo(script)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Published 1 session: Fri 4 Dec, 13:00–14:00 (video call)." in out
    assert "Alice> #5\nBooked: Fri 4 Dec, 13:00–14:00." in out
    assert "→ Emma Wilson:\n  Can you cover this shift?" in out
    assert "Protected time: reflective supervision" in out
    confirmations = [line.strip() for line in out.splitlines() if line.strip().startswith("📎")]
    assert len(confirmations) == 2  # the teacher's (her booking's event) and the supervisor's (the session's)
    for line in confirmations:
        path = tmp_path / line.removeprefix("📎").strip()
        assert path.read_text().startswith("BEGIN:VCALENDAR")
    assert "   Alice Johnson: confirmed, classroom covered" in out


def test_a_typed_number_is_an_answer_and_only_a_hash_number_presses_a_button(tmp_path: Path, run_demo: Run) -> None:
    result = run_demo("/as hana\n/surveys\n#5\n#1\n#2\n#1\n/as diana\n#1\n30\n31\n1\n#1\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Diana> 1\nQuestion 4 of 4" in out  # "1" answered the vacancies, though [#1] ← Back was shown
    assert "Diana> #1\nPlease check your answers:" in out  # "#1" pressed the rating's first button


def test_a_hash_number_with_no_button_is_said_so_and_old_buttons_end_with_newer_messages(
    tmp_path: Path, run_demo: Run
) -> None:
    out = run_demo("/as hana\n/lang\n/roster\n#1\n#99\n").stdout
    assert out.count("There is no button #1 on the latest messages.") == 1  # /roster's answer had none
    assert "There is no button #99 on the latest messages." in out
    assert "Listo" not in out  # her language stayed as it was
