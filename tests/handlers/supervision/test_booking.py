"""Reflective supervision dialogs: publish, book, the cover that books itself, and every way it changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models.cover.tables import CoverRequest, Offer, Origin, Shift, ShiftStatus
from models.db import session_scope
from models.roster.tables import Site
from models.supervision.tables import BookingStatus, SupervisionSession
from tests.dialog import Dialog, only, to
from tests.handlers.supervision.conftest import THURSDAY_2PM, booking, calendar_of, publish

SUMMARY = "Thu 3 Dec, 14:00–15:00 with Olivia Reed (video call)"


def cover_of(demo: Dialog, teacher: str, session_id: int) -> Shift:
    shift_id = booking(demo, teacher, session_id).shift_id
    with session_scope(demo.engine) as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        return shift


def test_a_supervisor_publishes_a_weekly_session_in_chat(demo: Dialog) -> None:
    demo.as_("Olivia").says("/slots")
    assert "When is the (first) session?" in only(demo.presses("rsn:new")).text
    assert only(demo.says("thu 14:00")).text == "How long is it?"
    assert only(demo.presses("rsl:60")).text == "Does it repeat?"
    assert only(demo.presses("rsr:weekly")).text == "Until when?"
    assert only(demo.presses("rsu:4")).text == "How many teachers can join?"
    places = only(demo.presses("rsc:2"))
    assert places.buttons[0] == ("video call", "rsp:video")
    done = only(demo.presses("rsp:video"))
    assert done.text.startswith(
        "Published 4 sessions, the first Thu 3 Dec, 14:00–15:00 (video call)."
    )  # for 4 weeks: four Thursdays
    with session_scope(demo.engine) as session:
        sessions = session.exec(select(SupervisionSession)).all()
    assert [s.capacity for s in sessions] == [2] * 4
    assert len({s.series_id for s in sessions}) == 1
    assert "no longer active" in only(demo.presses("rsc:2")).text  # the flow is over: its buttons are too


def test_a_booking_asks_for_its_own_cover_and_is_confirmed_when_a_floater_accepts(
    demo: Dialog, olivia_thursday: int
) -> None:
    listing = only(demo.as_("Alice").says("/supervision"))
    assert f"1. {SUMMARY}" in listing.text
    booked = demo.presses(listing.press("1: book it"))
    assert to(booked, "Alice")[0].text.startswith("Booked: Thu 3 Dec, 14:00–15:00.")
    offer = only(to(booked, "Emma"))  # Sunflower's favourite floater, for Alice's room
    assert "Butterflies (toddlers), Thu 3 Dec, 14:00–15:00" in offer.text
    assert "Protected time: reflective supervision" in offer.text  # never more than that
    assert to(booked, "Diana") == []  # the director hears when it is settled, not of each offer
    shift = cover_of(demo, "Alice", olivia_thursday)
    with session_scope(demo.engine) as session:
        assert session.get(CoverRequest, shift.request_id).origin == Origin.SUPERVISION  # type: ignore[union-attr]
    assert booking(demo, "Alice", olivia_thursday).status == BookingStatus.AWAITING_COVER

    accepted = demo.as_("Emma").presses(offer.press("Accept"))
    alice, olivia, diana = only(to(accepted, "Alice")), only(to(accepted, "Olivia")), only(to(accepted, "Diana"))
    assert alice.text == f"Confirmed: reflective supervision {SUMMARY}.\nButterflies is covered by Emma Wilson."
    assert olivia.text.startswith("Confirmed: Alice Johnson, Thu 3 Dec, 14:00–15:00 (video call).")
    assert diana.text.startswith("Alice Johnson has reflective supervision")
    method, uid, sequence, start = calendar_of(alice)
    assert (method, sequence, start) == ("REQUEST", 0, "2026-12-03T19:00:00+00:00")
    assert calendar_of(olivia)[1] != uid  # hers is the session's event, Alice's her booking's
    assert booking(demo, "Alice", olivia_thursday).status == BookingStatus.CONFIRMED


def test_a_dropped_cover_puts_it_back_to_awaiting_and_offers_it_again(demo: Dialog, olivia_thursday: int) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    shift = cover_of(demo, "Alice", olivia_thursday)
    demo.as_("Emma").presses(f"acc:{shift.id}")
    dropped = demo.presses(f"drpy:{shift.id}")
    assert "can no longer come. I'm finding someone else." in only(to(dropped, "Alice")).text
    assert only(to(dropped, "Olivia")).text.startswith("Alice Johnson: The floater covering Butterflies")
    assert only(to(dropped, "Diana")).text.startswith("Alice Johnson: The floater covering Butterflies")
    offered = {m.to for m in dropped if any(payload == f"acc:{shift.id}" for _label, payload in m.buttons)}
    assert offered == {"Fatima Ali", "Sofía Castillo"}
    assert booking(demo, "Alice", olivia_thursday).status == BookingStatus.AWAITING_COVER
    again = demo.as_("Fatima").presses(f"acc:{shift.id}")
    assert "covered by Fatima Ali" in only(to(again, "Alice")).text


def test_no_cover_by_the_deadline_asks_the_director_who_covers_it_in_house(demo: Dialog, olivia_thursday: int) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    until_deadline = THURSDAY_2PM - timedelta(hours=2) - demo.clock.now()
    asked = only(to(demo.wait(until_deadline), "Diana"))
    assert asked.text.startswith("No floater has accepted to cover Butterflies for Alice Johnson's reflective")
    assert [label for label, _ in asked.buttons] == ["We cover it in-house", "Move it", "Cancel it"]
    chosen = demo.as_("Diana").presses(asked.press("in-house"))
    assert to(chosen, "Diana")[0].text == "Thank you — the session is confirmed, covered by your site."
    assert "Butterflies is covered by the site itself." in only(to(chosen, "Alice")).text
    assert all(m.text.startswith("✎") or "No longer needed" in m.text for m in to(chosen, "Emma"))
    assert booking(demo, "Alice", olivia_thursday).status == BookingStatus.CONFIRMED
    assert "Already settled" in only(demo.presses(asked.press("Cancel"))).text
    assert not any("could not happen" in m.text for m in demo.wait(timedelta(hours=3)))  # it started covered


def test_a_booking_inside_the_deadline_warns_her_and_asks_the_director_at_once(demo: Dialog) -> None:
    (soon,) = publish(demo, at=demo.clock.now().astimezone(THURSDAY_2PM.tzinfo).replace(hour=8, minute=0))
    booked = demo.as_("Alice").presses(f"rsb:{soon}")
    assert "It starts soon, so your director is asked now too" in only(to(booked, "Alice")).text
    assert only(to(demo.tick(), "Diana")).text.startswith("No floater has accepted to cover Butterflies")
    (later,) = publish(demo, supervisor="Olivia", at=THURSDAY_2PM + timedelta(days=1))
    assert "starts soon" not in only(to(demo.as_("Chloe").presses(f"rsb:{later}"), "Chloe")).text


@pytest.mark.twin
def test_with_no_answer_by_the_start_it_is_not_held(demo: Dialog, olivia_thursday: int) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    later = demo.wait(THURSDAY_2PM - demo.clock.now() + timedelta(minutes=1))
    told = [m for m in to(later, "Alice") if "could not happen" in m.text]
    assert told[0].text == f"Reflective supervision {SUMMARY} could not happen: nobody covered Butterflies."
    assert told[0].files == ()  # it never reached her calendar: nothing to cancel there
    assert booking(demo, "Alice", olivia_thursday).status == BookingStatus.NOT_HELD
    assert cover_of(demo, "Alice", olivia_thursday).status == ShiftStatus.CANCELLED


def test_the_director_may_cancel_and_the_teacher_is_asked_to_pick_another_time(
    demo: Dialog, olivia_thursday: int
) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    demo.wait(THURSDAY_2PM - timedelta(hours=2) - demo.clock.now())
    done = demo.as_("Diana").presses(f"rsd:{booking(demo, 'Alice', olivia_thursday).id}:cancel")
    assert "Send /supervision to pick another time." in only(to(done, "Alice")).text
    other_site = only(demo.as_("Carmen").presses(f"rsd:{booking(demo, 'Alice', olivia_thursday).id}:house"))
    assert "Solo un/a director/a" in other_site.text


def test_the_teacher_cancels_and_her_floater_is_told(demo: Dialog, olivia_thursday: int) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    shift = cover_of(demo, "Alice", olivia_thursday)
    demo.as_("Emma").presses(f"acc:{shift.id}")
    mine = only(demo.as_("Alice").says("/sessions"))
    assert f"• {SUMMARY} — confirmed, classroom covered" in mine.text
    ask = only(demo.presses(mine.press("Cancel")))
    done = demo.presses(ask.press("Yes"))
    cancelled = only(to(done, "Alice"))
    assert cancelled.text.startswith("Cancelled: reflective supervision")
    assert calendar_of(cancelled)[:3] == ("CANCEL", calendar_of(cancelled)[1], 1)
    assert only(to(done, "Emma")).text.startswith("Cancelled — you are no longer needed")
    assert only(to(done, "Olivia")).text == "Alice Johnson will not come to Thu 3 Dec, 14:00–15:00 (video call)."
    assert only(to(done, "Diana")).text == f"Cancelled: Alice Johnson's reflective supervision {SUMMARY}."  # once
    assert cover_of(demo, "Alice", olivia_thursday).status == ShiftStatus.CANCELLED


def test_a_full_session_offers_only_its_waitlist(demo: Dialog, olivia_thursday: int) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    listing = only(demo.as_("Chloe").says("/supervision"))
    assert [label for label, _ in listing.buttons] == ["1: join the waitlist"]
    assert f"1. {SUMMARY} (full)" in listing.text
    refused = only(demo.presses(f"rsb:{olivia_thursday}"))  # an old [book it] pressed once it filled
    assert refused.text == "That session has just filled up. Join its waitlist, or pick another."
    with session_scope(demo.engine) as session:
        assert len(session.exec(select(Shift)).all()) == 1  # no cover was asked for her
    assert "You are on the waitlist" in only(demo.presses(listing.press("waitlist"))).text


def test_the_first_on_the_waitlist_gets_a_freed_seat_with_its_cover(demo: Dialog, olivia_thursday: int) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    demo.as_("Chloe").presses(f"rsw:{olivia_thursday}")
    demo.as_("Hannah").presses(f"rsw:{olivia_thursday}")
    done = demo.as_("Alice").presses(f"rsxy:{booking(demo, 'Alice', olivia_thursday).id}")
    given = only(to(done, "Chloe"))
    assert given.text.startswith(f"A seat opened in reflective supervision {SUMMARY}: it is yours now.")
    assert [label for label, _ in given.buttons] == ["Keep it", "Give it up"]
    assert only(to(done, "Olivia")).text == (  # one message: who left, and who has the seat now
        "Alice Johnson will not come to Thu 3 Dec, 14:00–15:00 (video call).\n"
        "Chloe Smith has her seat now (from the waitlist); her classroom cover is being asked for."
    )
    assert any("Sunflowers (preschool), Thu 3 Dec" in m.text for m in done if m.to == "Emma Wilson")
    assert booking(demo, "Chloe", olivia_thursday).status == BookingStatus.AWAITING_COVER
    assert booking(demo, "Hannah", olivia_thursday).status == BookingStatus.WAITLISTED
    next_in_line = demo.as_("Chloe").presses(given.press("Give it up"))
    assert only(to(next_in_line, "Hannah")).text.startswith("A seat opened")
    assert only(to(next_in_line, "Olivia")).text.endswith(
        "Hannah Brown has her seat now (from the waitlist); her classroom cover is being asked for."
    )


def test_the_weekly_series_is_booked_with_one_tap(demo: Dialog) -> None:
    first, *rest = publish(demo, weeks=3)
    listing = only(demo.as_("Alice").says("/supervision"))
    assert listing.text.count("with Olivia Reed") == 1  # one line for the series
    booked = demo.presses(listing.press("every week"))
    assert to(booked, "Alice")[0].text.startswith("Booked: Thu 3 Dec, 14:00–15:00, Thu 10 Dec")
    with session_scope(demo.engine) as session:
        offers = session.exec(select(Offer)).all()
    assert len({o.shift_id for o in offers}) == 4  # one cover shift per session
    assert [booking(demo, "Alice", s).status for s in (first, *rest)] == [BookingStatus.AWAITING_COVER] * 4


def test_the_supervisor_moves_a_session_and_everyone_is_told_once_with_a_newer_calendar(
    demo: Dialog, olivia_thursday: int
) -> None:
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    shift = cover_of(demo, "Alice", olivia_thursday)
    confirmed = demo.as_("Emma").presses(f"acc:{shift.id}")
    uid = calendar_of(only(to(confirmed, "Alice")))[1]
    demo.as_("Olivia").presses(f"rsm:{olivia_thursday}")
    moved = demo.says("thu 14:30")
    assert to(moved, "Olivia")[0].text.startswith("Moved to Thu 3 Dec, 14:30–15:30. 1 teacher told")
    alice = only(to(moved, "Alice"))
    assert alice.text == (
        "Moved: reflective supervision is now Thu 3 Dec, 14:30–15:30 with Olivia Reed (video call).\n"
        "Your classroom is still covered."
    )
    assert calendar_of(alice) == ("REQUEST", uid, 1, "2026-12-03T19:30:00+00:00")
    assert "It's still yours" in only(to(moved, "Emma")).text  # cover tells her floater, once
    assert len(to(moved, "Diana")) == 1
    assert cover_of(demo, "Alice", olivia_thursday).starts_at.isoformat() == "2026-12-03T19:30:00+00:00"


def test_a_move_never_offers_a_floater_the_other_cover_at_the_time_her_own_moves_to(demo: Dialog) -> None:
    """Two teachers in one session, one cover taken: the covers move together, and the floater who keeps hers is
    not offered the other one for that same new hour (she used to be, when the open cover moved first)."""
    (group,) = publish(demo, capacity=2)
    demo.as_("Chloe").presses(f"rsb:{group}")  # booked first: her cover moves first
    demo.as_("Alice").presses(f"rsb:{group}")
    demo.as_("Emma").presses(f"acc:{cover_of(demo, 'Alice', group).id}")
    demo.as_("Olivia").presses(f"rsm:{group}")
    moved = demo.says("thu 15:00")
    emma = to(moved, "Emma")
    assert [m.text.splitlines()[0] for m in emma if m.text.startswith("Can you cover")] == []
    assert any("It's still yours" in m.text for m in emma)


def test_the_supervisor_cancels_a_session_and_every_booking_and_cover_goes_with_it(demo: Dialog) -> None:
    (group,) = publish(demo, capacity=2)
    demo.as_("Alice").presses(f"rsb:{group}")
    demo.as_("Chloe").presses(f"rsb:{group}")
    ask = only(demo.as_("Olivia").presses(f"rsq:{group}"))
    done = demo.presses(ask.press("Yes"))
    assert to(done, "Olivia")[0].text == "Cancelled. 2 teachers told."
    for teacher in ("Alice", "Chloe"):
        told = only(to(done, teacher))
        assert told.text.startswith("Olivia Reed cancelled reflective supervision")
        assert told.text.count("Olivia Reed") == 1  # not "… with Olivia Reed" again
        assert told.files == ()  # neither was confirmed: no event in their calendars
        assert cover_of(demo, teacher, group).status == ShiftStatus.CANCELLED
    assert len(to(done, "Diana")) == 1  # both teachers are hers: told once
    assert "no longer offered" in only(demo.as_("Alice").presses(f"rsb:{group}")).text


def test_in_spanish_with_free_text_and_bad_input(demo: Dialog, olivia_thursday: int) -> None:
    listing = only(demo.as_("Beatriz").says("quiero supervisión reflexiva el jueves"))
    assert listing.text.startswith("Supervisión reflexiva")
    assert "jue 3 dic" in listing.text
    assert only(demo.says("quiero supervisión reflexiva el lunes")).text.startswith("No hay sesiones")
    assert "ya no" in only(demo.presses("rsb:999")).text
    assert "ya no" in only(demo.presses("rsb:abc")).text
    demo.presses(f"rsb:{olivia_thursday}")
    assert "Ya tienes" in only(demo.presses(f"rsw:{olivia_thursday}")).text  # a double tap books nothing twice
    hours = only(demo.says("/horas"))
    assert "Supervisión reflexiva: 0 h de 12 h este año." in hours.text


def test_reminders_reach_each_teacher_and_the_supervisor_once_with_the_state_of_each_cover(demo: Dialog) -> None:
    (group,) = publish(demo, capacity=2)
    demo.as_("Alice").presses(f"rsb:{group}")
    demo.as_("Chloe").presses(f"rsb:{group}")
    evening = demo.wait(THURSDAY_2PM.replace(hour=18) - timedelta(days=1) - demo.clock.now())  # Wednesday 18:00
    reminders = [m for m in evening if m.text.startswith("Reminder: tomorrow, reflective supervision")]
    assert sorted(m.to for m in reminders) == ["Alice Johnson", "Chloe Smith", "Olivia Reed"]
    assert (
        only(to(reminders, "Alice")).text.splitlines()[1]
        == "Classroom cover: not yet — floaters are still being asked."
    )
    demo.as_("Fatima").presses(f"acc:{booking(demo, 'Alice', group).shift_id}")
    soon = demo.wait(THURSDAY_2PM - timedelta(hours=1) - demo.clock.now())
    reminders = [m for m in soon if m.text.startswith("Reminder: soon, reflective supervision")]
    assert only(to(reminders, "Alice")).text.splitlines()[1] == "Classroom cover: confirmed."
    assert only(to(reminders, "Olivia")).text.splitlines()[1:] == [
        "Alice Johnson: confirmed, classroom covered.",
        "Chloe Smith: waiting for classroom cover.",
    ]


def test_a_supervisor_cannot_publish_over_her_own_session_or_outside_the_sites_hours(
    demo: Dialog, olivia_thursday: int
) -> None:
    def publish_thursday(start: str, place: str) -> str:
        demo.as_("Olivia").presses("rsn:new")
        demo.says(start)
        demo.presses("rsl:45")
        demo.presses("rsr:none")
        demo.presses("rsc:1")
        return only(demo.presses(place)).text

    assert publish_thursday("thu 14:30", "rsp:video").startswith("That overlaps your session Thu 3 Dec, 14:00–15:00")
    with session_scope(demo.engine) as session:
        sunflower = session.exec(select(Site.id).where(Site.name == "Sunflower Center")).one()
    assert publish_thursday("thu 17:30", f"rsp:{sunflower}").startswith("Sunflower Center is open 06:30–18:00")
    with session_scope(demo.engine) as session:
        assert len(session.exec(select(SupervisionSession)).all()) == 1


def test_free_text_names_the_day_and_time_and_a_stale_keep_says_the_place_ended(
    demo: Dialog, olivia_thursday: int
) -> None:
    listing = only(demo.as_("Lucía").says("quiero supervisión reflexiva el jueves a las 14"))
    assert "jue 3 dic, 14:00–15:00" in listing.text  # not a cover request
    other_day = only(demo.says("sign me up for reflective supervision friday"))
    assert other_day.text.startswith("No hay sesiones entonces; estas son las demás.")
    publish(demo, at=THURSDAY_2PM + timedelta(weeks=1, hours=1))
    listing = only(demo.says("quiero supervisión reflexiva la semana que viene"))
    assert "jue 10 dic, 15:00–16:00" in listing.text
    assert "jue 3 dic" not in listing.text
    assert "jue 3 dic" in only(demo.says("supervisión reflexiva esta semana")).text
    abbreviated = only(demo.says("supervisión reflexiva el jue"))  # the parser's weekdays, abbreviations too
    assert "jue 3 dic" in abbreviated.text
    demo.as_("Alice").presses(f"rsb:{olivia_thursday}")
    demo.as_("Chloe").presses(f"rsw:{olivia_thursday}")
    given = only(to(demo.as_("Alice").presses(f"rsxy:{booking(demo, 'Alice', olivia_thursday).id}"), "Chloe"))
    demo.as_("Chloe").presses(given.press("Give it up"))
    assert "had already ended" in only(demo.presses(given.press("Keep it"))).text
