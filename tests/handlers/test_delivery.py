"""Replies become outbox rows: what goes to the person who just wrote is sent before offers and reminders."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import OutboxMessage
from tests.dialog import Dialog


@pytest.mark.twin
def test_the_requesters_sent_goes_ahead_of_her_offers(demo: Dialog) -> None:
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")
    alice = demo.who_id()
    demo.presses("cv:send")
    with session_scope(demo.engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    sent = [r for r in rows if r.text.startswith("Sent!")]
    offers = [r for r in rows if r.text.startswith("Can you cover")]
    assert [(r.person_id, r.priority) for r in sent] == [(alice, outbox.REPLY)]
    assert offers
    assert {r.priority for r in offers} == {outbox.URGENT}
