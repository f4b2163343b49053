"""The cover request as a form (Slack's modal): the chat's request, checks and replies, field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from handlers.contract import Incoming
from handlers.forms import FieldKind
from handlers.service import Core
from models.cover.tables import CoverRequest, Offer, Shift
from models.db import make_engine, session_scope
from models.messaging.tables import InboxEvent
from models.roster.tables import Room
from tests.conftest import SqliteTemplates
from tests.dialog import Dialog, only, to


def incoming(demo: Dialog, event_id: str | None = None) -> Incoming:
    return Incoming(demo.platform, demo.who, "c" + demo.who[1:], demo.clock.now(), event_id=event_id)


def room_id(demo: Dialog, name: str) -> str:
    with session_scope(demo.engine) as session:
        return str(session.exec(select(Room.id).where(Room.name == name)).one())


def count(demo: Dialog, table: type) -> int:
    with session_scope(demo.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def values(demo: Dialog, **changes: str) -> dict[str, str]:
    base = {"day": "2026-12-01", "start": "08:00", "end": "12:00", "room": room_id(demo, "Butterflies")}
    return {**base, "reason": "planning", "until": "", **changes}


def shifts(demo: Dialog) -> list[tuple[Any, ...]]:
    with session_scope(demo.engine) as session:
        rows = session.exec(select(Shift).order_by(col(Shift.id))).all()
        return [(s.site_id, s.room_id, s.starts_at, s.ends_at, s.reason, s.age_group) for s in rows]


def test_the_form_offers_her_sites_rooms_hours_and_reasons(demo: Dialog) -> None:
    shown = demo.core.form(incoming(demo.as_("Alice")), "cover")
    assert shown is not None
    fields = {f.name: f for f in shown.form.fields}
    assert [(f.name, f.kind) for f in shown.form.fields] == [
        ("day", FieldKind.DATE),
        ("start", FieldKind.TIME),
        ("end", FieldKind.TIME),
        ("room", FieldKind.CHOICE),
        ("reason", FieldKind.CHOICE),
        ("until", FieldKind.DATE),
    ]
    assert (fields["day"].initial, fields["start"].initial, fields["end"].initial) == ("2026-12-01", "06:30", "18:00")
    assert [shown.text(o.label) for o in fields["room"].options] == [
        "Little Sprouts (infants)",
        "Butterflies (toddlers)",
        "Sunflowers (preschool)",
        "Explorers (school age)",
    ]
    assert fields["room"].initial == room_id(demo, "Butterflies")  # her own room
    assert fields["start"].hint is not None
    assert shown.text(fields["start"].hint) == "Sunflower Center is open 06:30–18:00."
    assert fields["until"].optional


def test_in_spanish_and_only_for_people_who_request_cover(demo: Dialog) -> None:
    shown = demo.core.form(incoming(demo.as_("María")), "cover")
    assert shown is not None
    assert (shown.text(shown.form.title), shown.text(shown.form.submit)) == ("Pedir cobertura", "Enviar")
    assert [shown.text(f.label) for f in shown.form.fields][-1] == "Repetir cada semana hasta"
    assert demo.core.form(incoming(demo.as_("Sofía")), "cover") is None  # a floater: the chat answers her
    assert demo.core.form(incoming(demo.as_("Hana")), "cover") is None


@pytest.mark.twin
def test_a_submission_is_the_same_request_as_the_chat_message(
    demo: Dialog, sqlite_templates: SqliteTemplates, tmp_path: Path
) -> None:
    chat = only(demo.as_("Alice").says("floater tomorrow 8-12 for planning"))
    by_chat = demo.presses(chat.press("Send"))
    twin = make_engine(sqlite_templates.copy(tmp_path / "twin.db", "demo"))  # the same Alliance, untouched
    form = Dialog(Core(twin, demo.clock, demo.core.config), twin, demo.clock).as_("Alice")
    assert form.core.submit(incoming(form, "view:1"), "cover", values(form)) == {}
    by_form = form.new_messages()
    assert shifts(form) == shifts(demo)
    assert len(shifts(form)) == 1
    assert [(m.to, m.text, m.buttons) for m in by_form] == [(m.to, m.text, m.buttons) for m in by_chat]
    twin.dispose()


def test_a_repeated_submission_creates_one_request(demo: Dialog) -> None:
    demo.as_("Alice")
    assert demo.core.submit(incoming(demo, "view:V1:abc"), "cover", values(demo)) == {}
    assert demo.core.submit(incoming(demo, "view:V1:abc"), "cover", values(demo)) == {}
    assert count(demo, CoverRequest) == 1


def test_repeat_weekly_until_makes_one_shift_a_week(demo: Dialog) -> None:
    demo.as_("Alice")
    assert demo.core.submit(incoming(demo, "v"), "cover", values(demo, until="2026-12-15")) == {}
    assert [s[2].date().isoformat() for s in shifts(demo)] == ["2026-12-01", "2026-12-08", "2026-12-15"]
    assert "Each of the 3 shifts is offered" in to(demo.new_messages(), "Alice")[0].text


BAD = [
    ({"end": "07:30"}, "end", "The end time must be after the start time. Try again, like 8-12."),
    ({"start": "06:00"}, "start", "Sunflower Center is open 06:30–18:00; please choose times inside those hours."),
    ({"end": "18:30"}, "end", "Sunflower Center is open 06:30–18:00; please choose times inside those hours."),
    ({"day": "2026-11-27"}, "day", "Fri 27 Nov 08:00 has already passed. Which day and time do you need?"),
    # A day a year back is written with its year, as in the chat.
    ({"day": "2025-12-01"}, "day", "Mon 1 Dec 2025 08:00 has already passed. Which day and time do you need?"),
    (
        {"day": "2026-11-30", "start": "06:00"},
        "start",
        "Mon 30 Nov 06:00 has already passed. Which day and time do you need?",
    ),
    ({"room": "99999"}, "room", "You can only ask for cover in the rooms of your own site."),
    ({"room": "Pollitos"}, "room", "You can only ask for cover in the rooms of your own site."),
    ({"reason": "dentist"}, "reason", "Please choose one of the options."),
    ({"until": "2026-11-30"}, "until", "The last day must be on or after the first day."),
    ({"until": "2027-12-01"}, "until", "That is more than 26 weeks; please pick an earlier last day."),
    ({"day": "tomorrow"}, "day", "Please pick a date."),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_a_bad_submission_gets_the_chats_message_on_its_field_and_stores_nothing(
    demo: Dialog, change: dict[str, str], field: str, message: str
) -> None:
    demo.as_("Alice")
    assert demo.core.submit(incoming(demo, "view:bad"), "cover", values(demo, **change)) == {field: message}
    assert (count(demo, CoverRequest), count(demo, Shift), count(demo, Offer), count(demo, InboxEvent)) == (0, 0, 0, 0)
    assert demo.new_messages() == []


def test_another_sites_room_and_several_problems_at_once_in_spanish(demo: Dialog) -> None:
    demo.as_("María")
    bad = values(demo, room=room_id(demo, "Butterflies"), end="06:00", reason="")
    assert demo.core.submit(incoming(demo, "view:es"), "cover", bad) == {
        "room": "Solo puedes pedir cobertura para los salones de tu propio centro.",
        "end": "La hora de fin debe ser después de la de inicio. Intenta de nuevo, por ejemplo 8-12.",
        "reason": "Elige una de las opciones, por favor.",
    }
    assert count(demo, Shift) == 0


def test_a_repeat_of_her_own_request_is_refused_on_the_day(demo: Dialog) -> None:
    demo.as_("Alice")
    assert demo.core.submit(incoming(demo, "one"), "cover", values(demo)) == {}
    again = demo.core.submit(incoming(demo, "two"), "cover", values(demo))
    assert list(again) == ["day"]
    assert again["day"].startswith("You already asked for cover in Butterflies on Tue 1 Dec")
    assert count(demo, CoverRequest) == 1
