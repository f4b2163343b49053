"""Hub staff's survey buttons: a double tap sends once; the list of runs; who has not answered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.dialog import Dialog, only, to


def test_a_double_tap_on_send_sends_once_and_a_later_tap_sends_again(demo: Dialog) -> None:
    first = demo.as_("Hana").presses("ss:weekly-pulse:director:3:none")
    assert to(first, "Hana")[0].text.startswith("Sent “Weekly pulse” to 2 people.")
    again = only(demo.presses("ss:weekly-pulse:director:3:none"))
    assert again.text == "This survey was just sent to them; nothing was sent twice."
    other_audience = demo.presses("ss:weekly-pulse:hub:3:none")
    assert to(other_audience, "Hana")[0].text.startswith("Sent “Weekly pulse” to ")
    demo.wait(timedelta(minutes=3))
    later = demo.as_("Hana").presses("ss:weekly-pulse:director:3:weekly")
    assert to(later, "Hana")[0].text.startswith("Sent “Weekly pulse” to 2 people.")


@pytest.mark.twin
def test_surveys_lists_the_runs_newest_first_without_previews(demo: Dialog) -> None:
    demo.as_("Hana").presses("ss:weekly-pulse:director:3:none")
    demo.presses("sp:needs-assessment")
    demo.wait(timedelta(minutes=3))
    demo.as_("Hana").presses("ss:monthly-finance:director:7:monthly")
    runs = [m.text for m in demo.as_("Hana").says("/surveys") if "answered" in m.text]
    assert len(runs) == 2
    assert runs[0].startswith("Monthly finance")
    assert runs[0].endswith("0 of 2 answered, open")
    assert runs[1].startswith("Weekly pulse")
    assert runs[1].endswith("0 of 2 answered, open")


def test_who_has_not_answered_names_them_in_order(demo: Dialog) -> None:
    demo.as_("Hana").presses("ss:weekly-pulse:director:3:none")
    assert only(demo.presses("snr:1")).text == "Not answered yet (2): Carmen Flores, Diana Park"
