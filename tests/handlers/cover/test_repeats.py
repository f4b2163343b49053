"""A request that repeats one already made — hers, or someone else's for the room — or repeats itself (hours of
one day that overlap): what is left out, merged or said before anything is sent.

The clock starts Monday 30 Nov 2026 06:05 in New York.
"""

from __future__ import annotations

from tests.dialog import Dialog, only


def test_a_series_leaves_out_the_days_she_already_asked_for_and_says_so(demo: Dialog) -> None:
    """One week asked for before used to refuse the whole series."""
    first = only(demo.as_("Alice").says("need a floater tuesday 2-4 planning"))  # Tue 1 Dec
    demo.presses(first.press("Send"))
    series = only(demo.says("floater every tuesday until dec 22, 2-4pm planning"))
    assert series.text.splitlines()[:2] == [
        "You already asked for cover at times that overlap Tue 1 Dec, 14:00–16:00, so I left it out.",
        "Please check your request:",
    ]
    assert "• Tue 1 Dec" not in series.text
    assert "• Tue 8 Dec, 14:00–16:00" in series.text
    demo.presses(series.press("Send"))
    again = only(demo.says("floater every tuesday until dec 22, 2-4pm planning"))  # all asked for: refused
    assert again.text.startswith("You already asked for cover in Butterflies on Tue 1 Dec at that time.")
    spanish = only(demo.as_("Lucía").says("necesito suplente el martes de 2 a 4 para planificar"))
    demo.presses(spanish.press("Enviar"))
    weekly = only(demo.says("necesito suplente todos los martes hasta el 22 de diciembre de 2 a 4 para planificar"))
    assert weekly.text.startswith("Ya pediste cobertura en un horario que se cruza con mar 1 dic, 14:00–16:00, así")


def test_a_room_someone_else_asked_for_then_is_said_before_it_is_sent(demo: Dialog) -> None:
    """A director and the room's teacher both asking sent every floater two identical offers, without a word."""
    first = only(demo.as_("Diana").says("floater tomorrow 9-11 in Little Sprouts, planning"))
    demo.presses(first.press("Send"))
    second = only(demo.as_("Beatriz").says("necesito flotante mañana de 9 a 11, planificación"))
    assert second.text.splitlines()[:2] == [
        "Diana Park ya pidió cobertura en Little Sprouts a esa hora. "
        "Envía esta solo si el salón necesita otra flotante.",
        "Revisa tu solicitud:",
    ]
    other_room = only(demo.as_("Alice").says("need a floater tomorrow 9-11 planning"))  # Butterflies: nothing said
    assert other_room.text.startswith("Please check your request:")


def test_hours_of_one_day_that_overlap_are_asked_for_once(demo: Dialog) -> None:
    """ "tomorrow 8-12 and 9-11" made two shifts of one room at once: two floaters would have come."""
    summary = only(demo.as_("Alice").says("need a floater tomorrow 8-12 and 9-11 for planning"))
    assert summary.text.splitlines()[0] == "Two of those times overlap on Tue 1 Dec, so I asked for 08:00–12:00 once."
    assert "• Tue 1 Dec, 08:00–12:00" in summary.text
    assert "09:00–11:00" not in summary.text
    apart = only(demo.as_("Chloe").says("need a floater tomorrow 8-10 and 1-3 for planning"))
    assert apart.text.startswith("Please check your request:")  # two windows apart stay two
