"""The command line run in this process (the same Typer app as the installed script, without its seconds of
start-up): arguments, environment and working folder as a user's shell would give them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app


def invoke(
    monkeypatch: pytest.MonkeyPatch, *args: str, env: dict[str, str], cwd: Path | None = None, input: str | None = None
) -> Result:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(app, list(args), input=input)
