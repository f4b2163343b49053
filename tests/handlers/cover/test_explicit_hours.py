"""An hour written on a 24-hour clock (`05:00`) is kept as written, so the request flow refuses it as it is."""

from __future__ import annotations

import pytest

from tests.dialog import Dialog, only


@pytest.mark.twin
def test_an_early_explicit_hour_today_is_refused_as_past_not_moved_to_the_afternoon(demo: Dialog) -> None:
    refused = only(demo.as_("Alice").says("need a floater today 05:00-09:00 for planning"))
    assert refused.text == "Mon 30 Nov 05:00 has already passed. Which day and time do you need?"
