"""`next week` without its day asks which day of it (it used to book today), the hours kept."""

from __future__ import annotations

from datetime import timedelta

from tests.dialog import Dialog, only


def labels(question: object) -> list[str]:
    return [label for label, _payload in question.buttons]  # type: ignore[attr-defined]


def test_next_week_without_a_day_asks_which_day_of_it_and_keeps_the_hours(demo: Dialog) -> None:
    question = only(demo.as_("Alice").says("floater next week 9-11 planning"))  # Mon 30 Nov
    assert question.text == "Which day next week? Pick one, or type its date (for example: 12/8)."
    assert labels(question) == ["Mon 7 Dec", "Tue 8 Dec", "Wed 9 Dec", "Thu 10 Dec", "Fri 11 Dec", "Cancel"]
    summary = only(demo.presses(question.press("Tue 8 Dec")))
    assert "• Tue 8 Dec, 09:00–11:00" in summary.text  # the hours and the reason kept
    assert "Reason: planning time" in summary.text
    spanish = only(demo.as_("Lucía").says("necesito suplente la semana que viene de 9 a 11"))
    assert spanish.text == "¿Qué día de la semana que viene? Elige uno o escribe su fecha (por ejemplo: 8/12)."
    assert only(demo.says("8/12")).text.startswith("¿Para qué es?")  # 8 December, her hours kept


def test_next_week_typed_where_the_day_is_asked_offers_that_weeks_days(demo: Dialog) -> None:
    only(demo.as_("Alice").says("need a floater"))
    question = only(demo.says("next week"))
    assert labels(question)[0] == "Mon 7 Dec"


def test_saying_next_week_is_no_request(demo: Dialog) -> None:
    chatter = only(demo.as_("Alice").says("thanks, see you next week!"))
    assert "Which day" not in chatter.text


def test_this_week_without_a_day_asks_which_day_of_what_is_left_of_it(demo: Dialog) -> None:
    demo.clock.advance(timedelta(days=2))  # Wed 2 Dec
    question = only(demo.as_("Alice").says("floater this week 9-11 planning"))
    assert question.text == "Which day this week? Pick one or type it (for example: Friday)."
    assert labels(question) == ["Wed 2 Dec", "Thu 3 Dec", "Fri 4 Dec", "Cancel"]
    assert "• Fri 4 Dec, 09:00–11:00" in only(demo.says("friday")).text
    spanish = only(demo.as_("Lucía").says("necesito suplente esta semana de 9 a 11"))
    assert spanish.text == "¿Qué día de esta semana? Elige uno o escríbelo (por ejemplo: viernes)."


def test_a_weekday_typed_for_which_day_next_week_is_that_day_of_next_week(demo: Dialog) -> None:
    """ "thursday" answering "Which day next week?" gave this week's Thursday."""
    only(demo.as_("Alice").says("floater next week 9-11 planning"))  # Mon 30 Nov
    assert "• Thu 10 Dec, 09:00–11:00" in only(demo.says("thursday")).text
    only(demo.as_("Lucía").says("necesito suplente la semana que viene de 9 a 11 para planificar"))
    both = only(demo.says("el martes y el jueves")).text
    assert "• mar 8 dic, 09:00–11:00" in both
    assert "• jue 10 dic, 09:00–11:00" in both
    changed = only(demo.presses("cv:day"))  # [Change] → Day, the day chosen: a weekday is read as usual again
    assert "• vie 4 dic" in only(demo.says("viernes")).text, changed.text
