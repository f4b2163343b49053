"""A supervisor types when a session is: a numeric date in her language, the year echoed for a day far ahead."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models.db import session_scope
from models.roster.tables import Person
from tests.dialog import Dialog, only
from tests.handlers.supervision.conftest import publish


def speaks_spanish(demo: Dialog, name: str) -> None:
    with session_scope(demo.engine) as session:
        person = session.exec(select(Person).where(Person.name.startswith(name))).one()
        person.language = "es"
        session.add(person)


@pytest.mark.twin
def test_a_spanish_supervisors_numeric_date_is_day_first(demo: Dialog) -> None:
    speaks_spanish(demo, "Olivia")
    demo.as_("Olivia").says("/horarios")
    demo.presses("rsn:new")
    assert only(demo.says("10/12 9:30")).text == "¿Cuánto dura?"  # 10 December: near, so no year to check
    demo.presses("rsl:60")
    demo.presses("rsr:none")
    demo.presses("rsc:1")
    published = only(demo.presses("rsp:video")).text
    assert published.startswith("Publicada 1 sesión: jue 10 dic, 09:30–10:30 (videollamada).")


def test_a_day_far_ahead_is_echoed_with_its_year(demo: Dialog) -> None:
    demo.as_("Olivia").says("/slots")
    demo.presses("rsn:new")
    echo = only(demo.says("10/12 9:30")).text  # English: 12 October, next year
    assert echo.splitlines() == [
        "Please check the year — that is a while ahead:",
        "• Tue 12 Oct 2027",
        "How long is it?",
    ]


def test_a_date_no_calendar_has_is_named_as_a_cover_request_names_it(demo: Dialog) -> None:
    """`feb 30` got a generic prompt here, and listed every session in a sign-up, while cover said why."""
    demo.as_("Olivia").says("/slots")
    demo.presses("rsn:new")
    assert only(demo.says("feb 30 10:00")).text == "February has no 30th. Send a day and time, like: thu 10:00."
    speaks_spanish(demo, "Olivia")
    assert only(demo.says("30 de febrero 10:00")).text.startswith("No existe el 30 de febrero.")
    publish(demo)  # Thu 3 Dec, 14:00
    wish = only(demo.as_("Alice").says("sign me up for supervision on feb 30"))
    assert wish.text.splitlines()[0] == "February has no 30th; here are the sessions ahead."
