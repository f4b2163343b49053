"""`alliance-bot roster import | export` through the command line (in this process)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

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
    assert "Ada Teacher,Oak Hill,teacher,Ducklings,ada@oak.example,555-0100,en,,,U01ADA," in exported.stdout


def test_a_bad_file_exits_2_naming_each_line(tmp_path: Path, cli: Callable[..., Result]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text((FILES / "people.csv").read_text(encoding="utf-8-sig") + "Eve,Nowhere,teacher,,,,en,,,,\n")
    result = cli("roster", "import", str(bad), "--sites", str(FILES / "sites.csv"))
    assert result.exit_code == 2
    assert "bad.csv, line 6: site: unknown site 'Nowhere'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "No changes" not in result.stdout
    assert cli("roster", "export").stdout.count("\n") == 1  # the header only


def test_a_missing_file_is_bad_input(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("roster", "import", "nope.csv")
    assert result.exit_code == 2
    assert "no such file" in result.stderr
