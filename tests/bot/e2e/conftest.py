from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.e2e.stack import Stack
from tests.conftest import SqliteTemplates


@pytest.fixture
def stack(tmp_path: Path, sqlite_templates: SqliteTemplates) -> Iterator[Stack]:
    running = Stack(tmp_path, sqlite_templates.copy(tmp_path / "e2e.db", "demo")).start()
    yield running
    running.stop()
