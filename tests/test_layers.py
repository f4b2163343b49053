"""The import-layer contracts hold, and would catch a platform import below bot/ or a query outside models/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_contract(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def copy_tree(target: Path) -> Path:
    for package in ("bot", "handlers", "models", "scheduler"):
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_contract_holds_for_the_project(tmp_path: Path) -> None:
    result = run_contract(copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_platform_import_in_handlers_breaks_the_contract(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    (tree / "handlers" / "leak.py").write_text("import telegram\n")
    result = run_contract(tree)
    assert result.returncode != 0
    assert "The core never imports a chat platform BROKEN" in result.stdout
    assert "handlers.leak -> telegram" in result.stdout


def test_importing_bot_from_the_core_breaks_the_contract(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    (tree / "models" / "leak.py").write_text("from bot.settings import Settings\n")
    result = run_contract(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_a_query_built_in_the_scheduler_breaks_the_contract(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    (tree / "scheduler" / "leak.py").write_text("from sqlmodel import select\n")
    result = run_contract(tree)
    assert result.returncode != 0
    assert "scheduler.leak -> sqlmodel" in result.stdout
