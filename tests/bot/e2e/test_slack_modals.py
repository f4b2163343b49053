"""Slack modals through the real server and slack-bolt: `/alliance floater` and Home's [Request cover] open the
cover form; a submission is the chat's request (once), a bad one gets field errors and stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from models.cover.tables import CoverRequest, Reason, Shift
from models.db import session_scope
from models.messaging.tables import InboxEvent, OutboxMessage
from models.roster.tables import Room
from tests.bot.e2e.stack import Stack, texts_to


def opened(stack: Stack, count: int = 1) -> dict[str, Any]:
    """The view of the `count`-th views.open, with the id the fake gave it."""
    stack.slack.wait_for(lambda calls: len(stack.slack.delivered("views.open")) >= count)
    call = stack.slack.delivered("views.open")[count - 1]
    view = call.params["view"]
    return {**view, "id": f"V{count}"}


def options(view: dict[str, Any], block_id: str) -> list[tuple[str, str]]:
    block = next(b for b in view["blocks"] if b["block_id"] == block_id)
    return [(o["text"]["text"], o["value"]) for o in block["element"]["options"]]


def picked(view: dict[str, Any], **changes: str) -> dict[str, str]:
    rooms = dict(options(view, "room"))
    return {"day": "2026-12-01", "start": "08:00", "end": "12:00", "room": rooms["Pollitos (bebés)"]} | {
        "reason": "training",
        **changes,
    }


def count(stack: Stack, table: type) -> int:
    with session_scope(stack.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def test_the_floater_command_opens_the_form_and_a_submission_is_the_chats_request(stack: Stack) -> None:
    assert stack.slack_command("UMARIA", "flotante").status_code == 200
    view = opened(stack)
    assert stack.slack.delivered("views.open")[0].params["trigger_id"].startswith("tr")
    assert (view["title"]["text"], view["submit"]["text"], view["callback_id"]) == (
        "Pedir cobertura",
        "Enviar",
        "form:cover",
    )
    assert [(b["block_id"], b["element"]["type"]) for b in view["blocks"]] == [
        ("day", "datepicker"),
        ("start", "timepicker"),
        ("end", "timepicker"),
        ("room", "static_select"),
        ("reason", "static_select"),
        ("until", "datepicker"),
    ]
    start = next(b for b in view["blocks"] if b["block_id"] == "start")
    assert (start["element"]["initial_time"], start["hint"]["text"]) == (
        "07:00",
        "Casa de los Niños abre de 07:00 a 18:00.",
    )
    assert [label for label, _value in options(view, "room")] == [
        "Pollitos (bebés)",
        "Mariposas (niños pequeños)",
        "Estrellas (preescolar)",
    ]

    answer = stack.slack_submit("UMARIA", view, picked(view))
    assert (answer.status_code, answer.text) == (200, "")
    assert stack.slack_submit("UMARIA", view, picked(view)).status_code == 200  # a double click: still one
    stack.slack.wait_for(lambda calls: len(texts_to(stack.slack, "USOFIA", "chat.postMessage")) == 1)
    with session_scope(stack.engine) as session:
        shift = session.exec(select(Shift)).one()
        room = session.get(Room, shift.room_id)
        assert room is not None
        assert (room.name, shift.reason) == ("Pollitos", Reason.TRAINING)
        assert (shift.starts_at, shift.ends_at) == (
            datetime(2026, 12, 1, 13, tzinfo=UTC),
            datetime(2026, 12, 1, 17, tzinfo=UTC),
        )
    assert count(stack, CoverRequest) == 1
    told = stack.slack.wait_for(lambda calls: len(texts_to(stack.slack, "DMARIA", "chat.postMessage")) == 1)
    assert texts_to(stack.slack, "DMARIA", "chat.postMessage")[0].startswith("¡Enviado!")
    assert [c.method for c in told].count("views.open") == 1


def test_a_bad_submission_gets_errors_on_its_fields_and_stores_nothing(stack: Stack) -> None:
    stack.slack_command("UMARIA", "floater")
    view = opened(stack)
    other_site_room = "999"
    answer = stack.slack_submit("UMARIA", view, picked(view, end="07:30", room=other_site_room))
    assert answer.status_code == 200
    assert answer.json() == {
        "response_action": "errors",
        "errors": {
            "end": "La hora de fin debe ser después de la de inicio. Intenta de nuevo, por ejemplo 8-12.",
            "room": "Solo puedes pedir cobertura para los salones de tu propio centro.",
        },
    }
    assert (count(stack, CoverRequest), count(stack, Shift), count(stack, OutboxMessage)) == (0, 0, 0)
    assert count(stack, InboxEvent) == 0


def test_the_home_button_opens_the_same_form_and_words_after_the_command_stay_free_text(stack: Stack) -> None:
    assert stack.slack_home_press("UMARIA", "home:request_cover").status_code == 200
    assert opened(stack)["callback_id"] == "form:cover"
    stack.slack_command("UMARIA", "floater tomorrow 8-12 training")
    stack.slack.wait_for(lambda calls: len(texts_to(stack.slack, "DMARIA", "chat.postMessage")) == 1)
    assert texts_to(stack.slack, "DMARIA", "chat.postMessage")[0].startswith("Revisa tu solicitud:")
    assert len(stack.slack.delivered("views.open")) == 1


def test_someone_who_may_not_use_the_form_gets_the_chats_answer(stack: Stack) -> None:
    stack.slack_command("USAM", "floater")  # a floater does not ask for cover
    stack.slack.wait_for(lambda calls: len(texts_to(stack.slack, "DSAM", "chat.postMessage")) == 1)
    assert texts_to(stack.slack, "DSAM", "chat.postMessage")[0].startswith("Sorry, /alliance floater is not available")
    assert stack.slack.delivered("views.open") == []


def test_a_floater_in_another_zone_reads_her_offer_in_her_slack_time_zone(stack: Stack) -> None:
    stack.slack_dm("USAM", "/help")  # Sam's Slack profile says America/Chicago; Sofía's, New York
    stack.slack.wait_for(lambda calls: len(texts_to(stack.slack, "DSAM", "chat.postMessage")) == 1)
    stack.slack_command("UMARIA", "floater")
    view = opened(stack)
    assert stack.slack_submit("UMARIA", view, picked(view)).status_code == 200
    stack.slack.wait_for(lambda calls: len(texts_to(stack.slack, "DSAM", "chat.postMessage")) == 2)
    assert "Pollitos (bebés), mar 1 dic, 08:00–12:00\n" in texts_to(stack.slack, "USOFIA", "chat.postMessage")[0]
    assert (
        "Pollitos (infants), Tue 1 Dec, 07:00–11:00 (your time)\n"
        in texts_to(stack.slack, "DSAM", "chat.postMessage")[1]
    )
