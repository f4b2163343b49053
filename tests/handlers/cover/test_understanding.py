"""The request flow reads what teachers also write (spec/parsing.md, "Second round"): days that have passed or do
not exist, far days, parts of the day, every week, rooms that are not hers — and never loses the draft.

The clock starts Monday 30 Nov 2026 06:05 in New York; Sunflower Center opens 06:30–18:00, Casa de los Niños and
Maple Street 07:00.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from models.cover.tables import CoverRequest, Offer, Shift
from models.db import session_scope
from models.messaging.tables import Conversation
from models.roster.tables import Room
from tests.dialog import Dialog, Sent, only, to


def count(demo: Dialog, table: type) -> int:
    with session_scope(demo.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def nothing_stored(demo: Dialog) -> bool:
    return (count(demo, CoverRequest), count(demo, Shift), count(demo, Offer)) == (0, 0, 0)


def waiting_at(demo: Dialog) -> list[str]:
    """The step the draft waits at, if any."""
    with session_scope(demo.engine) as session:
        return [state.step for state in session.exec(select(Conversation)).all()]


def labels(message: Sent) -> list[str]:
    return [label for label, _payload in message.buttons]


def shift_rooms(demo: Dialog) -> list[str]:
    with session_scope(demo.engine) as session:
        return [room.name for room in session.exec(select(Room).join(Shift, col(Shift.room_id) == col(Room.id))).all()]


# The past


def test_yesterday_is_refused_at_once_naming_the_day(demo: Dialog) -> None:
    refused = only(demo.as_("Alice").says("need a floater yesterday 8-12 for planning"))
    assert refused.text == "Sun 29 Nov 08:00 has already passed. Which day and time do you need?"
    assert labels(refused) == ["Mon 30 Nov", "Tue 1 Dec", "Wed 2 Dec", "Thu 3 Dec", "Fri 4 Dec", "Cancel"]
    assert nothing_stored(demo)
    summary = only(demo.presses(refused.press("Tue 1 Dec")))  # the hours and reason she wrote are kept
    assert summary.text.splitlines()[2:] == ["• Tue 1 Dec, 08:00–12:00", "Reason: planning time"]


def test_a_day_that_has_passed_without_hours_asks_which_day(demo: Dialog) -> None:
    refused = only(demo.as_("Alice").says("need a sub yesterday"))
    assert refused.text == "Sun 29 Nov has already passed. Which day do you need?"
    assert only(demo.says("wednesday")).text.startswith("What times?")
    assert nothing_stored(demo)


def test_a_past_day_in_spanish_is_refused_in_spanish(demo: Dialog) -> None:
    refused = only(demo.as_("Beatriz").says("necesito una flotante ayer de 8 a 12"))
    assert refused.text == "Dom 29 nov a las 08:00 ya pasó. ¿Qué día y a qué hora lo necesitas?"
    assert only(demo.presses(refused.press("Cancelar"))).text == "Cancelado. No se envió nada."
    assert nothing_stored(demo)
    assert waiting_at(demo) == []


def test_a_past_day_beside_a_future_one_asks_only_for_the_future_one(demo: Dialog) -> None:
    message = "no one covered me yesterday, can I get a floater tomorrow 8-12 for planning"
    summary = only(demo.as_("Alice").says(message))
    assert summary.text.splitlines()[2:] == ["• Tue 1 Dec, 08:00–12:00", "Reason: planning time"]


def test_a_dated_day_that_has_passed_beside_days_ahead_is_left_out_and_said(demo: Dialog) -> None:
    """It used to be dropped without a word: `Nov 27 & Dec 8` asked for the 8th only."""
    summary = only(demo.as_("Alice").says("need a floater Nov 27 & Dec 8 8-12 for planning"))
    assert summary.text.splitlines()[:2] == [
        "Fri 27 Nov has already passed, so I left it out.",
        "Please check your request:",
    ]
    assert summary.text.splitlines()[3:] == ["• Tue 8 Dec, 08:00–12:00", "Reason: planning time"]
    days_in_a_row = only(demo.as_("Chloe").says("need a floater Nov 25, 26, 27 and Dec 9 8-12 for planning"))
    assert days_in_a_row.text.splitlines()[0] == "Wed 25 Nov–Fri 27 Nov have already passed, so I left them out."
    spanish = only(demo.as_("María").says("necesito flotante el 27 de noviembre y el 8 de diciembre de 8 a 12"))
    assert spanish.text.splitlines()[0] == "Vie 27 nov ya pasó, así que lo dejé fuera."
    assert nothing_stored(demo)


def test_days_left_out_of_the_answer_to_which_day_are_said_too(demo: Dialog) -> None:
    demo.as_("Alice").says("need a floater feb 30 8-12 for planning")
    summary = only(demo.says("nov 27 and dec 8"))
    assert summary.text.splitlines()[0] == "Fri 27 Nov has already passed, so I left it out."
    assert "• Tue 8 Dec, 08:00–12:00" in summary.text.splitlines()
    demo.as_("Chloe").says("/floater")
    assert only(demo.says("feb 30 and dec 9")).text.startswith("February has no 30th, so I left that date out.")


def test_a_past_day_typed_at_the_day_question_is_named_and_the_draft_kept(demo: Dialog) -> None:
    demo.as_("Chloe").says("/floater")
    assert only(demo.says("yesterday")).text == "Sun 29 Nov has already passed. Which day do you need?"
    assert waiting_at(demo) == ["ask_day"]
    assert only(demo.says("tomorrow")).text.startswith("What times?")


# Dates that do not exist, days far ahead


def test_february_30th_is_named_and_nothing_stored(demo: Dialog) -> None:
    refused = only(demo.as_("Alice").says("need a floater feb 30 8-12"))
    assert refused.text == "February has no 30th. Which day do you need?"
    assert nothing_stored(demo)
    assert only(demo.says("dec 8 8-12")).text.startswith("What is it for?")


def test_the_hours_typed_beside_a_day_that_does_not_exist_are_kept_for_the_day_named_next(demo: Dialog) -> None:
    """They used to be asked again ("What times?"), though she had written them."""
    assert only(demo.as_("Alice").says("need a floater feb 30 8-12 for planning")).text.startswith("February has")
    summary = only(demo.says("dec 8"))
    assert summary.text.splitlines()[2:] == ["• Tue 8 Dec, 08:00–12:00", "Reason: planning time"]
    backwards = only(demo.as_("Chloe").says("need a floater Dec 22-20 8-12 and 1-3"))
    assert backwards.text.startswith("A range of days has to go forward")
    assert only(demo.says("dec 9")).text.startswith("What is it for?")
    assert only(demo.says("planning")).text.splitlines()[2:4] == [  # both ranges: two shifts that day
        "• Wed 9 Dec, 08:00–12:00",
        "• Wed 9 Dec, 13:00–15:00",
    ]
    spanish = only(demo.as_("María").says("necesito flotante el 31 de abril de 8 a 12"))
    assert spanish.text == "No existe el 31 de abril. ¿Qué día lo necesitas?"
    assert only(demo.says("el 8 de diciembre")).text.startswith("¿Para qué es?")
    assert nothing_stored(demo)  # nothing until [Send]


def test_hours_alone_typed_where_the_day_was_asked_are_kept_and_the_day_asked_again(demo: Dialog) -> None:
    """They used to mean today, quietly, though she had been asked which day."""
    demo.as_("Alice").says("need a floater feb 30 8-12 for planning")
    again = only(demo.says("9-11"))
    assert again.text == "Which day are those hours for?"
    assert "Tue 1 Dec" in labels(again)
    summary = only(demo.says("dec 8"))
    assert summary.text.splitlines()[2:] == ["• Tue 8 Dec, 09:00–11:00", "Reason: planning time"]
    demo.as_("María").says("/flotante")
    assert only(demo.says("de 9 a 11")).text == "¿Para qué día son esas horas?"
    assert only(demo.says("el viernes")).text.startswith("¿Para qué es?")
    assert nothing_stored(demo)


def test_a_range_of_days_that_goes_back_is_asked_again_not_read_as_tomorrow(demo: Dialog) -> None:
    """`Dec 22-20` used to ask for tomorrow, silently: no day is guessed from a range that is none."""
    refused = only(demo.as_("Alice").says("need a floater Dec 22-20 8-12"))
    assert refused.text == "A range of days has to go forward and last a month at most. Which days do you need?"
    assert nothing_stored(demo)
    assert only(demo.says("dec 8 8-12")).text.startswith("What is it for?")
    spanish = only(demo.as_("María").says("necesito flotante del 22 al 20 de diciembre de 8 a 12"))
    assert spanish.text.startswith("Un rango de días tiene que ir hacia adelante")


def test_an_impossible_date_in_spanish_names_the_month_in_spanish(demo: Dialog) -> None:
    refused = only(demo.as_("María").says("necesito flotante el 31 de abril de 8 a 12"))
    assert refused.text == "No existe el 31 de abril. ¿Qué día lo necesitas?"
    assert nothing_stored(demo)


def test_an_impossible_date_beside_a_real_one_is_left_out_and_said(demo: Dialog) -> None:
    summary = only(demo.as_("Alice").says("need a floater feb 30 and dec 8 8-12 for planning"))
    assert summary.text.splitlines()[:2] == [
        "February has no 30th, so I left that date out.",
        "Please check your request:",
    ]
    assert "• Tue 8 Dec, 08:00–12:00" in summary.text.splitlines()


def test_a_month_that_does_not_exist_says_how_dates_are_read(demo: Dialog) -> None:
    refused = only(demo.as_("Alice").says("need a floater 13/5 8-12"))
    assert refused.text == "There is no month 13 (I read dates as month/day). Which day do you need?"


def test_a_date_next_year_is_echoed_with_its_year_and_confirmed(demo: Dialog) -> None:
    check = only(demo.as_("Alice").says("need a floater jan 5 8-12 for planning"))
    assert check.text.splitlines() == ["Please check the year — that is a while ahead:", "• Tue 5 Jan 2027"]
    assert labels(check) == ["Yes, that's right", "No, another day"]
    assert nothing_stored(demo)
    summary = only(demo.presses(check.press("Yes")))
    assert "• Tue 5 Jan, 08:00–12:00" in summary.text
    demo.presses(summary.press("Send"))
    assert count(demo, Shift) == 1


def test_no_at_the_year_asks_the_day_again_keeping_the_rest(demo: Dialog) -> None:
    check = only(demo.as_("Alice").says("need a floater 1/5 8-12 for planning"))
    assert only(demo.presses(check.press("No"))).text.startswith("Which day do you need cover?")
    summary = only(demo.says("friday"))
    assert summary.text.splitlines()[2:] == ["• Fri 4 Dec, 08:00–12:00", "Reason: planning time"]


def test_a_day_a_year_ahead_keeps_its_year_in_every_message_about_it(demo: Dialog) -> None:
    """Typed with its year, read with it, and written with it wherever it is more than 8 weeks away: in her summary
    and in the floaters' offers, who would otherwise take it for this month's."""
    check = only(demo.as_("Alice").says("need a floater Dec 14, 2027 8-12 for planning"))
    assert check.text.splitlines() == ["Please check the year — that is a while ahead:", "• Tue 14 Dec 2027"]
    summary = only(demo.presses(check.press("Yes")))
    assert "• Tue 14 Dec 2027, 08:00–12:00" in summary.text.splitlines()
    offers = [m for m in demo.presses(summary.press("Send")) if m.to != "Alice Johnson"]
    assert offers
    assert all("Tue 14 Dec 2027, 08:00–12:00" in m.text for m in offers), offers[0].text
    near = only(demo.says("need a floater Dec 14 8-12 for planning"))  # this December: no year
    assert "• Mon 14 Dec, 08:00–12:00" in near.text.splitlines()


def test_a_date_next_year_in_spanish(demo: Dialog) -> None:
    check = only(demo.as_("Lucía").says("necesito flotante el 5 de enero de 8 a 12, capacitación"))
    assert check.text.splitlines() == ["Revisa el año; falta bastante para esa fecha:", "• mar 5 ene de 2027"]
    assert only(demo.says("sí")).text.startswith("Revisa tu solicitud:")


# Parts of the day, every week


def test_friday_morning_uses_the_sites_opening_time(demo: Dialog) -> None:
    summary = only(demo.as_("Alice").says("need a floater friday morning for planning"))
    assert "• Fri 4 Dec, 06:30–12:00" in summary.text.splitlines()  # Sunflower Center opens at 06:30


def test_parts_of_the_day_in_spanish_use_each_sites_hours(demo: Dialog) -> None:
    summary = only(demo.as_("Beatriz").says("necesito flotante el viernes por la mañana, planificación"))
    assert "• vie 4 dic, 06:30–12:00" in summary.text.splitlines()
    summary = only(demo.as_("María").says("necesito flotante mañana todo el día, capacitación"))
    assert "• mar 1 dic, 07:00–18:00" in summary.text.splitlines()  # Casa de los Niños: 07:00–18:00


def test_a_typed_part_of_the_day_at_the_times_question_uses_the_sites_hours(demo: Dialog) -> None:
    demo.as_("Alice").says("need a floater tomorrow for planning")
    assert "• Tue 1 Dec, 12:00–18:00" in only(demo.says("afternoon")).text.splitlines()


def test_every_monday_in_december_lists_each_date_and_is_one_request(demo: Dialog) -> None:
    summary = only(demo.as_("Alice").says("need a floater every monday in december 8-12 for planning"))
    assert summary.text.splitlines()[2:] == [
        "• Mon 7 Dec, 08:00–12:00",
        "• Mon 14 Dec, 08:00–12:00",
        "• Mon 21 Dec, 08:00–12:00",
        "• Mon 28 Dec, 08:00–12:00",
        "Reason: planning time",
    ]
    assert nothing_stored(demo)
    sent = demo.presses(summary.press("Send"))
    assert to(sent, "Alice")[0].text.startswith("Sent! Each of the 4 shifts is offered on its own")
    assert (count(demo, CoverRequest), count(demo, Shift)) == (1, 4)


def test_every_week_in_spanish(demo: Dialog) -> None:
    summary = only(demo.as_("Beatriz").says("necesito flotante todos los lunes de diciembre de 8 a 12, planificación"))
    assert [line for line in summary.text.splitlines() if line.startswith("•")] == [
        "• lun 7 dic, 08:00–12:00",
        "• lun 14 dic, 08:00–12:00",
        "• lun 21 dic, 08:00–12:00",
        "• lun 28 dic, 08:00–12:00",
    ]


# Rooms


@pytest.mark.twin
def test_another_sites_room_is_never_replaced_by_her_own(demo: Dialog) -> None:
    question = only(demo.as_("Alice").says("need a floater in the Mariposas room tomorrow 8-12 for planning"))
    assert question.text == (
        "Mariposas is a room of Casa de los Niños, not of Sunflower Center. "
        "Which room of Sunflower Center needs the floater?"
    )
    assert labels(question) == [
        "Little Sprouts (infants)",
        "Butterflies (toddlers)",
        "Sunflowers (preschool)",
        "Explorers (school age)",
    ]
    assert nothing_stored(demo)
    summary = only(demo.presses(question.press("Sunflowers")))
    assert "Sunflower Center · Sunflowers (preschool)" in summary.text
    assert nothing_stored(demo)
    demo.presses(summary.press("Send"))
    assert shift_rooms(demo) == ["Sunflowers"]


def test_another_sites_room_named_without_the_word_room_is_not_replaced_by_her_own(demo: Dialog) -> None:
    """`in Mariposas` used to book her own room without a word."""
    question = only(demo.as_("Alice").says("need a floater tomorrow 8-12 for planning in Mariposas"))
    assert question.text.startswith("Mariposas is a room of Casa de los Niños, not of Sunflower Center.")
    assert nothing_stored(demo)
    spanish = only(demo.as_("María").says("necesito flotante mañana de 8 a 12 para planear en Oaks"))
    assert spanish.text.startswith("Oaks es un salón de Maple Street")
    own = only(demo.as_("Alice").says("need a floater friday 8-12 for planning in Butterflies"))
    assert "Sunflower Center · Butterflies (toddlers)" in own.text  # her own room, named so
    words = only(demo.as_("Chloe").says("need a floater friday in the morning for planning"))
    assert words.text.startswith("Please check your request:")  # no room named: nothing looked up


def test_another_sites_room_is_still_named_once_the_day_is_asked_first(demo: Dialog) -> None:
    """A day that could not be read is asked first; the room question that follows still says whose room it
    was (it used to ask "Which room?" as if she had named none)."""
    day = only(demo.as_("Alice").says("need a floater Feb 30 8-12 in the Mariposas room"))
    assert day.text.startswith("February has no 30th.")
    room = only(demo.says("tomorrow"))
    assert room.text.startswith("Mariposas is a room of Casa de los Niños, not of Sunflower Center.")
    reason = only(demo.presses(room.press("Butterflies (toddlers)")))
    summary = only(demo.presses(reason.press("planning")))
    asked_again = only(demo.presses(only(demo.presses(summary.press("Change"))).press("Room")))
    assert asked_again.text == "Which room needs the floater?"  # answered: not said again
    spanish = only(demo.as_("Lucía").says("necesito suplente el 30 de febrero de 8 a 12 en el salón Butterflies"))
    assert spanish.text.startswith("No existe el 30 de febrero.")
    assert only(demo.says("mañana")).text.startswith("Butterflies es un salón de Sunflower Center")
    assert nothing_stored(demo)


def test_a_room_no_site_has_is_named(demo: Dialog) -> None:
    question = only(demo.as_("Alice").says("need a floater in the Dragons room tomorrow 8-12"))
    assert question.text == "Sunflower Center has no room called Dragons. Which room needs the floater?"
    assert only(demo.says("butterflies")).text.startswith("What is it for?")


def test_another_sites_room_in_spanish(demo: Dialog) -> None:
    question = only(demo.as_("Beatriz").says("necesito flotante mañana de 8 a 12 en la sala de las Mariposas"))
    assert question.text == (
        "Mariposas es un salón de Casa de los Niños, no de Sunflower Center. "
        "¿Qué salón de Sunflower Center necesita la flotante?"
    )
    assert nothing_stored(demo)


def test_another_sites_room_typed_at_the_room_question_is_named_and_the_draft_kept(demo: Dialog) -> None:
    demo.as_("Diana").says("need a floater friday 9-11 for training")
    assert only(demo.says("Mariposas")).text == (
        "Mariposas is a room of Casa de los Niños, not of Sunflower Center. "
        "Which room of Sunflower Center needs the floater?"
    )
    assert only(demo.says("explorers")).text.startswith("Please check your request:")


def test_a_directors_request_without_a_room_asks_for_one(demo: Dialog) -> None:
    question = only(demo.as_("Carmen").says("necesito flotante el viernes de 9 a 11, capacitación"))
    assert question.text == "¿Qué salón necesita la flotante?"
    assert labels(question) == ["Pollitos (bebés)", "Mariposas (niños pequeños)", "Estrellas (preescolar)"]
