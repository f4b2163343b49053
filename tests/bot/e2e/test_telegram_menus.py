"""Telegram's command menus and deep links, through the real server and python-telegram-bot, over HTTP: unknown
chats' menu at start-up, her own menu (by her roles, in her language, for her chat) when she links with
`/start CODE` and when she changes language; a code used once links nobody else."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from models.db import session_scope
from models.roster.people import link_account
from models.roster.tables import ChatIdentity, Person
from tests.bot.e2e.stack import START, Stack, texts_to
from tests.bot.fakes.recorder import Recorder
from tests.conftest import SqliteTemplates

HANA, ALICE = 1017, 1001  # Hana Okafor (Hub staff), Alice Johnson (a teacher)
LINK = re.compile(r"https://t\.me/alliance_test_bot\?start=([A-Za-z0-9_-]+)")


def menus(recorder: Recorder, scope: dict[str, Any]) -> list[tuple[str | None, list[str]]]:
    """(language_code, command names) of each menu set for `scope`, in order."""
    return [
        (call.params.get("language_code"), [c["command"] for c in call.params["commands"]])
        for call in recorder.delivered("setMyCommands")
        if call.params.get("scope") == scope
    ]


def chat(user: int) -> dict[str, Any]:
    return {"type": "chat", "chat_id": user}


def wait_for_menus(recorder: Recorder, user: int, count: int) -> list[list[str]]:
    recorder.wait_for(lambda calls: len(menus(recorder, chat(user))) >= count)
    return [names for _language, names in menus(recorder, chat(user))]


def link_hana(stack: Stack) -> None:
    with session_scope(stack.engine) as session:
        hana = session.exec(select(Person.id).where(Person.name == "Hana Okafor")).one()
        link_account(
            session, person_id=hana or 0, platform="telegram", platform_user_id=str(HANA), chat_id=str(HANA), at=START
        )


def test_unknown_chats_see_start_help_and_link_in_english_and_spanish(stack: Stack) -> None:
    default = menus(stack.telegram, {"type": "default"})  # set before the server took its first update
    assert default == [
        (None, ["start", "help", "link"]),
        ("en", ["start", "help", "link"]),
        ("es", ["start", "ayuda", "vincular"]),
    ]


def test_a_deep_link_links_her_once_and_draws_her_menu_in_her_language(stack: Stack) -> None:
    tg = stack.telegram
    link_hana(stack)
    stack.telegram_text(HANA, "/invite diego")
    tg.wait_for(lambda calls: len(texts_to(tg, HANA)) == 1)
    (invite,) = texts_to(tg, HANA)
    found = LINK.search(invite)
    assert found is not None, invite
    code = found.group(1)
    assert f"Invite code for Diego Torres: {code}" in invite

    stack.telegram_text(3001, f"/start {code}")  # what Telegram sends when the link is opened
    tg.wait_for(lambda calls: len(texts_to(tg, 3001)) == 1)
    assert texts_to(tg, 3001)[0].startswith("¡Te damos la bienvenida, Diego Torres!")
    (diego,) = wait_for_menus(tg, 3001, 1)  # Diego: a floater who reads Spanish
    assert {"turnos", "ayuda", "idioma", "yo"} <= set(diego)
    assert not {"invitar", "tablero", "flotante", "help", "shifts"} & set(diego)

    stack.telegram_text(3002, f"/start {code}")  # the same link, opened from another account
    tg.wait_for(lambda calls: len(texts_to(tg, 3002)) == 1)
    assert texts_to(tg, 3002)[0].startswith("That invite code is not valid (or was already used).")
    with session_scope(stack.engine) as session:
        accounts = session.exec(
            select(ChatIdentity.platform_user_id).where(col(ChatIdentity.platform_user_id).in_(["3001", "3002"]))
        ).all()
    assert accounts == ["3001"]

    stack.telegram_text(3001, "/lang en")
    english = wait_for_menus(tg, 3001, 2)[1]
    assert {"shifts", "help", "lang", "whoami"} <= set(english)
    assert "turnos" not in english
    assert menus(tg, chat(3002)) == []  # refused: no menu of its own


def test_a_teachers_menu_lacks_the_hub_commands_and_the_hubs_has_them(stack: Stack) -> None:
    tg = stack.telegram
    link_hana(stack)
    stack.telegram_text(ALICE, "/lang es")
    stack.telegram_text(HANA, "/idioma es")
    (alice,) = wait_for_menus(tg, ALICE, 1)
    (hana,) = wait_for_menus(tg, HANA, 1)
    assert {"flotante", "solicitudes", "ayuda"} <= set(alice)
    assert not {"invitar", "tablero", "roster", "encuestas", "sinentregar"} & set(alice)
    assert {"invitar", "tablero", "roster", "encuestas", "sinentregar", "ayuda"} <= set(hana)
    assert "flotante" not in hana


def test_a_failed_default_menu_is_a_warning_and_the_server_serves(
    tmp_path: Path, sqlite_templates: SqliteTemplates, caplog: pytest.LogCaptureFixture
) -> None:
    stack = Stack(tmp_path, sqlite_templates.copy(tmp_path / "menus.db", "demo"))
    stack.telegram.method_faults["setMyCommands"] = [("500", 0)]
    with caplog.at_level(logging.WARNING, logger="bot.telegram.app"):
        stack.start()
    try:
        assert [c.outcome for c in stack.telegram.calls if c.method == "setMyCommands"] == ["500"]  # then no more
        assert "could not set the default command menu" in caplog.text
        assert stack.http.get("/healthz").json()["telegram"] == "up"
        stack.telegram_text(ALICE, "/lang es")  # her own menu comes through the outbox all the same
        assert {"flotante", "ayuda"} <= set(wait_for_menus(stack.telegram, ALICE, 1)[0])
    finally:
        stack.stop()
