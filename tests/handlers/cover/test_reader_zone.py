"""Times in the reader's own zone: a floater of the Hub's pool who lives elsewhere reads her offers in her time;
people of a site read their site's."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from handlers.contract import Incoming
from models.db import session_scope
from models.roster.tables import Person
from tests.dialog import Dialog, only, to


def says_with_zone(demo: Dialog, text: str, zone: str) -> None:
    """What she writes, with the zone her chat profile gives (as Slack's users.info does)."""
    chat = "c" + demo.who[1:]
    demo.core.handle(Incoming(demo.platform, demo.who, chat, demo.clock.now(), text=text, timezone=zone, event_id=text))


def test_a_floater_elsewhere_reads_her_own_time_and_the_site_reads_its_own(demo: Dialog) -> None:
    says_with_zone(demo.as_("Emma"), "/help", "America/Chicago")
    says_with_zone(demo.as_("Alice"), "/yo", "America/Los_Angeles")  # she has a site: her site's time stays
    demo.new_messages()
    summary = only(demo.as_("Alice").says("need a floater tomorrow 8-12, planning"))
    assert "• Tue 1 Dec, 08:00–12:00" in summary.text.splitlines()
    sent = demo.presses(summary.press("Send"))
    offer = only(to(sent, "Emma"))
    assert "Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 07:00–11:00 (your time)" in offer.text
    with session_scope(demo.engine) as session:
        people = session.exec(select(Person).where(col(Person.name).in_(["Emma Wilson", "Alice Johnson"]))).all()
        zones = {p.name: p.timezone for p in people}
    assert zones == {"Emma Wilson": "America/Chicago", "Alice Johnson": "America/Los_Angeles"}


@pytest.mark.twin
def test_in_spanish_and_a_zone_that_is_no_zone_is_ignored(demo: Dialog) -> None:
    says_with_zone(demo.as_("Sofía"), "/ayuda", "America/Denver")
    says_with_zone(demo.as_("Diego"), "/ayuda", "Mars/Olympus_Mons")
    demo.new_messages()
    summary = only(demo.as_("Beatriz").says("necesito flotante mañana de 8 a 12, planificación"))
    sent = demo.presses(summary.press("Enviar"))
    assert "mar 1 dic, 06:00–10:00 (tu hora)" in only(to(sent, "Sofía")).text
    with session_scope(demo.engine) as session:
        diego = session.exec(select(Person).where(Person.name == "Diego Torres")).one()
        assert diego.timezone == ""
