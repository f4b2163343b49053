"""Supervision dialogs from the new-user trial: each one a path the first version got wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar, Component

from models.supervision.tables import BookingStatus
from tests.dialog import Dialog, Sent, only, to
from tests.handlers.supervision.conftest import THURSDAY_2PM, booking, publish


def test_a_move_is_refused_over_another_of_her_sessions_and_the_question_stands(demo: Dialog) -> None:
    publish(demo)
    (later,) = publish(demo, at=THURSDAY_2PM + timedelta(hours=2))
    demo.as_("Olivia").presses(f"rsm:{later}")
    refused = only(demo.says("thu 14:00"))
    assert refused.text.startswith("That overlaps your session Thu 3 Dec, 14:00–15:00. Send another day and time")
    assert only(demo.says("thu 15:00")).text.startswith("Moved to Thu 3 Dec, 15:00–16:00.")  # back to back is fine


def test_a_past_start_is_refused_when_typed_and_a_refused_draft_leaves_nothing_open(demo: Dialog) -> None:
    demo.as_("Olivia").presses("rsn:new")
    assert only(demo.says("today 6:00")).text.startswith("That time has already passed. Send a day and time ahead")
    assert only(demo.says("thu 14:00")).text == "How long is it?"  # the question stood
    publish(demo, at=THURSDAY_2PM + timedelta(minutes=30))
    demo.presses("rsl:60")
    demo.presses("rsr:none")
    demo.presses("rsc:1")
    assert only(demo.presses("rsp:video")).text.startswith("That overlaps your session")
    assert "pick one of the buttons" not in only(demo.says("hello")).text  # the draft ended with the refusal


def test_a_site_with_no_director_is_asked_in_the_hub_channel_with_the_same_buttons(
    demo: Dialog, olivia_thursday: int
) -> None:
    demo.as_("Hannah").presses(f"rsb:{olivia_thursday}")  # Maple Street has no director
    until_deadline = THURSDAY_2PM - timedelta(hours=2) - demo.clock.now()
    (asked,) = [m for m in to(demo.wait(until_deadline), "hub") if m.text.startswith("No floater has accepted")]
    assert [label for label, _ in asked.buttons] == ["We cover it in-house", "Move it", "Cancel it"]
    assert "Only a director" in only(demo.as_("Diana").presses(asked.press("in-house"))).text  # not her site
    chosen = demo.as_("Hana").presses(asked.press("in-house"))
    assert "Acorns is covered by the site itself." in only(to(chosen, "Hannah")).text
    assert booking(demo, "Hannah", olivia_thursday).status == BookingStatus.CONFIRMED


def test_the_directors_move_offers_her_other_times_and_not_the_one_that_could_not_be_covered(
    demo: Dialog, olivia_thursday: int
) -> None:
    (friday,) = publish(demo, at=THURSDAY_2PM + timedelta(days=1))
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    demo.wait(THURSDAY_2PM - timedelta(hours=2) - demo.clock.now())
    done = demo.as_("Diana").presses(f"rsd:{booking(demo, 'Alice', olivia_thursday).id}:move")
    assert to(done, "Diana")[0].text == "Done — Alice Johnson is offered other times."
    told, offered = to(done, "Alice")
    assert "so your director asked to move it" in told.text
    assert "Fri 4 Dec, 14:00–15:00" in offered.text
    assert [payload for _label, payload in offered.buttons] == [f"rsb:{friday}"]
    assert "Thu 3 Dec" not in only(demo.as_("Alice").says("/supervision")).text


def test_being_sick_is_a_cover_request_and_cancelling_shows_her_sessions_with_their_cancel_buttons(
    demo: Dialog, olivia_thursday: int
) -> None:
    sick = only(demo.as_("Alice").says("out sick tomorrow, I will miss supervision"))
    assert sick.text.startswith("What times?")  # cover reads it, as her absence
    demo.says("/cancel")
    demo.presses(f"rsb:{olivia_thursday}")
    mine = only(demo.says("cancel my supervision on thursday"))
    assert mine.text.startswith("Your reflective supervision:")
    assert mine.press("Cancel") == f"rsx:{booking(demo, 'Alice', olivia_thursday).id}"
    demo.as_("Beatriz").presses(f"rsb:{publish(demo, at=THURSDAY_2PM + timedelta(days=1))[0]}")
    assert only(demo.says("no puedo ir a la supervisión del viernes")).text.startswith("Tu supervisión reflexiva:")


def test_a_series_books_the_rest_around_a_clash_says_where_she_waits_and_a_second_tap_books_nothing(
    demo: Dialog,
) -> None:
    first, _second, third = publish(demo, weeks=2)
    (other,) = publish(demo, at=THURSDAY_2PM + timedelta(weeks=1), supervisor="Marisol")
    demo.as_("Alice").presses(f"rsb:{other}")  # already busy on the second Thursday
    demo.as_("Chloe").presses(f"rsb:{third}")  # the third is full
    told = to(demo.as_("Alice").presses(f"rss:{first}"), "Alice")[0].text.splitlines()
    assert told[0] == "Booked: Thu 3 Dec, 14:00–15:00."
    assert "On the waitlist (full): Thu 17 Dec, 14:00–15:00." in told
    assert told[3].startswith("Not booked: Thu 10 Dec, 14:00–15:00 — You already have a supervision session at")
    statuses = [booking(demo, "Alice", s).status for s in (first, third)]
    assert statuses == [BookingStatus.AWAITING_COVER, BookingStatus.WAITLISTED]
    again = only(demo.presses(f"rss:{first}"))  # a second tap books nothing twice, and says no empty "Booked: ."
    assert again.text.startswith("Not booked: Thu 10 Dec")
    assert "Booked" not in again.text


def event_of(message: Sent) -> tuple[str, Component]:
    """METHOD and the one event of the one .ics file a message carries, read with icalendar."""
    ((_name, content),) = message.files
    calendar = Calendar.from_ical(content)
    return str(calendar["METHOD"]), calendar.walk("VEVENT")[0]


def attendees(event: Component) -> list[str]:
    found = event.get("ATTENDEE", [])
    return sorted(str(a) for a in (found if isinstance(found, list) else [found]))


def test_the_supervisor_has_one_event_per_session_that_follows_its_moves_and_its_teachers(demo: Dialog) -> None:
    (group,) = publish(demo, capacity=2)
    for teacher, floater in (("Alice", "Emma"), ("Chloe", "Fatima")):
        demo.as_(teacher).presses(f"rsb:{group}")
        confirmed = demo.as_(floater).presses(f"acc:{booking(demo, teacher, group).shift_id}")
    teacher_method, alice_event = event_of(only(to(confirmed, "Chloe")))
    method, event = event_of(only(to(confirmed, "Olivia")))
    assert (method, str(event["UID"])) == ("REQUEST", f"supervision-session-{group}@alliance-bot")
    assert str(event["ORGANIZER"]) == "mailto:olivia@hub.example"
    assert attendees(event) == ["mailto:alice@sunflower.example", "mailto:chloe@sunflower.example"]
    assert str(alice_event["ORGANIZER"]) == "mailto:olivia@hub.example"
    assert str(event["SUMMARY"]) == "Reflective supervision: Alice Johnson, Chloe Smith"  # not "with" herself

    demo.as_("Olivia").presses(f"rsm:{group}")
    method, moved = event_of(only(to(demo.says("thu 15:00"), "Olivia")))
    assert (method, str(moved["UID"]), int(str(moved["SEQUENCE"]))) == ("REQUEST", str(event["UID"]), 1)
    assert moved.decoded("DTSTART").isoformat() == "2026-12-03T20:00:00+00:00"

    left = demo.as_("Alice").presses(f"rsxy:{booking(demo, 'Alice', group).id}")
    method, fewer = event_of(only(to(left, "Olivia")))
    assert (method, attendees(fewer)) == ("REQUEST", ["mailto:chloe@sunflower.example"])
    last = demo.as_("Chloe").presses(f"rsxy:{booking(demo, 'Chloe', group).id}")
    method, gone = event_of(only(to(last, "Olivia")))
    assert (method, str(gone["UID"]), str(gone["STATUS"])) == ("CANCEL", str(event["UID"]), "CANCELLED")
    assert teacher_method == "REQUEST"


@pytest.mark.twin
def test_only_a_teacher_with_the_event_in_her_calendar_gets_a_file_and_the_waitlisted_hear_no_cover(
    demo: Dialog,
) -> None:
    (group,) = publish(demo, capacity=2)
    demo.as_("Alice").presses(f"rsb:{group}")
    demo.as_("Emma").presses(f"acc:{booking(demo, 'Alice', group).shift_id}")  # Alice confirmed
    demo.as_("Hannah").presses(f"rsb:{group}")  # Hannah awaits cover
    demo.as_("Chloe").presses(f"rsw:{group}")  # Chloe waits for a seat
    demo.as_("Olivia").presses(f"rsm:{group}")
    moved = demo.says("thu 15:00")
    assert event_of(only(to(moved, "Alice")))[0] == "REQUEST"
    assert only(to(moved, "Hannah")).files == only(to(moved, "Chloe")).files == ()
    done = demo.presses(f"rsqy:{group}")
    assert event_of(only(to(done, "Alice")))[0] == "CANCEL"
    assert event_of(to(done, "Olivia")[0])[0] == "CANCEL"
    assert only(to(done, "Hannah")).files == ()
    chloe = only(to(done, "Chloe"))
    assert chloe.text.endswith("; you were on its waitlist.")
    assert (chloe.files, "cover" in chloe.text) == ((), False)


def test_second_taps_and_the_supervisors_own_views_say_what_happened_in_her_words(
    demo: Dialog, olivia_thursday: int
) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    demo.as_("Chloe").presses(f"rsw:{olivia_thursday}")
    assert only(demo.presses(f"rsw:{olivia_thursday}")).text.startswith("You are already on the waitlist")
    demo.as_("Alice").presses(f"rsxy:{booking(demo, 'Alice', olivia_thursday).id}")  # the seat goes to Chloe
    demo.as_("Chloe").presses(f"rsg:{booking(demo, 'Chloe', olivia_thursday).id}")
    assert only(demo.presses(f"rsg:{booking(demo, 'Chloe', olivia_thursday).id}")).text.startswith(
        "You already gave that seat up."
    )
    mine = only(demo.as_("Olivia").says("/sessions")).text
    assert "• Thu 3 Dec, 14:00–15:00 (video call)" in mine
    assert "with Olivia" not in mine + only(demo.says("/slots")).text
    demo.presses(f"rsqy:{olivia_thursday}")
    again = only(demo.presses(f"rsqy:{olivia_thursday}")).text
    assert again == "That session is already cancelled. Send /slots to see yours."


@pytest.mark.twin
def test_slots_pages_reach_every_session_and_a_series_is_cancelled_with_each_person_told_once(demo: Dialog) -> None:
    first, second, *_rest = publish(demo, weeks=6, capacity=2)
    demo.as_("Alice").presses(f"rss:{first}")  # all seven
    demo.as_("Chloe").presses(f"rsb:{first}")  # the first only
    page = only(demo.as_("Olivia").says("/slots"))
    assert "5. Thu 31 Dec" in page.text
    assert "(2 more: [More] shows them.)" in page.text
    rest = only(demo.presses(page.press("More")))
    assert "7. Thu 14 Jan, 14:00–15:00 (video call)" in rest.text
    assert "Cancel 7" in [label for label, _ in rest.buttons]
    ask = only(demo.presses(page.press("Cancel 2")))
    done = demo.presses(ask.press("rest of the series"))
    assert to(done, "Olivia")[0].text == "Cancelled 6 sessions.\n1 teacher told."
    alice = only(to(done, "Alice"))
    assert alice.text.startswith("Olivia Reed cancelled 6 sessions of reflective supervision, from Thu 10 Dec")
    assert alice.text.count("Olivia Reed") == 1
    assert len(to(done, "Diana")) == 1
    assert to(done, "Chloe") == []
    assert booking(demo, "Alice", first).status == BookingStatus.AWAITING_COVER
    assert booking(demo, "Alice", second).status == BookingStatus.CANCELLED


def test_a_teacher_pages_through_her_sessions_and_cancels_her_series_told_once(demo: Dialog) -> None:
    first, *_rest = publish(demo, weeks=7)
    demo.as_("Alice").presses(f"rss:{first}")  # eight
    mine = only(demo.says("/sessions"))
    assert "(2 more: [More] shows them.)" in mine.text
    assert len(only(demo.presses(mine.press("More"))).buttons) == 2
    ask = only(demo.presses(mine.press("Cancel Thu 3 Dec")))
    done = demo.presses(ask.press("later ones of the series"))
    assert only(to(done, "Alice")).text.startswith("Cancelled 8 sessions of reflective supervision, from Thu 3 Dec")
    assert only(to(done, "Olivia")).text.startswith("Alice Johnson will not come to 8 sessions, from Thu 3 Dec")
    assert only(demo.as_("Alice").says("/sessions")).text.startswith("You have no upcoming sessions.")


def test_a_director_asking_for_supervision_is_pointed_to_teachers_and_an_overlap_is_not_offered(
    demo: Dialog, olivia_thursday: int
) -> None:
    told = only(demo.as_("Diana").says("sign me up for reflective supervision thursday"))
    assert told.text == "Teachers book reflective supervision themselves, with /supervision."
    publish(demo, at=THURSDAY_2PM + timedelta(minutes=30), supervisor="Marisol")
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    listing = only(demo.says("/supervision"))
    assert "Marisol" not in listing.text  # she is in Olivia's session then


def test_a_wish_naming_a_supervisor_lists_her_sessions(demo: Dialog, olivia_thursday: int) -> None:
    publish(demo, at=THURSDAY_2PM + timedelta(days=1), supervisor="Marisol")
    listing = only(demo.as_("Alice").says("book supervision with marisol"))
    assert "Marisol Vega" in listing.text
    assert "Olivia Reed" not in listing.text  # her own supervisor's would come first otherwise


@pytest.mark.twin
def test_a_director_sees_her_teachers_sessions_and_the_hub_is_pointed_to_the_board(
    demo: Dialog, olivia_thursday: int
) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    seen = only(demo.as_("Diana").says("/sessions")).text.splitlines()
    assert seen == [
        "Your teachers' reflective supervision in the next two weeks:",
        "• Alice Johnson, Thu 3 Dec, 14:00–15:00 with Olivia Reed (video call) — waiting for classroom cover",
    ]
    assert only(demo.as_("Carmen").says("/sesiones")).text.startswith("Ninguna de tus docentes")
    assert "/board" in only(demo.as_("Hana").says("/sessions")).text


def test_a_move_while_her_room_waits_for_cover_again_sends_her_event_as_tentative(
    demo: Dialog, olivia_thursday: int
) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    shift_id = booking(demo, "Alice", olivia_thursday).shift_id
    demo.as_("Emma").presses(f"acc:{shift_id}")
    demo.presses(f"drpy:{shift_id}")  # her floater drops: waiting for cover again, the event still in her calendar
    demo.as_("Olivia").presses(f"rsm:{olivia_thursday}")
    method, event = event_of(only(to(demo.says("thu 15:00"), "Alice")))
    assert (method, str(event["STATUS"]), int(str(event["SEQUENCE"]))) == ("REQUEST", "TENTATIVE", 1)
