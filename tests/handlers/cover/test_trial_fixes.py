"""What a review of the day's fixes found: each case as the people who met it typed it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models.cover.tables import Shift
from models.db import session_scope
from tests.dialog import Dialog, only


def at(demo: Dialog, hour: int, minute: int) -> None:
    now = demo.clock.now()  # Mon 30 Nov, 06:05 in New York (11:05 UTC)
    demo.clock.advance(now.replace(hour=hour + 5, minute=minute) - now)


def test_another_day_after_a_moved_start_gives_one_shift_a_day(demo: Dialog) -> None:
    at(demo, 7, 10)
    summary = only(demo.as_("Alice").says("sick today and tomorrow 7-3"))
    only(demo.presses(only(demo.presses(summary.press("Change"))).press("Day")))
    days = only(demo.says("wednesday and thursday")).text
    assert days.count("• Wed 2 Dec, 07:00–15:00") == 1
    assert days.count("• Thu 3 Dec, 07:00–15:00") == 1
    assert "07:15" not in days


def test_a_sick_call_under_way_is_offered_to_everyone_and_the_offers_are_listed(demo: Dialog) -> None:
    at(demo, 7, 14)
    summary = only(demo.as_("Alice").says("sick today 7-3"))
    demo.presses(summary.press("Send"))
    later = demo.wait(timedelta(minutes=5))  # 07:19: the favourites' wait is over, the shift under way
    assert {m.to for m in later if m.text.startswith(("Can you cover", "¿Puedes cubrir"))} >= {"Fatima Ali"}
    waiting = only(demo.as_("Fatima").says("yes"))
    assert waiting.text.splitlines()[0] == "Offers waiting for your answer:"


def test_today_almost_over_beside_other_days_is_left_out_and_said(demo: Dialog) -> None:
    at(demo, 10, 40)
    summary = only(demo.as_("Alice").says("need a floater today and tomorrow 9-11 planning"))
    assert summary.text.splitlines()[0] == "Mon 30 Nov has already passed, so I left it out."
    assert "• Tue 1 Dec, 09:00–11:00" in summary.text


def test_this_thursday_answering_which_day_next_week_is_this_weeks(demo: Dialog) -> None:
    only(demo.as_("Alice").says("floater next week 9-11 planning"))
    assert "• Thu 3 Dec, 09:00–11:00" in only(demo.says("this thursday")).text
    only(demo.as_("Lucía").says("necesito suplente la semana que viene de 9 a 11 para planificar"))
    assert "• jue 3 dic, 09:00–11:00" in only(demo.says("este jueves")).text


def test_every_day_this_week_on_a_saturday_books_no_weekend_day(demo: Dialog) -> None:
    demo.clock.advance(timedelta(days=5))  # Sat 5 Dec
    asked = only(demo.as_("Alice").says("need a floater every day this week 9-11 planning"))
    assert "Sat 5 Dec" not in asked.text


def test_no_importa_is_an_answer_not_a_cancel(demo: Dialog) -> None:
    only(demo.as_("Lucía").says("necesito suplente mañana de 9 a 11"))
    assert "Cancelado" not in only(demo.says("no importa")).text


def test_a_floater_saying_ok_thanks_with_no_offer_is_not_told_of_offers(demo: Dialog) -> None:
    assert "No offers" not in only(demo.as_("Fatima").says("ok thanks")).text
    assert "No offers" not in only(demo.says("I will be late tomorrow")).text


def test_spanish_de_before_a_short_name_is_no_place_but_en_el_is(demo: Dialog) -> None:
    lives = only(demo.as_("María").says("necesito suplente mañana de 9 a 11, voy a la fiesta de Sunflower"))
    assert not lives.text.startswith("Solo puedes pedir cobertura")
    refused = only(demo.as_("Lucía").says("necesito suplente mañana de 9 a 11 en el Sunflower"))
    assert refused.text.startswith("Solo puedes pedir cobertura para Casa de los Niños.")


def test_todays_time_buttons_never_offer_a_quarter_hour(demo: Dialog) -> None:
    at(demo, 17, 35)
    question = only(demo.as_("Alice").says("sick today"))
    assert not any(label.endswith("–18:00") and label.startswith("17:45") for label, _p in question.buttons)


def test_two_offers_at_one_hour_at_one_site_name_their_rooms(demo: Dialog) -> None:
    for who in ("Alice", "Chloe"):
        summary = only(demo.as_(who).says("need a floater tomorrow 8-12 planning"))
        demo.presses(summary.press("Send"))
    labels = [label for label, _p in only(demo.as_("Emma").says("yes")).buttons]
    assert len(set(labels)) == len(labels)  # Butterflies and Sunflowers told apart
    with session_scope(demo.engine) as session:
        assert len(session.exec(select(Shift)).all()) == 2
