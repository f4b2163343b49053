"""Offers in tiers, accepting, declining, escalation and reminders, on the simulated clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models.cover.tables import Offer, Shift, ShiftEvent
from models.db import session_scope
from models.messaging.tables import DueTask, OutboxMessage
from models.roster.tables import Person
from tests.dialog import Dialog, only, to


def ask(demo: Dialog, who: str, text: str) -> None:
    demo.as_(who)
    summary = only(demo.says(text))
    assert ("cv:send") in [payload for _label, payload in summary.buttons], summary.text
    demo.presses("cv:send")


def shift_row(demo: Dialog) -> Shift:
    with session_scope(demo.engine) as session:
        return session.exec(select(Shift)).one()


def test_favourites_first_then_everyone_after_the_wait(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")  # Butterflies, toddlers
    assert demo.wait(timedelta(minutes=9)) == []
    second = demo.wait(timedelta(minutes=1))
    # Fatima and Sofía hold the infant/toddler credential; Diego covers neither toddlers nor has CPR.
    assert sorted(m.to for m in second) == ["Fatima Ali", "Sofía Castillo"]
    assert {m.text.splitlines()[0] for m in second} == {"Can you cover this shift?", "¿Puedes cubrir este turno?"}


def test_the_second_tier_floater_accepts_and_everyone_is_told(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.wait(timedelta(minutes=10))
    accepted = demo.as_("Fatima").presses(f"acc:{shift_row(demo).id}")
    assert to(accepted, "Fatima")[0].text.splitlines()[:2] == [
        "Confirmed — thank you! You cover Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00.",
        "Address: 12 Main Street, Riverside. Room: Butterflies.",
    ]
    coming = "Fatima Ali is coming to cover Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00."
    assert only(to(accepted, "Alice")).text == coming
    assert only(to(accepted, "Diana")).text == coming  # the site's director
    edits = to(accepted, "Emma") + to(accepted, "Sofía")
    assert [m.text.splitlines()[0] for m in edits] == ["Filled — thank you!", "Cubierto, ¡gracias!"]
    with session_scope(demo.engine) as session:
        originals = {m.id for m in session.exec(select(OutboxMessage).where(OutboxMessage.ref == "offer:1")).all()}
        edited = session.exec(select(OutboxMessage).where(OutboxMessage.edit_of_id != None)).all()  # noqa: E711
        assert len(edited) == 2
        assert {m.edit_of_id for m in edited} <= originals
    assert shift_row(demo).status == "filled"


def test_a_late_accept_is_told_the_shift_is_filled(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.wait(timedelta(minutes=10))
    shift_id = shift_row(demo).id
    demo.as_("Sofía").presses(f"acc:{shift_id}")
    late = only(demo.as_("Fatima").presses(f"acc:{shift_id}"))
    assert late.text == "Sorry — this shift has just been filled by someone else. Thank you for answering!"
    assert shift_row(demo).floater_id is not None
    with session_scope(demo.engine) as session:
        accepted = session.exec(select(ShiftEvent).where(ShiftEvent.kind == "accepted")).all()
        assert len(accepted) == 1


def test_an_accept_double_tap_is_harmless(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    shift_id = shift_row(demo).id
    demo.as_("Emma").presses(f"acc:{shift_id}")
    again = only(demo.presses(f"acc:{shift_id}"))
    assert again.text.startswith("You already have this shift")


def test_someone_not_offered_cannot_accept(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    assert only(demo.as_("Diego").presses(f"acc:{shift_row(demo).id}")).text == "Esta oferta no era para ti."
    assert shift_row(demo).status == "open"


def test_an_infant_room_is_never_offered_without_the_credentials(demo: Dialog) -> None:
    ask(demo, "Beatriz", "necesito flotante mañana de 8 a 12, planificación")  # Little Sprouts, infants
    offers = demo.new_messages() + demo.wait(timedelta(minutes=10))
    with session_scope(demo.engine) as session:
        offered = {o.floater_id for o in session.exec(select(Offer)).all()}
        names = {p.name for p in session.exec(select(Person)).all() if p.id in offered}
    # Emma covers toddlers/preschool only; Diego has an expired CPR and no infant credential.
    assert names == {"Fatima Ali", "Sofía Castillo"}
    assert not to(offers, "Emma")
    assert not to(offers, "Diego")


def test_a_decline_is_recorded_and_the_last_one_alerts_the_hub(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.wait(timedelta(minutes=10))
    shift_id = shift_row(demo).id
    assert only(demo.as_("Emma").presses(f"dec:{shift_id}")).text.startswith("Thanks for letting us know")
    demo.as_("Fatima").presses(f"dec:{shift_id}")
    last = demo.as_("Sofía").presses(f"dec:{shift_id}")
    hub = only(to(last, "hub"))
    assert hub.text.startswith("⚠ Not filled yet: Sunflower Center · Butterflies")
    assert "declined by 3" in hub.text
    with session_scope(demo.engine) as session:
        statuses = [o.status for o in session.exec(select(Offer)).all()]
        assert statuses == ["declined"] * 3


def test_an_open_shift_escalates_an_hour_before_its_start_once(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.wait(timedelta(minutes=10))
    # Tomorrow 07:00 in New York is 12:00 UTC; it is 11:15 UTC on Monday now.
    before = demo.wait(timedelta(hours=24, minutes=44))
    assert to(before, "hub") == []
    at_seven = demo.wait(timedelta(minutes=1))
    hub = only(to(at_seven, "hub"))
    assert "Tue 1 Dec, 08:00–12:00" in hub.text
    assert [label for label, _p in hub.buttons] == ["Ask Emma Wilson", "Ask Fatima Ali", "Ask Sofía Castillo"]
    assert to(at_seven, "Alice")[0].text.startswith("Still looking for cover")
    assert to(demo.wait(timedelta(minutes=30)), "hub") == []
    assert to(demo.tick(), "hub") == []


def test_a_request_close_to_its_start_escalates_at_once(demo: Dialog) -> None:
    demo.clock.advance(timedelta(hours=1))  # 07:05
    ask(demo, "Alice", "need a floater today 8-12, sick")
    hub = to(demo.tick(), "hub")
    assert len(hub) == 1
    assert hub[0].text.startswith("⚠ Not filled yet")


@pytest.mark.twin
def test_the_hub_asks_a_floater_who_then_confirms(demo: Dialog) -> None:
    demo.clock.advance(timedelta(hours=1))
    ask(demo, "Alice", "need a floater today 8-12, sick")
    hub = only(to(demo.tick(), "hub"))
    payload = hub.press("Fatima")
    asked = demo.as_("Hana").presses(payload)
    assert to(asked, "Hana")[0].text.startswith("Asked Fatima Ali to confirm")
    offer = only(to(asked, "Fatima"))
    assert offer.text.startswith("The Hub asks: can you cover this shift?")
    assert "sick" not in offer.text
    again = demo.presses(payload)  # a second press of [Ask Fatima Ali]: no second offer
    assert to(again, "Fatima") == []
    assert "already asked" in only(to(again, "Hana")).text
    demo.as_("Fatima").presses(offer.press("Accept"))
    row = shift_row(demo)
    assert (row.status, row.floater_id is not None) == ("filled", True)
    assert "Only Hub staff" in only(demo.as_("Alice").presses(payload)).text


def test_reminders_reach_the_floater_the_evening_before_and_an_hour_before(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.as_("Emma").presses(f"acc:{shift_row(demo).id}")
    evening = demo.wait(timedelta(hours=11, minutes=55))  # Monday 18:00 in New York
    assert only(to(evening, "Emma")).text.startswith("Reminder: tomorrow you cover Sunflower Center · Butterflies")
    soon = demo.wait(timedelta(hours=13))  # Tuesday 07:00
    assert only(to(soon, "Emma")).text.startswith("Reminder: soon you cover")


def test_running_the_tick_twice_over_a_due_task_sends_nothing_twice(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.clock.advance(timedelta(minutes=10))
    first = demo.tick()
    assert len(first) == 2
    assert demo.tick() == []
    with session_scope(demo.engine) as session:
        due = session.exec(select(DueTask).where(DueTask.kind == "cover.offer_everyone")).one()
        assert due.status == "done"


def test_big_clock_jumps_deliver_every_reminder_due_in_between(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")  # Tue 1 Dec, 08:00–12:00 in New York
    demo.as_("Emma").presses(f"acc:{shift_row(demo).id}")
    reminders = []
    for _day in range(4):  # the console's /clock +1d, four times
        reminders += [m for m in to(demo.wait(timedelta(days=1)), "Emma") if m.text.startswith("Reminder")]
    assert len(reminders) == 2  # the evening before and the hour before, each as of its own time


def test_back_from_downtime_after_the_start_no_offer_and_no_not_filled_yet_only_started_uncovered(
    demo: Dialog,
) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.clock.advance(timedelta(days=2))  # the server was down: every timer is overdue at once
    late = demo.tick()
    assert [m.text for m in late if m.text.startswith("Can you cover")] == []
    hub = [m.text.splitlines()[0] for m in to(late, "hub")]
    assert hub == ["⚠ Started with no floater: Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00"]


def test_offers_close_when_the_shift_is_over_and_a_late_accept_books_nothing(demo: Dialog) -> None:
    """An [Accept] pressed after the end used to book the shift and tell the site a floater was coming."""
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")  # Tue 1 Dec, 08:00–12:00 in New York
    everyone = demo.wait(timedelta(minutes=10))  # past the favourites' wait: every eligible floater asked
    offered = {m.to for m in everyone if m.text.startswith(("Can you cover", "¿Puedes cubrir"))}
    demo.clock.advance(timedelta(days=1, hours=7))  # Tue 1 Dec, 13:15 in New York: over
    ended = demo.tick()
    edits = {m.to: m.text.splitlines()[0] for m in ended if m.to in offered}
    assert offered
    assert set(edits) == offered  # every offer still waiting is closed, in her language
    assert set(edits.values()) <= {"No longer offered — this shift is over.", "Ya no se ofrece: este turno ya terminó."}
    late = demo.as_("Emma").presses(f"acc:{shift_row(demo).id}")
    assert only(late).text == "This shift is over, so it is no longer offered."
    shift = shift_row(demo)
    assert (shift.status, shift.floater_id) == ("open", None)
    assert to(late, "Alice") == []  # nobody is told a floater is coming


def test_a_shift_under_way_may_still_be_accepted(demo: Dialog) -> None:
    """A sick call at 07:10 starts at 07:15: the floater who answers at 07:20 still comes (the Hub was told it
    started with nobody; its offers stay open until the end)."""
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.clock.advance(timedelta(days=1, hours=3))  # Tue 1 Dec, 09:05 in New York: under way
    started = demo.tick()
    assert "⚠ Started with no floater" in to(started, "hub")[0].text
    assert not [m for m in started if m.text.startswith("No longer offered")]
    accepted = demo.as_("Emma").presses(f"acc:{shift_row(demo).id}")
    assert to(accepted, "Emma")[0].text.startswith("Confirmed — thank you!")
    assert shift_row(demo).status == "filled"


def test_an_offer_answered_in_words_shows_the_offers_with_their_buttons(demo: Dialog) -> None:
    """ "acepto", "yes I can take it" and 👍 used to get "didn't understand"; nothing is taken for her by a word."""
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.wait(timedelta(minutes=10))  # every eligible floater asked, Sofía (Spanish) and Fatima among them
    shift_id = shift_row(demo).id
    said_so = (("Sofía", "acepto"), ("Sofía", "👍🏽"), ("Fatima", "yes I can take it"), ("Fatima", "no, sorry"))
    for who, said in (*said_so, ("Fatima", "I'll take it"), ("Fatima", "yes?")):
        shown = only(demo.as_(who).says(said))
        assert shown.text.splitlines()[0] in ("Offers waiting for your answer:", "Ofertas que esperan tu respuesta:")
        assert f"acc:{shift_id}" in [payload for _label, payload in shown.buttons], (who, said)
    assert shift_row(demo).status == "open"  # a word takes nothing
    confirmed = demo.as_("Sofía").presses(f"acc:{shift_id}")
    assert to(confirmed, "Sofía")[0].text.startswith("¡Confirmado, gracias!")
    assert only(demo.as_("Fatima").says("yes")).text == "No offers are waiting for your answer."  # none waits now
    assert "didn't understand" in only(demo.as_("Fatima").says("yes I went to the park with my sister")).text


def test_shifts_lists_the_offers_waiting_with_their_buttons(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    replies = demo.as_("Emma").says("/shifts")
    firsts = [r.text.splitlines()[0] for r in replies]
    assert firsts == ["You have no upcoming shifts.", "Offers waiting for your answer:"]
    assert f"acc:{shift_row(demo).id}" in [payload for _label, payload in replies[1].buttons]


@pytest.mark.twin
def test_a_declined_offer_may_still_be_accepted_while_the_shift_is_open_and_she_is_told_so(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    shift_id = shift_row(demo).id
    declined = only(to(demo.as_("Emma").presses(f"dec:{shift_id}"), "Emma"))  # (the next wave goes out at once)
    assert declined.text.splitlines()[1] == "Changed your mind? Accept still works while the shift is open."
    again = only(to(demo.presses(f"dec:{shift_id}"), "Emma"))  # a double tap: not "closed" just after that
    assert again.text == "You declined this one already. Accept still works while the shift is open."
    assert to(demo.presses(f"acc:{shift_id}"), "Emma")[0].text.startswith("Confirmed — thank you!")
    assert shift_row(demo).floater_id == demo.who_id()


def test_the_hub_may_ask_while_it_is_under_way_not_after_and_the_board_says_it_started_uncovered(
    demo: Dialog,
) -> None:
    demo.clock.advance(timedelta(hours=1))
    ask(demo, "Alice", "need a floater today 8-12, sick")
    hub = only(to(demo.tick(), "hub"))
    demo.wait(timedelta(hours=2))  # 09:05: started at 08:00 with nobody
    board = only(demo.as_("Hana").says("/board"))
    assert board.text.splitlines()[1].startswith("STARTED UNCOVERED: Sunflower Center · Butterflies")
    asked = demo.as_("Hana").presses(hub.press("Fatima"))  # under way: a floater who comes late still helps
    assert to(asked, "Fatima")[0].text.startswith("The Hub asks: can you cover this shift?")
    demo.wait(timedelta(hours=3))  # 12:05: over
    late = only(demo.as_("Hana").presses(hub.press("Fatima")))
    assert late.text == "This shift is over, so it is no longer offered."


def test_two_offers_at_one_hour_say_which_site_on_their_buttons(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    ask(demo, "Lucía", "necesito suplente mañana de 8 a 12 para planificar")
    demo.wait(timedelta(minutes=10))
    labels = [label for label, _payload in only(demo.as_("Sofía").says("sí")).buttons]
    assert labels[0].startswith("Aceptar Sunflower Center · Butterflies, mar 1 dic")
    assert any(label.startswith("Aceptar Casa de los Niños · ") for label in labels)
