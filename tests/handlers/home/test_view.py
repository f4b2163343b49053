"""Each person's Home tab, by role and in her language, drawn from the views the chat shows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers import surfaces
from handlers.contract import HomeView
from handlers.home.account import home_of_account, unlinked
from models.messaging.tables import OutboxKind
from tests.dialog import Dialog


def home(demo: Dialog, name: str) -> HomeView:
    person_id = demo.as_(name).who_id()
    drawn = surfaces.render(demo.engine, demo.clock, demo.core.config, OutboxKind.HOME, person_id, "slack")
    assert isinstance(drawn, HomeView)
    return drawn


def titled(view: HomeView, title: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The text (without its title) and the buttons of the section with this bold title."""
    (found,) = [s for s in view.sections if s.text.startswith(f"*{title}*\n")]
    return found.text.split("\n", 1)[1], found.buttons


def titles(view: HomeView) -> list[str]:
    return [s.text.split("\n", 1)[0].strip("*") for s in view.sections[1:] if s.text.startswith("*")]


def ask(demo: Dialog, name: str, text: str) -> None:
    demo.as_(name).says(text)
    demo.presses("cv:send")


def test_a_teacher_sees_her_requests_with_their_buttons_and_her_sessions(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    view = home(demo, "Alice")
    assert view.language == "en"
    assert view.sections[0].text.startswith("Hi Alice Johnson! This is your Alliance home (updated 06:05).")
    assert titles(view) == ["Your requests for cover", "Your reflective supervision"]
    text, buttons = titled(view, "Your requests for cover")
    assert "Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00 — looking for a floater" in text
    assert buttons == (("Request cover", "home:request_cover"), ("Cancel Tue 1 Dec, 08:00–12:00", "cx:1"))
    assert (
        titled(view, "Your reflective supervision")[0]
        == "You have no upcoming sessions. Send /supervision to book one."
    )


def test_a_spanish_teacher_reads_hers_in_spanish(demo: Dialog) -> None:
    ask(demo, "María", "necesito flotante mañana de 8 a 12, capacitación")
    view = home(demo, "María")
    assert view.language == "es"
    assert view.sections[0].text.startswith("¡Hola, María García! Esta es tu página de la Alianza")
    assert titles(view) == ["Tus solicitudes de cobertura", "Tu supervisión reflexiva"]
    text, buttons = titled(view, "Tus solicitudes de cobertura")
    assert text.startswith("Solicitudes próximas:\n• Casa de los Niños · Pollitos (bebés), mar 1 dic, 08:00–12:00")
    assert buttons[0] == ("Pedir cobertura", "home:request_cover")


def test_a_floater_sees_her_offers_to_answer_then_her_shift(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    assert titled(home(demo, "Fatima"), "Offers for you") == ("No offers are waiting for your answer.", ())
    demo.wait(timedelta(minutes=10))  # past the favourites' turn: Fatima is offered it too
    view = home(demo, "Fatima")
    assert titles(view) == ["Offers for you", "Your shifts"]
    text, buttons = titled(view, "Offers for you")
    assert (
        text == "Offers waiting for your answer:\n• Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00"
    )
    assert [payload for _label, payload in buttons] == ["acc:1", "dec:1"]
    demo.as_("Fatima").presses("acc:1")  # the payload the Home tab's button carries: handled as in the chat
    view = home(demo, "Fatima")
    assert titled(view, "Offers for you") == ("No offers are waiting for your answer.", ())
    text, buttons = titled(view, "Your shifts")
    assert text == "Your upcoming shifts:\n• Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00"
    assert buttons == (("Drop Tue 1 Dec, 08:00–12:00", "drp:1"),)
    spanish = home(demo, "Sofía")  # her offer was closed when Fatima took it
    assert titled(spanish, "Ofertas para ti") == ("No hay ofertas esperando tu respuesta.", ())


@pytest.mark.twin
def test_a_director_sees_her_own_site_today_and_tomorrow(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    ask(demo, "María", "necesito flotante mañana de 8 a 12, capacitación")
    view = home(demo, "Diana")
    assert titles(view) == ["Your site today and tomorrow", "Your requests for cover"]
    board, _buttons = titled(view, "Your site today and tomorrow")
    assert "Sunflower Center · Butterflies" in board
    assert "Casa de los Niños" not in board  # another site's shift
    spanish = home(demo, "Carmen")
    board, _buttons = titled(spanish, "Tu centro hoy y mañana")
    assert board.startswith("Tablero: hoy y mañana (1 turno):")
    assert "Casa de los Niños · Pollitos" in board
    assert "Sunflower" not in board


@pytest.mark.twin
def test_the_hub_sees_the_board_unfilled_shifts_and_who_answered_surveys(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.as_("Hana").presses("ss:weekly-pulse:director:3:none")
    view = home(demo, "Hana")
    assert titles(view) == ["The board", "Shifts without a floater", "Surveys: who has answered"]
    assert "Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00" in titled(view, "The board")[0]
    unfilled, _buttons = titled(view, "Shifts without a floater")
    assert unfilled.startswith("1 shift still needs a floater:\n• Sunflower Center · Butterflies")
    surveys, buttons = titled(view, "Surveys: who has answered")
    assert "0 of 2 answered, open" in surveys
    assert [label for label, _payload in buttons] == ["Results", "Who hasn't answered", "Remind", "Close"]
    assert all(payload.split(":")[0] in ("sres", "snr", "srm", "scl") for _label, payload in buttons)


def test_a_supervisor_has_her_sessions_and_a_button_for_a_new_one(demo: Dialog) -> None:
    view = home(demo, "Olivia")
    text, buttons = titled(view, "Your sessions")
    assert text.startswith("Your sessions in the next two weeks:")
    assert buttons == (("New session", "home:publish_slot"),)


def test_an_unlinked_account_is_told_how_to_link_in_its_language(demo: Dialog) -> None:
    assert home_of_account(demo.engine, demo.clock, demo.core.config, platform="slack", user_id="UNOBODY") is None
    english, spanish = unlinked("slack", "en"), unlinked("slack", "es")
    assert english.sections[0].text.startswith("Hello! I don't know this chat account yet")
    assert "e-mail address of your Slack profile" in english.sections[0].text
    assert spanish.language == "es"
    assert spanish.sections[0].text != english.sections[0].text
    assert "Sunflower" not in " ".join(s.text for s in english.sections)  # nothing about the Alliance
