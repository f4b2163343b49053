"""A supervisor publishes sessions with one form: the chat's checks and the chat's publishing."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from handlers.contract import Incoming
from models.db import session_scope
from models.supervision.tables import SupervisionSession
from tests.dialog import Dialog, to


def incoming(demo: Dialog, event_id: str) -> Incoming:
    return Incoming(demo.platform, demo.who, "c" + demo.who[1:], demo.clock.now(), event_id=event_id)


def sessions(demo: Dialog) -> int:
    with session_scope(demo.engine) as session:
        return int(session.exec(select(func.count()).select_from(SupervisionSession)).one())


def values(**changes: str) -> dict[str, str]:
    base = {"day": "2026-12-03", "start": "15:00", "minutes": "45", "repeat": "weekly", "weeks": "4"}
    return {**base, "seats": "2", "place": "video", **changes}


def test_a_supervisor_publishes_a_weekly_series_with_the_form(demo: Dialog) -> None:
    shown = demo.core.form(incoming(demo.as_("Olivia"), "x"), "slots")
    assert shown is not None
    assert [f.name for f in shown.form.fields] == ["day", "start", "minutes", "repeat", "weeks", "seats", "place"]
    before = sessions(demo)
    assert demo.core.submit(incoming(demo, "v1"), "slots", values()) == {}
    assert sessions(demo) == before + 4
    assert to(demo.new_messages(), "Olivia")[0].text.startswith("Published 4 sessions, the first Thu 3 Dec")
    assert demo.core.form(incoming(demo.as_("Alice"), "y"), "slots") is None  # a teacher books, she does not publish


def test_bad_values_get_the_chats_messages_in_spanish_and_publish_nothing(demo: Dialog) -> None:
    demo.as_("Marisol")
    before = sessions(demo)
    assert demo.core.submit(incoming(demo, "v1"), "slots", values(day="2026-11-27")) == {
        "day": "Esa hora ya pasó. Envía /horarios para empezar de nuevo."
    }
    assert demo.core.submit(incoming(demo, "v2"), "slots", values(minutes="50", place="nowhere")) == {
        "minutes": "Elige una de las opciones, por favor.",
        "place": "Elige una de las opciones, por favor.",
    }
    assert sessions(demo) == before


@pytest.mark.twin
def test_the_same_session_published_again_is_refused(demo: Dialog) -> None:
    demo.as_("Olivia")
    assert demo.core.submit(incoming(demo, "v1"), "slots", values(repeat="none")) == {}
    before = sessions(demo)
    answer = demo.core.submit(incoming(demo, "v2"), "slots", values(repeat="none"))  # a second, fresh form
    assert answer["day"].startswith("You already published Thu 3 Dec, 15:00–15:45")
    assert sessions(demo) == before
