"""`alliance-bot roster import | export` through the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FILES = Path(__file__).resolve().parents[1] / "models" / "roster_files"
CLI = Path(sys.executable).with_name("alliance-bot")


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'roster.db'}"}
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, env=env, cwd=tmp_path, check=False)


def test_import_twice_then_export(tmp_path: Path) -> None:
    first = cli(tmp_path, "roster", "import", str(FILES / "people.csv"), "--sites", str(FILES / "sites.csv"))
    assert first.returncode == 0, first.stderr
    assert "Created 6:" in first.stdout
    second = cli(tmp_path, "roster", "import", str(FILES / "people.csv"), "--sites", str(FILES / "sites.csv"))
    assert second.returncode == 0
    assert "No changes" in second.stdout
    exported = cli(tmp_path, "roster", "export")
    assert exported.stdout.startswith("name,site,roles,room,email,phone,language,age_groups,credentials,")
    assert "Ada Teacher,Oak Hill,teacher,Ducklings,ada@oak.example,555-0100,en,,,U01ADA," in exported.stdout


def test_a_bad_file_exits_2_naming_each_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text((FILES / "people.csv").read_text(encoding="utf-8-sig") + "Eve,Nowhere,teacher,,,,en,,,,\n")
    result = cli(tmp_path, "roster", "import", str(bad), "--sites", str(FILES / "sites.csv"))
    assert result.returncode == 2
    assert "bad.csv, line 6: site: unknown site 'Nowhere'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "No changes" not in result.stdout
    assert cli(tmp_path, "roster", "export").stdout.count("\n") == 1  # the header only


def test_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = cli(tmp_path, "roster", "import", "nope.csv")
    assert result.returncode == 2
    assert "no such file" in result.stderr
