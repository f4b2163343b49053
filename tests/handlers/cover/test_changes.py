"""After sending: cancel (tells the floater), drop (re-offers at once), and what each person sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models.cover.tables import Offer, Shift, ShiftEvent
from models.db import session_scope
from tests.dialog import Dialog, only, to


def ask(demo: Dialog, who: str, text: str) -> int:
    demo.as_(who).says(text)
    demo.presses("cv:send")
    with session_scope(demo.engine) as session:
        return max(s.id or 0 for s in session.exec(select(Shift)).all())


def test_cancelling_after_a_fill_tells_the_floater(demo: Dialog) -> None:
    shift_id = ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.as_("Emma").presses(f"acc:{shift_id}")
    listing = only(demo.as_("Alice").says("/requests"))
    assert "covered by Emma Wilson" in listing.text
    confirm = only(demo.presses(listing.press("Cancel Tue 1 Dec")))
    assert confirm.text == "Cancel cover for Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00?"
    done = demo.presses(confirm.press("Yes"))
    assert only(to(done, "Emma")).text.startswith("Cancelled — you are no longer needed for Sunflower Center")
    assert only(to(done, "Diana")).text.startswith("Alice Johnson cancelled cover")
    with session_scope(demo.engine) as session:
        assert session.get(Shift, shift_id).status == "cancelled"  # type: ignore[union-attr]


def test_cancelling_an_open_shift_withdraws_the_offers(demo: Dialog) -> None:
    shift_id = ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    done = demo.presses(f"cxy:{shift_id}")
    withdrawn = only(to(done, "Emma"))
    assert withdrawn.text.startswith("No longer needed — this shift was cancelled.")
    assert demo.wait(timedelta(minutes=10)) == []  # the second tier finds the shift cancelled
    assert "already cancelled" in only(demo.presses(f"cxy:{shift_id}")).text


def test_keep_it_changes_nothing_and_others_cannot_cancel(demo: Dialog) -> None:
    shift_id = ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    confirm = only(demo.presses(f"cx:{shift_id}"))
    assert only(demo.presses(confirm.press("Keep it"))).text == "OK, nothing changed."
    # The dialog's other button died with the answer: a late [Yes, cancel it] changes nothing.
    assert only(demo.presses(confirm.press("Yes"))).text.startswith("That button is no longer active")
    assert only(demo.presses(confirm.press("Keep it"))).text.startswith("That button is no longer active")
    again = only(demo.presses(f"cx:{shift_id}"))
    assert to(demo.presses(again.press("Yes")), "Alice")[0].text.startswith("Cancelled:")
    assert only(demo.presses(again.press("Yes"))).text.startswith("That button is no longer active")  # a double tap
    assert "already cancelled" in only(demo.presses("ok:forged:cxy:1")).text  # the action's own checks still apply
    assert only(demo.presses("ok:abc:ok:abc:cxy:1")).text.startswith("That button is no longer active")
    shift_id = ask(demo, "Alice", "need a floater tomorrow 13-17 planning")
    assert "Only the person who asked" in only(demo.as_("Chloe").presses(f"cx:{shift_id}")).text
    assert "Solo quien lo pidió" in only(demo.as_("Carmen").presses(f"cxy:{shift_id}")).text  # another site's director
    director = demo.as_("Diana").presses(f"cxy:{shift_id}")  # her site's director may
    assert to(director, "Diana")[0].text.startswith("Cancelled:")


def test_a_drop_reoffers_at_once_and_is_counted(demo: Dialog) -> None:
    shift_id = ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.as_("Emma").presses(f"acc:{shift_id}")
    mine = only(demo.says("/shifts"))
    assert "• Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00" in mine.text
    confirm = only(demo.presses(mine.press("Drop")))
    assert confirm.text.startswith("Drop Sunflower Center")
    dropped = demo.presses(confirm.press("Yes"))
    assert to(dropped, "Emma")[0].text.startswith("Dropped.")
    assert to(dropped, "Alice")[0].text.startswith("Emma Wilson can no longer cover")
    assert to(dropped, "Diana")
    assert sorted(m.to for m in dropped if m.text.startswith(("Can you", "¿Puedes"))) == [
        "Fatima Ali",
        "Sofía Castillo",
    ]
    with session_scope(demo.engine) as session:
        assert session.get(Shift, shift_id).status == "open"  # type: ignore[union-attr]
        drops = session.exec(select(ShiftEvent).where(ShiftEvent.kind == "dropped")).all()
        assert [d.person_id for d in drops] == [demo.who_id()]
    assert "not yours to drop" in only(demo.presses(f"drpy:{shift_id}")).text


@pytest.mark.twin
def test_floaters_who_were_told_filled_get_the_shift_again_after_a_drop(demo: Dialog) -> None:
    shift_id = ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    demo.wait(timedelta(minutes=10))
    demo.as_("Fatima").presses(f"acc:{shift_id}")
    again = demo.presses(f"drpy:{shift_id}")
    assert sorted(m.to for m in again if m.buttons and m.buttons[0][1] == f"acc:{shift_id}") == [
        "Emma Wilson",
        "Sofía Castillo",
    ]
    with session_scope(demo.engine) as session:
        statuses = {o.status for o in session.exec(select(Offer).where(Offer.shift_id == shift_id)).all()}
    assert statuses == {"sent", "accepted"}


def test_the_board_shows_today_and_tomorrow_for_the_hub(demo: Dialog) -> None:
    ask(demo, "Alice", "need a floater tomorrow 8-12 planning")
    ask(demo, "María", "necesito flotante mañana de 1 a 3 capacitación")
    board = only(demo.as_("Hana").says("/board"))
    assert board.text.splitlines()[0] == "Board — today and tomorrow (2 shifts):"
    assert "offered: Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00" in board.text
    assert "not available" in only(demo.as_("Alice").says("/board")).text


def test_views_for_people_with_nothing_yet(demo: Dialog) -> None:
    assert only(demo.as_("Fatima").says("/shifts")).text == "You have no upcoming shifts."
    assert only(demo.as_("Alice").says("/requests")).text.startswith("No upcoming requests.")
    assert only(demo.as_("Hana").says("/board")).text == (
        "No cover shifts today or tomorrow.\n"
        "Reflective supervision today and tomorrow:\n"
        "• Tue 1 Dec, 10:00–11:00 with Olivia Reed (Sunflower Center)"  # the demo's weekly session, nobody booked
    )


@pytest.mark.twin
def test_a_long_list_of_requests_shows_the_first_ones_and_how_many_more(demo: Dialog) -> None:
    demo.as_("Alice").says("need a floater every tuesday 8-12 planning until 31 march")
    demo.presses("cvy:yes")  # the year is right
    demo.presses("cv:send")
    listing = only(demo.says("/requests"))
    lines = listing.text.splitlines()
    assert lines[0] == "Upcoming requests:"
    assert len(lines) == 1 + 15 + 1  # eighteen Tuesdays: the first fifteen, then the rest counted
    assert lines[-1] == "…and 3 more, later on."
    assert "Tue 1 Dec" in lines[1]
    assert "Tue 16 Mar" not in listing.text
