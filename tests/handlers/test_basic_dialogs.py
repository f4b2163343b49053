"""The commands every person has, played as dialogs against the router (no platform involved)."""

from __future__ import annotations

import pytest
from sqlmodel import col, func, select

from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import InboxEvent, OutboxMessage
from models.roster.tables import Person
from tests.dialog import Dialog, only


def language_of(demo: Dialog, name: str) -> str:
    with session_scope(demo.engine) as session:
        return session.exec(select(Person.language).where(col(Person.name).startswith(name))).one()


def test_help_in_english_lists_the_commands_of_a_teacher(demo: Dialog) -> None:
    reply = only(demo.as_("Alice").says("/help"))
    assert reply.to == "Alice Johnson"
    assert "teacher (Sunflower Center · Butterflies)" in reply.text
    assert "/lang" in reply.text
    assert "/cancel" in reply.text
    assert "/roster" not in reply.text  # Hub only


def test_help_in_spanish_for_a_spanish_speaking_teacher(demo: Dialog) -> None:
    reply = only(demo.as_("Beatriz").says("/ayuda"))
    assert "Estás en la lista como: docente (Sunflower Center · Little Sprouts)." in reply.text
    assert "/idioma — cambiar tu idioma" in reply.text


def test_a_command_word_typed_without_its_slash_is_the_command(demo: Dialog) -> None:
    """In a Slack DM "/help" is Slack's own command: a person types "help" (or "¿ayuda?") and gets the help."""
    assert "teacher (Sunflower Center · Butterflies)" in only(demo.as_("Alice").says("help")).text
    assert "Estás en la lista como" in only(demo.as_("Beatriz").says("¿Ayuda?")).text
    assert "not available for your role" in only(demo.as_("Alice").says("roster")).text
    # A command not hers that a reader explains: the explanation, not the refusal.
    assert only(demo.as_("Hana").says("supervision")).text == (
        "Teachers book reflective supervision themselves, with /supervision."
    )
    assert "didn't understand" in only(demo.as_("Alice").says("help me please")).text  # a sentence is no command


def test_the_ways_out_typed_without_a_slash_work_within_a_flow_too(demo: Dialog) -> None:
    """At a question, "cancelar" and "ayuda" used to be read as a wrong answer ("Elige uno de los motivos")."""
    question = only(demo.as_("Lucía").says("necesito suplente mañana de 8 a 12"))
    assert question.text.startswith("¿Para qué es?")
    helped = only(demo.says("ayuda"))
    assert "Estás en la lista como" in helped.text
    assert only(demo.presses(question.press("planificación"))).text.startswith("Revisa tu solicitud:")  # kept
    assert only(demo.says("¿cancelar?")).text == "Cancelado. No se guardó nada más."
    assert only(demo.as_("Alice").says("need a floater tomorrow 8-12")).text.startswith("What is it for?")
    assert only(demo.says("Cancel")).text == "Cancelled. Nothing more was saved."
    for phrase in ("never mind", "cancel please", "olvídalo", "cancela"):
        assert only(demo.as_("Alice").says("need a floater tomorrow 8-12")).text.startswith("What is it for?")
        assert only(demo.says(phrase)).text in (
            "Cancelled. Nothing more was saved.",
            "Cancelado. No se guardó nada más.",
        )
    other = only(demo.as_("Alice").says("need a floater tomorrow 8-12"))
    assert only(demo.says("roster")).text == "Please pick one of the reasons below."  # other words: an answer
    assert other.text.startswith("What is it for?")


def test_hub_staff_see_the_roster_command_and_teachers_are_refused_it(demo: Dialog) -> None:
    assert "/roster" in only(demo.as_("Hana").says("/help")).text
    summary = only(demo.says("/roster")).text
    assert "3 sites, 10 rooms, 17 people." in summary
    assert "EXPIRED: Diego Torres, pediatric CPR / first aid" in summary
    refused = only(demo.as_("Alice").says("/roster")).text
    assert "not available for your role" in refused
    assert "Diego" not in refused


def test_language_is_chosen_with_a_button_and_stored(demo: Dialog) -> None:
    question = only(demo.as_("Alice").says("/lang"))
    assert question.text == "Which language would you like?"
    done = only(demo.presses(question.press("Español")))
    assert done.text == "Listo: desde ahora te escribiré en español."
    assert language_of(demo, "Alice") == "es"
    assert "Estás en la lista" in only(demo.says("/help")).text


@pytest.mark.twin
def test_language_can_be_typed_after_the_question(demo: Dialog) -> None:
    demo.as_("Beatriz").says("/idioma")
    assert only(demo.says("english")).text == "Done: I will write to you in English from now on."
    assert language_of(demo, "Beatriz") == "en"
    # the flow has ended: the same word now is just text the bot does not understand
    assert "didn't understand" in only(demo.says("english")).text


def test_an_unknown_language_is_explained_and_changes_nothing(demo: Dialog) -> None:
    demo.as_("Alice").says("/lang")
    assert "English or Español" in only(demo.says("klingon")).text
    assert language_of(demo, "Alice") == "en"


def test_cancel_ends_a_flow_and_says_when_there_is_none(demo: Dialog) -> None:
    demo.as_("Alice").says("/lang")
    assert only(demo.says("/cancel")).text == "Cancelled. Nothing more was saved."
    assert only(demo.says("/cancel")).text == "There is nothing to cancel right now."


def test_an_unknown_account_learns_how_to_link_and_nothing_about_the_alliance(demo: Dialog) -> None:
    reply = only(demo.says_from("stranger", "/roster"))
    assert reply.to.startswith("chat:")
    assert "Hub coordinator" in reply.text
    for secret in ("Sunflower", "Diego", "sites", "floater"):
        assert secret not in reply.text
    spanish = only(demo.says_from("extraño", "hola", language_hint="es-MX"))
    assert "Todavía no conozco esta cuenta" in spanish.text


def test_nonsense_emoji_and_unknown_commands_get_a_kind_pointer_to_help(demo: Dialog) -> None:
    demo.as_("Alice")
    assert "Send /help" in only(demo.says("🙂🙂")).text
    assert "I don't know the command /frobnicate" in only(demo.says("/frobnicate now")).text
    assert "no longer active" in only(demo.presses("zz:12")).text
    assert "only read text" in only(demo.says("   ")).text


def test_a_refused_message_is_still_remembered_and_changes_nothing_else(demo: Dialog) -> None:
    """The refusal rolls back what the step wrote, not the event id: the platform's retry gets no second answer."""
    demo.as_("Alice").says("/lang")  # a flow under way
    refused = only(demo.presses("cv:send", event_id="tg-88")).text  # no request to send: a stale button
    assert refused
    assert demo.presses("cv:send", event_id="tg-88") == []
    assert only(demo.says("english")).text == "Done: I will write to you in English from now on."  # still in /lang


def test_a_repeated_platform_event_is_processed_once(demo: Dialog) -> None:
    demo.as_("Alice")
    assert len(demo.says("/lang", event_id="tg-77")) == 1
    assert demo.says("/lang", event_id="tg-77") == []
    with session_scope(demo.engine) as session:
        assert session.exec(select(func.count()).select_from(InboxEvent)).one() == 1
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 1


def test_a_telegram_group_command_with_the_bot_name_is_understood(demo: Dialog) -> None:
    assert "Commands you can use" in only(demo.as_("Alice").says("/help@AllianceBot")).text


def test_the_hub_sees_undelivered_messages_and_why(demo: Dialog) -> None:
    assert only(demo.as_("Hana").says("/undelivered")).text == "Every message was delivered."
    with session_scope(demo.engine) as session:
        outbox.enqueue_many(
            session, [{"chat_id": "42", "platform": "telegram", "text": "Can you cover?"}], at=demo.clock.now()
        )
        row = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == "42")).one()
        outbox.mark_dead(session, message_id=row.id or 0, reason="Telegram: Forbidden: bot was blocked by the user")
    demo.new_messages()  # skip the row written by hand above
    listing = only(demo.says("/undelivered")).text
    assert "• to 42: Telegram: Forbidden: bot was blocked by the user — “Can you cover?”" in listing
    assert "not available" in only(demo.as_("Alice").says("/undelivered")).text
