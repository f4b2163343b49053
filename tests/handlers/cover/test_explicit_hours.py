"""An hour written on a 24-hour clock (`05:00`) is kept as written, so the request flow refuses it as it is."""

from __future__ import annotations

import pytest

from tests.dialog import Dialog, only


@pytest.mark.twin
def test_an_early_explicit_hour_today_is_read_as_begun_not_moved_to_the_afternoon(demo: Dialog) -> None:
    begun = only(demo.as_("Alice").says("need a floater today 05:00-09:00 for planning"))  # at 06:05
    assert begun.text.startswith("The start (05:00) has already passed, so cover starts at 06:30.")  # it opens then
    assert "• Mon 30 Nov, 06:30–09:00" in begun.text
