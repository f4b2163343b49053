"""A teacher or director asks for cover: one message, questions for what is missing, checks, confirm."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func
from sqlmodel import select

from handlers.cover.describe import site_address, site_bring
from handlers.cover.sites import short_name
from handlers.i18n import Localized
from models.cover.tables import CoverRequest, Offer, Shift
from models.db import make_engine, session_scope
from models.messaging.tables import Conversation
from models.roster.tables import Person, Room, Site
from tests.dialog import Dialog, only, to


def count(demo: Dialog, table: type) -> int:
    with session_scope(demo.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def nothing_stored(demo: Dialog) -> bool:
    return (count(demo, CoverRequest), count(demo, Shift), count(demo, Offer)) == (0, 0, 0)


def test_one_message_is_echoed_for_confirmation_then_sent(demo: Dialog) -> None:
    summary = only(demo.as_("Alice").says("need a floater tomorrow 8-12, dentist appt"))
    assert summary.text.splitlines() == [
        "Please check your request:",
        "Sunflower Center · Butterflies (toddlers)",
        "• Tue 1 Dec, 08:00–12:00",
        "Reason: personal",
    ]
    assert [label for label, _payload in summary.buttons] == ["Send", "Change", "Cancel"]
    assert nothing_stored(demo)
    sent = demo.presses(summary.press("Send"))
    assert to(sent, "Alice")[0].text.startswith("Sent! I'm asking floaters now")
    offer = only(to(sent, "Emma"))  # Sunflower's favourite, eligible for toddlers
    assert "Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00" in offer.text
    assert "personal" not in offer.text
    assert "dentist" not in offer.text
    assert "Bring: ID badge, closed-toe shoes" in offer.text
    assert count(demo, Shift) == 1


def test_what_is_missing_is_asked_one_thing_at_a_time(demo: Dialog) -> None:
    day = only(demo.as_("Chloe").says("/floater"))
    assert day.text.startswith("Which day do you need cover?")
    assert day.press("Tue 1 Dec") == "cvd:2026-12-01"
    times = only(demo.presses("cvd:2026-12-01"))
    assert times.text.startswith("What times?")
    end = only(demo.says("at 9"))
    assert end.text == "From 09:00 until what time?"
    reason = only(demo.says("11:30"))
    assert reason.text.startswith("What is it for?")
    summary = only(demo.presses(reason.press("planning")))
    assert "• Tue 1 Dec, 09:00–11:30" in summary.text
    assert "Sunflower Center · Sunflowers (preschool)" in summary.text
    assert nothing_stored(demo)


@pytest.mark.twin
def test_a_spanish_teacher_asks_in_spanish_and_reads_spanish(demo: Dialog) -> None:
    summary = only(demo.as_("María").says("necesito cobertura mañana de 7 a 11, capacitación"))
    assert summary.text.splitlines() == [
        "Revisa tu solicitud:",
        "Casa de los Niños · Pollitos (bebés)",
        "• mar 1 dic, 07:00–11:00",
        "Motivo: capacitación",
    ]
    sent = demo.presses(summary.press("Enviar"))
    assert to(sent, "María")[0].text.startswith("¡Enviado!")
    offer = only(to(sent, "Sofía"))  # Casa's favourite, Spanish-speaking
    assert offer.text.startswith("¿Puedes cubrir este turno?")
    assert "Tiempo protegido: capacitación" in offer.text
    assert offer.text.splitlines()[-1] == "Trae: credencial"  # SITES.csv bring_es (bring: ID badge)
    confirmed = only(to(demo.as_("Sofía").presses(offer.press("Aceptar")), "Sofía"))
    assert "Dirección: Avenida Elm 480, Riverside. Salón: Pollitos." in confirmed.text  # address_es


def test_a_site_text_left_empty_in_spanish_is_shown_in_english() -> None:
    site = Site(name="S", timezone="", opens=time(7), closes=time(18), address="12 Main Street", bring="ID badge")
    assert (site_address(site).get("es"), site_bring(site)) == ("12 Main Street", Localized("ID badge", "ID badge"))
    assert site_bring(Site(name="S", timezone="", opens=time(7), closes=time(18))) is None


def test_a_director_picks_any_room_of_her_site(demo: Dialog) -> None:
    question = only(demo.as_("Diana").says("need a floater friday 9-11 for training"))
    assert question.text == "Which room needs the floater?"
    assert [label for label, _p in question.buttons] == [
        "Little Sprouts (infants)",
        "Butterflies (toddlers)",
        "Sunflowers (preschool)",
        "Explorers (school age)",
    ]
    summary = only(demo.presses(question.press("Explorers")))
    assert "Sunflower Center · Explorers (school age)" in summary.text


def test_nobody_may_ask_for_another_site(demo: Dialog) -> None:
    refused = only(demo.as_("Alice").says("need a floater at Casa de los Niños tomorrow 8-12"))
    assert refused.text == "You can ask for cover at Sunflower Center only. For Casa de los Niños, ask someone there."
    demo.says("/floater")
    with session_scope(demo.engine) as session:
        casa = session.exec(select(Site).where(Site.name == "Casa de los Niños")).one()
        room_id = session.exec(select(Room.id).where(Room.site_id == casa.id)).first()
    assert "own site" in only(demo.presses(f"cvr:{room_id}")).text  # a forged button
    assert nothing_stored(demo)
    demo.says("/cancel")
    chatter = only(demo.says("Thanks! I visited Maple Street Early Learning yesterday"))
    assert "You can ask for cover at" not in chatter.text  # naming a site is no request


def test_another_site_named_for_short_is_refused_too(demo: Dialog) -> None:
    """People say "Maple Street" and "Sunflower", not the whole name; her own site's short name is hers."""
    refused = only(demo.as_("Alice").says("need a floater at Maple Street tomorrow 8-12"))
    assert refused.text == (
        "You can ask for cover at Sunflower Center only. For Maple Street Early Learning, ask someone there."
    )
    spanish = only(demo.as_("Lucía").says("necesito suplente mañana de 8 a 12 en Sunflower"))
    assert (
        spanish.text
        == "Solo puedes pedir cobertura para Casa de los Niños. Para Sunflower Center, pide a alguien de allí."
    )
    assert nothing_stored(demo)
    own = only(demo.as_("Alice").says("need a floater at Sunflower tomorrow 8-12"))
    assert own.text.startswith("What is it for?")  # her own site: the request goes on


def test_a_site_named_as_where_she_goes_is_no_request_for_that_site(demo: Dialog) -> None:
    """ "I have a training at Casa de los Niños" is why she needs cover in her own room: it used to be refused."""
    own = only(demo.as_("Alice").says("I have a training at Casa de los Niños tomorrow 9-12, need a floater"))
    assert own.text.startswith("Please check your request:\nSunflower Center · Butterflies")
    spanish = only(demo.as_("Lucía").says("necesito suplente mañana de 9 a 12, tengo una reunión en Maple Street"))
    assert not spanish.text.startswith("Solo puedes pedir cobertura")
    both = "need a floater tomorrow 9-12 at Casa de los Niños, for the training at Casa de los Niños"
    refused = only(demo.as_("Alice").says(both))
    assert refused.text.startswith("You can ask for cover at Sunflower Center only.")  # also named as the place


def test_a_short_name_counts_only_as_a_place_and_never_inside_her_own_rooms_name(demo: Dialog) -> None:
    """ "I live on Maple Street", "the Sunflower festival": no site named; nor her own room "Sunflower Babies"."""
    for who, text in (
        ("Hannah", "need a floater tomorrow 8-12, I'm going to the Sunflower festival"),
        ("Alice", "need a floater tomorrow 8-12, I live on Maple Street and the road is closed"),
    ):
        assert not only(demo.as_(who).says(text)).text.startswith("You can ask for cover at"), text
        demo.says("/cancel")
    with session_scope(demo.engine) as session:
        maple = session.exec(select(Site).where(Site.name == "Maple Street Early Learning")).one()
        session.add(Room(site_id=maple.id or 0, name="Sunflower Babies", age_group="infant"))
    own = only(demo.as_("Hannah").says("need a floater tomorrow 8-12 in Sunflower Babies"))
    assert not own.text.startswith("You can ask for cover at")


def test_a_short_name_is_only_the_kind_of_place_left_out() -> None:
    assert short_name("Maple Street Early Learning") == " maple street "
    assert short_name("Sunflower Center") == " sunflower "
    assert short_name("Centro Infantil Los Girasoles") == " girasoles "
    assert short_name("Casa de los Niños") is None  # nothing to leave out: only its whole name
    assert short_name("Tomorrow Center") is None  # a calendar word: every request would name it
    assert short_name("Oak Center") is None  # one short word: too easily a word of the message
    assert short_name("Kids Academy") is None  # nothing left


def test_a_site_added_elsewhere_is_known_at_the_next_message(demo: Dialog) -> None:
    assert "Oak Grove" not in only(demo.as_("Alice").says("need a floater tomorrow 8-12")).text
    demo.says("/cancel")
    other = make_engine(demo.engine.url.render_as_string(hide_password=False))  # as a roster import elsewhere
    with session_scope(other) as session:
        session.add(Site(name="Oak Grove", timezone="", opens=time(7), closes=time(18)))
    other.dispose()
    refused = only(demo.says("need a floater at oak grove tomorrow 8-12"))
    assert refused.text == "You can ask for cover at Sunflower Center only. For Oak Grove, ask someone there."


def test_a_past_shift_is_refused_and_nothing_is_stored(demo: Dialog) -> None:
    demo.clock.advance(demo.clock.now().replace(hour=19) - demo.clock.now())  # 14:00 in New York
    refused = only(demo.as_("Alice").says("need a sub today 8-12"))
    assert refused.text == "Mon 30 Nov 08:00 has already passed. Which day and time do you need?"
    assert nothing_stored(demo)
    with session_scope(demo.engine) as session:  # only the draft, waiting for the day she means
        assert [state.step for state in session.exec(select(Conversation)).all()] == ["ask_day"]
    demo.says("tomorrow")
    summary = only(demo.presses("cvw:planning"))
    assert "• Tue 1 Dec, 08:00–12:00" in summary.text  # the hours she gave are kept
    assert nothing_stored(demo)


def test_times_outside_opening_hours_are_refused(demo: Dialog) -> None:
    refused = only(demo.as_("Hannah").says("need a floater tomorrow 5pm-7pm"))
    assert refused.text == "Maple Street Early Learning is open 07:00–17:30; please choose times inside those hours."
    assert nothing_stored(demo)


def test_a_duplicate_of_an_open_request_is_refused(demo: Dialog) -> None:
    demo.as_("Alice")
    demo.presses(only(demo.says("need a floater tomorrow 8-12 planning")).press("Send"))
    again = only(demo.says("floater tomorrow 10-11 for planning"))
    assert (
        again.text == "You already asked for cover in Butterflies on Tue 1 Dec at that time. Send /requests to see it."
    )
    assert count(demo, Shift) == 1


def test_change_a_part_on_the_summary_and_cancel_keeps_nothing(demo: Dialog) -> None:
    summary = only(demo.as_("Alice").says("floater tomorrow 8-12 planning"))
    menu = only(demo.presses(summary.press("Change")))
    times = only(demo.presses(menu.press("Times")))
    assert times.text.startswith("What times?")
    changed = only(demo.says("1-3"))
    assert "• Tue 1 Dec, 13:00–15:00" in changed.text
    assert only(demo.presses(changed.press("Cancel"))).text == "Cancelled. Nothing was sent."
    assert nothing_stored(demo)


def test_a_double_tap_on_send_sends_once(demo: Dialog) -> None:
    summary = only(demo.as_("Alice").says("floater tomorrow 8-12 planning"))
    demo.presses(summary.press("Send"))
    again = only(demo.presses(summary.press("Send")))
    assert "no longer active" in again.text
    assert count(demo, Shift) == 1
    assert count(demo, Offer) == 1


def test_two_ranges_and_several_days_are_separate_shifts(demo: Dialog) -> None:
    summary = only(demo.as_("Alice").says("need cover wed and thu 7-11 and 1-5, training"))
    assert summary.text.count("•") == 4
    demo.presses(summary.press("Send"))
    assert count(demo, Shift) == 4


def test_floaters_and_hub_staff_do_not_start_requests_by_accident(demo: Dialog) -> None:
    assert only(demo.as_("Fatima").says("tomorrow 8-12")).text.startswith(
        "Floaters don't ask for cover here: shifts you can take come to you as offers"
    )
    assert "not available for your role" in only(demo.says("/floater")).text
    assert only(demo.as_("Hana").says("need a floater tomorrow 8-12 toddler room")).text == (
        "Teachers and directors ask for floaters themselves, with /floater or a message."
    )
    assert "didn't understand" in only(demo.says("good morning")).text  # no request: what she can do
    assert nothing_stored(demo)


def test_a_teacher_with_no_site_on_the_roster_is_told_whom_to_ask(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        alice = session.exec(select(Person).where(Person.name == "Alice Johnson")).one()
        alice.site_id, alice.room_id = None, None
    assert only(demo.as_("Alice").says("need a floater tomorrow 8-12")).text == (
        "You are not linked to a site on the roster; ask your Hub coordinator."
    )
    assert nothing_stored(demo)


def test_a_request_from_someone_not_asking_is_answered_in_her_language(demo: Dialog) -> None:
    demo.as_("Hana").says("/lang es")
    assert only(demo.says("necesito una flotante mañana 8-12")).text == (
        "Las docentes y directoras piden flotantes ellas mismas, con /flotante o con un mensaje."
    )
    assert nothing_stored(demo)


def test_an_end_before_the_start_is_refused(demo: Dialog) -> None:
    demo.as_("Alice").says("need a floater tomorrow, planning")
    refused = only(demo.presses("cvt:1200-0800"))  # a forged or stale button
    assert refused.text == "The end time must be after the start time. Try again, like 8-12."
    assert only(demo.says("8-12")).text.startswith("Please check your request:")  # still asking; nothing lost
