"""The draft is never lost: an answer that cannot be used keeps it, a new request typed at a question replaces it
(and says so), hours alone at the summary change its times.

The clock starts Monday 30 Nov 2026 06:05 in New York; Sunflower Center opens 06:30–18:00.
"""

from __future__ import annotations

from models.cover.tables import Shift
from tests.dialog import Dialog, only
from tests.handlers.cover.test_understanding import count, labels, nothing_stored


def test_a_new_request_typed_at_the_reason_question_replaces_the_draft(demo: Dialog) -> None:
    assert only(demo.as_("Alice").says("need a floater tomorrow 8-12")).text.startswith("What is it for?")
    summary = only(demo.says("actually I need a floater friday 9-11 for training"))
    assert summary.text.splitlines() == [
        "Starting over with your new request.",
        "Please check your request:",
        "Sunflower Center · Butterflies (toddlers)",
        "• Fri 4 Dec, 09:00–11:00",
        "Reason: training",
    ]
    demo.presses(summary.press("Send"))
    assert count(demo, Shift) == 1


def test_hours_alone_typed_at_the_summary_change_its_times_and_keep_the_rest(demo: Dialog) -> None:
    """They used to start over, and ask the reason she had given again."""
    demo.as_("Alice").says("need a floater tomorrow 8-12 for planning")
    summary = only(demo.says("9-11"))
    assert summary.text.splitlines()[1:] == [
        "Sunflower Center · Butterflies (toddlers)",
        "• Tue 1 Dec, 09:00–11:00",
        "Reason: planning time",
    ]
    demo.as_("María").says("necesito flotante mañana de 8 a 12 para planear")
    assert "• mar 1 dic, 09:00–11:00" in only(demo.says("de 9 a 11")).text.splitlines()


def test_a_new_request_in_spanish_at_the_reason_question(demo: Dialog) -> None:
    demo.as_("María").says("necesito flotante mañana de 8 a 12")
    answer = only(demo.says("mejor necesito flotante el jueves de 9 a 11"))
    assert answer.text.splitlines()[0] == "Empiezo de nuevo con tu nueva solicitud."
    assert answer.text.splitlines()[1].startswith("¿Para qué es?")


def test_a_new_request_at_the_summary_starts_over_and_says_so(demo: Dialog) -> None:
    demo.as_("Alice").says("need a floater tomorrow 8-12 for planning")
    summary = only(demo.says("sorry, need a floater wednesday 1-3 for training"))
    assert summary.text.splitlines()[0] == "Starting over with your new request."
    assert summary.text.splitlines()[3:] == ["• Wed 2 Dec, 13:00–15:00", "Reason: training"]


def test_an_answer_that_is_no_reason_keeps_the_draft(demo: Dialog) -> None:
    demo.as_("Alice").says("need a floater tomorrow 8-12")
    assert only(demo.says("hmm")).text == "Please pick one of the reasons below."
    summary = only(demo.says("dentist"))
    assert summary.text.splitlines()[2:] == ["• Tue 1 Dec, 08:00–12:00", "Reason: personal"]


def test_times_outside_opening_hours_keep_the_rest_of_the_draft(demo: Dialog) -> None:
    refused = only(demo.as_("Hannah").says("need a floater tomorrow 5pm-7pm for planning"))
    assert refused.text == "Maple Street Early Learning is open 07:00–17:30; please choose times inside those hours."
    assert labels(refused) == ["07:00–12:00", "12:00–17:30", "07:00–17:30"]
    assert nothing_stored(demo)
    summary = only(demo.says("1-3"))
    assert summary.text.splitlines()[2:] == ["• Tue 1 Dec, 13:00–15:00", "Reason: planning time"]


def test_a_new_request_at_the_room_question_starts_over(demo: Dialog) -> None:
    demo.as_("Diana").says("need a floater friday 9-11 for training")
    summary = only(demo.says("need a floater in the butterflies room thursday 8-12 for planning"))
    assert summary.text.splitlines()[:4] == [
        "Starting over with your new request.",
        "Please check your request:",
        "Sunflower Center · Butterflies (toddlers)",
        "• Thu 3 Dec, 08:00–12:00",
    ]
