"""The Slack Home tab through the real server and slack-bolt: opened, it shows her own view by role and in her
language; its buttons work like the chat's, and a change redraws it."""

from __future__ import annotations

import itertools
from typing import Any

from sqlmodel import col, select

from models.db import session_scope
from models.messaging.tables import OutboxKind, OutboxMessage, OutboxStatus
from models.roster.people import link_account
from models.roster.tables import Person
from tests.bot.e2e.stack import START, Stack, texts_to
from tests.bot.fakes.recorder import Call
from tests.bot.fakes.slack_requests import home_opened, home_press

_serial = itertools.count(9000)
MORE = {"Grace Lee": "UGRACE", "Diana Park": "UDIANA", "Hana Okafor": "UHANA"}  # on Slack for these tests


def link_more(stack: Stack) -> None:
    with session_scope(stack.engine) as session:
        for name, user in MORE.items():
            person = session.exec(select(Person).where(Person.name == name)).one()
            link_account(
                session, person_id=person.id or 0, platform="slack", platform_user_id=user, chat_id="", at=START
            )


def publishes(calls: list[Call], user: str) -> list[dict[str, Any]]:
    return [c.params["view"] for c in calls if c.method == "views.publish" and c.params.get("user_id") == user]


def texts(view: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def buttons(view: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, value, action id) of every button of the view."""
    return [
        (e["text"]["text"], e["value"], e["action_id"])
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def drained(stack: Stack) -> bool:
    """No Home tab waits to be redrawn (so the next publish is the one opening the tab caused)."""
    with session_scope(stack.engine) as session:
        waiting = select(OutboxMessage.id).where(
            OutboxMessage.kind == OutboxKind.HOME, OutboxMessage.status == OutboxStatus.PENDING
        )
        return session.exec(waiting.limit(1)).first() is None


def open_home(stack: Stack, user: str) -> dict[str, Any]:
    """She opens the Home tab: the view published for her because she did."""
    stack.slack.wait_for(lambda calls: drained(stack))
    before = len(publishes(stack.slack.calls, user))
    assert stack.slack_post(*home_opened(user, f"EvH{next(_serial)}")).status_code == 200
    calls = stack.slack.wait_for(lambda calls: len(publishes(calls, user)) > before)
    view = publishes(calls, user)[before]
    assert view["type"] == "home"
    return view


def request_cover(stack: Stack) -> None:
    """María (Casa de los Niños) asks for a floater; Sofía and Sam are offered it."""
    stack.slack_dm("UMARIA", "necesito flotante mañana de 8 a 12, capacitación")
    stack.slack.wait_for(lambda calls: len(texts_to(stack.slack, "DMARIA", "chat.postMessage")) == 1)
    stack.slack_press("UMARIA", "cv:send")
    stack.slack.wait_for(
        lambda calls: (
            len(texts_to(stack.slack, "USOFIA", "chat.postMessage")) == 1
            and len(texts_to(stack.slack, "USAM", "chat.postMessage")) == 1
        )
    )


def test_opening_the_home_tab_publishes_her_own_view_by_role_and_language(stack: Stack) -> None:
    link_more(stack)
    request_cover(stack)
    shift = "Casa de los Niños · Pollitos"

    teacher_es, teacher_en = open_home(stack, "UMARIA"), open_home(stack, "UGRACE")
    assert texts(teacher_es).startswith("¡Hola, María García!")
    assert "*Tus solicitudes de cobertura*" in texts(teacher_es)
    assert shift in texts(teacher_es)
    assert ("Pedir cobertura", "home:request_cover", "home:request_cover") in buttons(teacher_es)
    assert any(value == "cx:1" for _label, value, _id in buttons(teacher_es))
    assert "*Your requests for cover*" in texts(teacher_en)
    assert "No upcoming requests." in texts(teacher_en)  # María's request is not Grace's
    assert "*Your reflective supervision*" in texts(teacher_en)

    floater_es, floater_en = open_home(stack, "USOFIA"), open_home(stack, "USAM")
    assert "*Ofertas para ti*" in texts(floater_es)
    assert shift in texts(floater_es)
    assert "*Offers for you*" in texts(floater_en)
    assert "*Your shifts*" in texts(floater_en)
    assert [(value, action) for _label, value, action in buttons(floater_en)] == [("acc:1", "b0.1"), ("dec:1", "b1.1")]

    director_es, director_en = open_home(stack, "UCARMEN"), open_home(stack, "UDIANA")
    assert "*Tu centro hoy y mañana*" in texts(director_es)
    assert shift in texts(director_es)
    assert "*Your site today and tomorrow*" in texts(director_en)
    assert "Casa de los Niños" not in texts(director_en)  # Diana runs Sunflower Center

    hub = open_home(stack, "UHANA")
    for title in ("*The board*", "*Shifts without a floater*", "*Surveys: who has answered*"):
        assert title in texts(hub)
    assert "1 shift still needs a floater:" in texts(hub)

    assert stack.slack_post(*home_opened("USAM", "EvMsgTab", tab="messages")).status_code == 200
    assert stack.slack.delivered("conversations.open") == []  # no Home press yet


def test_an_unlinked_account_is_told_how_to_link_in_its_slack_language(stack: Stack) -> None:
    english, spanish = open_home(stack, "UNOBODY"), open_home(stack, "UNUEVA")  # UNUEVA's Slack locale is es-LA
    assert texts(english).startswith("Hello! I don't know this chat account yet")
    assert "e-mail address of your Slack profile" in texts(english)
    assert not texts(spanish).startswith("Hello!")
    assert "Mensajes" in texts(spanish)
    assert "Casa de los Niños" not in texts(english) + texts(spanish)
    assert buttons(english) == []


def test_a_home_button_is_handled_like_the_chats_once_and_redraws_the_tab(stack: Stack) -> None:
    request_cover(stack)
    view = open_home(stack, "USAM")
    (accept,) = [(value, action) for _label, value, action in buttons(view) if value.startswith("acc:")]
    before = len(publishes(stack.slack.calls, "USAM"))
    press = home_press("USAM", accept[1], next(_serial), value=accept[0], view_id="VUSAM")
    assert stack.slack_post(*press).status_code == 200
    assert stack.slack_post(*press, retry=1).status_code == 200  # Slack delivers it again: handled once
    calls = stack.slack.wait_for(
        lambda calls: (
            any(t.startswith("Confirmed — thank you!") for t in texts_to(stack.slack, "DSAM", "chat.postMessage"))
            and any("Your upcoming shifts:" in texts(v) for v in publishes(calls, "USAM")[before:])
        )
    )
    confirmed = [t for t in texts_to(stack.slack, "DSAM", "chat.postMessage") if t.startswith("Confirmed")]
    assert len(confirmed) == 1  # in her DM (opened with conversations.open), once
    assert [c.params["users"] for c in calls if c.method == "conversations.open"] == ["USAM"]
    redrawn = next(v for v in publishes(calls, "USAM")[before:] if "Your upcoming shifts:" in texts(v))
    assert "Casa de los Niños · Pollitos" in texts(redrawn)
    assert [value for _label, value, _id in buttons(redrawn)] == ["drp:1"]
    sofia = stack.slack.wait_for(lambda calls: len(stack.slack.delivered("chat.update")) == 1)
    assert next(c for c in sofia if c.method == "chat.update").params["channel"] == "DSOFIA"  # her offer: filled
    with session_scope(stack.engine) as session:
        homes = session.exec(select(OutboxMessage).where(col(OutboxMessage.kind) == OutboxKind.HOME)).all()
        assert {row.chat_id for row in homes} <= {"UMARIA", "USOFIA", "UCARMEN", "USAM"}  # Slack accounts only


def test_opening_home_first_links_by_the_profile_and_shows_times_in_her_own_zone(stack: Stack) -> None:
    hub = texts(open_home(stack, "UHANA"))  # never wrote to the bot; her profile's e-mail is on the roster
    assert hub.startswith("Hi Hana Okafor!")
    assert "*The board*" in hub
    request_cover(stack)  # Sam, a floater of the Hub's pool, is offered it; his Slack profile is in Chicago
    sam = texts(open_home(stack, "USAM"))
    assert "Tue 1 Dec, 07:00–11:00 (your time)" in sam  # as his messages say it, not New York's 08:00–12:00
    assert "08:00–12:00" not in sam


def test_an_unlinked_account_is_answered_in_its_slack_language_in_the_chat_too(stack: Stack) -> None:
    stack.slack_dm("UNUEVA", "hola")  # her profile's locale is es-LA
    stack.slack.wait_for(lambda calls: bool(texts_to(stack.slack, "DNUEVA", "chat.postMessage")))
    assert texts_to(stack.slack, "DNUEVA", "chat.postMessage")[0].startswith("¡Hola!")
