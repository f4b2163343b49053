"""A whole floater request on Telegram, through the real server and python-telegram-bot, over HTTP."""

from __future__ import annotations

import gc
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Reply
from handlers.cover.events import ShiftFilled
from models.cover.tables import Shift
from models.db import session_scope
from models.messaging.tables import InboxEvent, OutboxMessage
from tests.bot.e2e.stack import Stack, texts_to
from tests.conftest import SqliteTemplates


def test_a_floater_request_end_to_end(stack: Stack) -> None:
    tg = stack.telegram
    assert stack.telegram_text(1001, "need a floater tomorrow 8-12 planning").status_code == 200
    calls = tg.wait_for(
        lambda calls: any(c.method == "sendMessage" and "Please check" in str(c.params.get("text")) for c in calls)
    )
    summary = next(c for c in calls if "Please check" in str(c.params.get("text")))
    keyboard = summary.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in keyboard for b in row] == ["cv:send", "cv:change", "cv:cancel"]

    assert stack.telegram_press(1001, "cv:send").status_code == 200
    tg.wait_for(lambda calls: len(texts_to(tg, 1013)) == 1 and len(texts_to(tg, 1011)) == 1)
    assert tg.delivered("answerCallbackQuery")
    offer = texts_to(tg, 1013)[0]
    assert offer.startswith("Can you cover this shift?")

    stack.telegram_press(1011, "acc:1")
    tg.wait_for(
        lambda calls: (
            len(tg.delivered("editMessageText")) == 1
            and len(texts_to(tg, 1009)) == 1
            and any("is coming" in text for text in texts_to(tg, 1001))
            and texts_to(tg, 1011)[-1].startswith("Confirmed")  # each is its own message: wait for all four
        )
    )
    assert texts_to(tg, 1011)[-1].startswith("Confirmed — thank you!")
    assert "Fatima Ali is coming to cover" in texts_to(tg, 1001)[-1]
    assert "Fatima Ali is coming to cover" in texts_to(tg, 1009)[-1]  # Diana, the director
    edit = tg.delivered("editMessageText")[0]
    assert str(edit.params["chat_id"]) == "1013"
    assert str(edit.params["text"]).startswith("Filled — thank you!")
    emma_offer = next(c for c in tg.delivered("sendMessage") if str(c.params["chat_id"]) == "1013")
    assert int(edit.params["message_id"]) == emma_offer.params["_message_id"]


def test_what_start_up_made_is_kept_out_of_the_garbage_collectors_walks(stack: Stack) -> None:
    assert gc.get_freeze_count() > 100_000  # the server's modules, mappers and clients, frozen once it started


def test_a_wrong_secret_gets_403_and_stores_nothing(stack: Stack) -> None:
    assert stack.telegram_text(1001, "/help", secret="guess").status_code == 403
    assert stack.telegram_text(1001, "/help", secret="").status_code == 403
    with session_scope(stack.engine) as session:
        assert session.exec(select(func.count()).select_from(InboxEvent)).one() == 0
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_a_repeated_update_is_processed_once(stack: Stack) -> None:
    stack.telegram_text(1001, "/help", update_id=777)
    stack.telegram_text(1001, "/help", update_id=777)
    stack.telegram.wait_for(lambda calls: len(texts_to(stack.telegram, 1001)) >= 1)
    with session_scope(stack.engine) as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 1


def test_a_press_telegram_will_not_let_us_answer_is_handled_all_the_same(stack: Stack) -> None:
    tg = stack.telegram
    tg.method_faults["answerCallbackQuery"] = [("500", 0)]
    stack.telegram_text(1001, "need a floater tomorrow 8-12 planning")
    tg.wait_for(lambda calls: any("Please check" in text for text in texts_to(tg, 1001)))
    assert stack.telegram_press(1001, "cv:send").status_code == 200
    tg.wait_for(lambda calls: any(text.startswith("Sent!") for text in texts_to(tg, 1001)))
    assert [c.outcome for c in tg.calls if c.method == "answerCallbackQuery"] == ["500"]
    assert not any("Sorry, something went wrong" in text for text in texts_to(tg, 1001))


def test_an_unexpected_error_is_logged_and_the_person_gets_an_apology(stack: Stack) -> None:
    def broken(incoming: object) -> list[object]:
        raise RuntimeError("database exploded: secret internals")

    stack.app.state.runtime.core.handle = broken
    assert stack.telegram_text(1001, "/help").status_code == 200
    stack.telegram.wait_for(lambda calls: len(texts_to(stack.telegram, 1001)) == 1)
    apology = texts_to(stack.telegram, 1001)[0]
    assert apology == "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."


def test_a_broken_listener_undoes_the_accept_and_the_floater_is_told_nothing_was_saved(stack: Stack) -> None:
    listeners = bus.copy()

    @listeners.subscribe(ShiftFilled)
    def broken(ctx: Ctx, event: ShiftFilled) -> list[Reply]:
        raise RuntimeError("another feature's listener is broken")

    stack.app.state.runtime.core.bus = listeners
    tg = stack.telegram
    stack.telegram_text(1001, "need a floater tomorrow 8-12 planning")
    tg.wait_for(lambda calls: any("Please check" in str(c.params.get("text")) for c in calls))
    stack.telegram_press(1001, "cv:send")
    tg.wait_for(lambda calls: len(texts_to(tg, 1011)) == 1)
    stack.telegram_press(1011, "acc:1")
    tg.wait_for(lambda calls: len(texts_to(tg, 1011)) == 2)
    assert texts_to(tg, 1011)[-1] == (
        "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."
    )
    with session_scope(stack.engine) as session:
        shift = session.get(Shift, 1)
        assert shift is not None
        assert (shift.status, shift.floater_id) == ("open", None)


def test_serve_works_while_telegram_is_unreachable_and_registers_the_webhook_when_it_answers(
    tmp_path: Path, sqlite_templates: SqliteTemplates
) -> None:
    stack = Stack(tmp_path, sqlite_templates.copy(tmp_path / "down.db", "demo")).start(telegram_down=True)
    try:
        health = stack.http.get("/healthz").json()
        assert (health["telegram"], health["database"]) == ("down", "ok")
        assert stack.slack_dm("UMARIA", "/ayuda").status_code == 200  # Slack and the outbox serve meanwhile
        stack.slack.wait_for(lambda calls: any(c.method == "chat.postMessage" for c in calls))
        assert stack.telegram_text(1001, "/help").status_code == 503  # Telegram will send it again
        stack.telegram_comes_up()
        assert [c.method for c in stack.telegram.calls if c.method == "setWebhook"] == ["setWebhook"]
        assert stack.http.get("/healthz").json()["telegram"] == "up"
        assert stack.telegram_text(1001, "/help").status_code == 200
        stack.telegram.wait_for(lambda calls: any(c.method == "sendMessage" for c in calls))
    finally:
        stack.stop()
