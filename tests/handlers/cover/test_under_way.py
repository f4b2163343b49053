"""A sick call for today whose hours have begun (`sick today 7-3` at 07:10): asked from the next quarter hour and
said so, never refused as over, nor its own [07:00–12:00] button offered and then refused."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models.cover.tables import Shift
from models.db import session_scope
from tests.dialog import Dialog, only


def at_ten_past_seven(demo: Dialog) -> None:
    now = demo.clock.now()  # Mon 30 Nov, 06:05 in New York
    demo.clock.advance(now.replace(hour=12, minute=10) - now)  # 07:10 in New York


def test_a_sick_call_whose_hours_have_begun_is_asked_from_the_next_quarter_hour(demo: Dialog) -> None:
    at_ten_past_seven(demo)
    summary = only(demo.as_("Alice").says("sick today 7-3"))
    assert summary.text.splitlines()[:2] == [
        "The start (07:00) has already passed, so cover starts at 07:15.",
        "Please check your request:",
    ]
    assert "• Mon 30 Nov, 07:15–15:00" in summary.text
    demo.presses(summary.press("Send"))
    with session_scope(demo.engine) as session:
        shift = session.exec(select(Shift)).one()
    assert (shift.starts_at.hour, shift.starts_at.minute) == (12, 15)  # 07:15 in New York
    spanish = only(demo.as_("Lucía").says("estoy enferma, necesito suplente hoy de 7 a 3"))
    assert spanish.text.startswith("Ya pasó la hora de inicio (07:00), así que la cobertura empieza a las 07:15.")
    assert "• lun 30 nov, 07:15–15:00" in spanish.text


def test_todays_time_buttons_start_from_the_next_quarter_hour(demo: Dialog) -> None:
    at_ten_past_seven(demo)
    question = only(demo.as_("Alice").says("sick today"))
    assert [label for label, _payload in question.buttons] == ["07:15–12:00", "12:00–18:00", "07:15–18:00"]
    summary = only(demo.presses(question.press("07:15–12:00")))
    assert "• Mon 30 Nov, 07:15–12:00" in summary.text  # its own button is never refused as over
    tomorrow = only(demo.as_("Chloe").says("need a floater tomorrow for planning"))
    assert tomorrow.buttons[0][0] == "06:30–12:00"  # another day: the site's hours


def test_a_summary_sent_after_its_start_passed_shows_the_new_start_first(demo: Dialog) -> None:
    at_ten_past_seven(demo)
    summary = only(demo.as_("Alice").says("sick today 7:30-11"))
    assert "• Mon 30 Nov, 07:30–11:00" in summary.text
    demo.clock.advance(timedelta(minutes=25))  # 07:35: she read it a while
    again = only(demo.presses(summary.press("Send")))
    assert again.text.startswith("The start (07:30) has already passed, so cover starts at 07:45.")
    assert "• Mon 30 Nov, 07:45–11:00" in again.text
    with session_scope(demo.engine) as session:
        assert session.exec(select(Shift)).all() == []  # nothing sent until she sends this one


def test_hours_that_are_over_are_still_refused(demo: Dialog) -> None:
    at_ten_past_seven(demo)
    refused = only(demo.as_("Alice").says("need a floater today 6:30-7"))
    assert refused.text.startswith("Mon 30 Nov 06:30 has already passed.")


def test_another_day_chosen_after_the_start_moved_has_her_own_start_again(demo: Dialog) -> None:
    at_ten_past_seven(demo)
    summary = only(demo.as_("Alice").says("sick today 7-3"))
    assert "• Mon 30 Nov, 07:15–15:00" in summary.text
    day = only(demo.presses(only(demo.presses(summary.press("Change"))).press("Day")))
    assert "• Tue 1 Dec, 07:00–15:00" in only(demo.says("tomorrow")).text, day.text  # not 07:15


def test_too_little_left_of_todays_hours_is_refused_as_over(demo: Dialog) -> None:
    at_ten_past_seven(demo)
    refused = only(demo.as_("Alice").says("sick today 7-7:20"))
    assert refused.text.startswith("Mon 30 Nov 07:00 has already passed.")  # not a 5-minute shift from 07:15


def test_today_after_the_last_hour_asks_another_day(demo: Dialog) -> None:
    now = demo.clock.now()
    demo.clock.advance(now.replace(hour=22, minute=50) - now)  # 17:50 in New York; Sunflower closes at 18:00
    late = only(demo.as_("Alice").says("sick today"))
    assert late.text == "Sunflower Center closes at 18:00: no time is left today. Which day do you need?"
    assert late.buttons[0][0] == "Tue 1 Dec"
