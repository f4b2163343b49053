from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.e2e.stack import Stack


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    running = Stack(tmp_path).start()
    yield running
    running.stop()
