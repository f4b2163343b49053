"""Telegram's command menu: her roles' commands in her language, within Telegram's limits, asked for on each change
of her link, language or roles — and the three commands an unknown chat sees."""

from __future__ import annotations

import re
import threading
from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from handlers import surfaces
from handlers.contract import CommandMenu, Incoming
from handlers.i18n import LANGUAGES
from handlers.menu import MAX_COMMANDS, MAX_DESCRIPTION, NAME, fitted, menu_of, redraw, unknown_chat_menus
from handlers.registry import registry
from models.db import session_scope
from models.messaging.tables import OutboxKind, OutboxMessage, OutboxStatus
from models.roster.apply import import_roster
from models.roster.files import read_people
from models.roster.linking import CODE_ALPHABET
from models.roster.people import link_account
from models.roster.tables import ChatIdentity, Person
from tests.conftest import START
from tests.dialog import Dialog, only

START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what Telegram passes on from t.me/<bot>?start=…
HUB_ONLY = {"invite", "board", "roster", "surveys", "undelivered"}


def menu(demo: Dialog, name: str) -> CommandMenu:
    with session_scope(demo.engine) as session:
        person_id = session.exec(select(Person.id).where(col(Person.name).startswith(name))).one()
    assert person_id is not None
    drawn = surfaces.render(demo.engine, demo.clock, demo.core.config, OutboxKind.COMMANDS, person_id, "telegram")
    assert isinstance(drawn, CommandMenu)
    return drawn


def names(drawn: CommandMenu) -> list[str]:
    return [name for name, _description in drawn.commands]


def menu_rows(demo: Dialog) -> list[tuple[int | None, str | None]]:
    with session_scope(demo.engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.COMMANDS).order_by(col(OutboxMessage.id))
        ).all()
        return [(row.person_id, row.chat_id) for row in rows]


def stranger(demo: Dialog, text: str, user: str = "777") -> str:
    """What a Telegram account (linked or not) is answered; a greeting and the help come as two messages."""
    demo.core.handle(Incoming("telegram", user, user, demo.clock.now(), text=text))
    return "\n".join(sent.text for sent in demo.new_messages())


def test_a_teachers_menu_has_her_commands_and_no_hub_ones_and_the_hubs_has_them(demo: Dialog) -> None:
    alice = menu(demo, "Alice")
    assert alice.language == "en"
    assert {"floater", "requests", "help", "lang", "cancel", "whoami"} <= set(names(alice))
    assert not HUB_ONLY & set(names(alice))
    assert "start" not in names(alice)  # hidden
    assert ("help", "show what you can do here") in alice.commands
    hana = menu(demo, "Hana")
    assert set(names(hana)) >= HUB_ONLY
    assert "floater" not in names(hana)  # a teacher's and director's command


def test_a_spanish_speakers_menu_has_the_spanish_names_and_descriptions(demo: Dialog) -> None:
    beatriz = menu(demo, "Beatriz")  # a teacher whose roster language is Spanish
    assert beatriz.language == "es"
    assert {"flotante", "ayuda", "idioma", "cancelar", "yo"} <= set(names(beatriz))
    assert "help" not in names(beatriz)
    assert ("ayuda", "ver lo que puedes hacer aquí") in beatriz.commands


def test_every_menu_fits_telegrams_rules_in_both_languages() -> None:
    everyone = frozenset({"teacher", "floater", "director", "supervisor", "hub"})
    for lang in LANGUAGES:
        drawn = menu_of(registry.visible_commands(everyone), lang)
        assert 0 < len(drawn.commands) <= MAX_COMMANDS
        assert len(drawn.commands) == len(registry.visible_commands(everyone))  # nothing had to be left out
        assert len(set(names(drawn))) == len(drawn.commands)
        for name, description in drawn.commands:
            assert NAME.fullmatch(name), name
            assert 1 <= len(description) <= MAX_DESCRIPTION


def test_what_telegram_would_refuse_is_left_out_or_cut() -> None:
    drawn = fitted(
        [("ok", "fine"), ("Bad-Name", "x"), ("ok", "again"), ("a" * 33, "x"), ("long", "y" * 300), ("blank", " ")],
        "en",
    )
    assert names(drawn) == ["ok", "long", "blank"]
    assert len(drawn.commands[1][1]) == MAX_DESCRIPTION
    assert drawn.commands[1][1].endswith("…")
    assert drawn.commands[2][1] == "blank"  # Telegram refuses an empty description
    many = fitted([(f"c{n}", "d") for n in range(150)], "en")
    assert len(many.commands) == MAX_COMMANDS


def test_unknown_chats_see_start_help_and_link_in_each_language() -> None:
    english, spanish = unknown_chat_menus()
    assert (english.language, names(english)) == ("en", ["start", "help", "link"])
    assert (spanish.language, names(spanish)) == ("es", ["start", "ayuda", "vincular"])
    assert spanish.commands[2][1] == "vincular este chat con tu código de invitación"


@pytest.mark.twin
def test_linking_and_changing_language_ask_for_her_menu_once_each(demo: Dialog) -> None:
    code = only(demo.as_("Hana").says("/invite diego")).text.split("Diego Torres: ")[1].split(" ")[0]
    assert menu_rows(demo) == []  # Hana is on the console: no Telegram menu to draw
    assert stranger(demo, f"/start {code}").startswith("¡Te damos la bienvenida, Diego Torres!")
    with session_scope(demo.engine) as session:
        diego = session.exec(select(Person.id).where(Person.name == "Diego Torres")).one()
    assert menu_rows(demo) == [(diego, "777")]
    assert "ayuda" in names(menu(demo, "Diego"))  # his roster language
    with session_scope(demo.engine) as session:  # the first went out; the change asks for another
        session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.COMMANDS)
        ).one().status = OutboxStatus.SENT
    stranger(demo, "/lang en")
    assert menu_rows(demo) == [(diego, "777"), (diego, "777")]
    assert "help" in names(menu(demo, "Diego"))


def test_a_change_without_a_telegram_account_asks_for_nothing(demo: Dialog) -> None:
    demo.as_("Alice").says("/lang es")  # a console account
    demo.core.handle(Incoming("slack", "U9", "D9", demo.clock.now(), text="hi", email="maria@casa.example"))
    assert menu_rows(demo) == []


def test_a_roster_import_asks_for_the_menus_of_people_whose_roles_or_language_changed(demo: Dialog) -> None:
    header = "name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id\n"
    sam = "Sam Rivera,,{roles},,sam@hub.example,,en,toddler,background_check;cpr_first_aid,,5005\n"

    def imported(roles: str, email: str = "sam@hub.example") -> list[int]:
        people = read_people(header + sam.format(roles=roles).replace("sam@hub.example", email))
        with session_scope(demo.engine) as session:
            return import_roster(session, people=people, at=demo.clock.now()).menus_changed

    (sam_id,) = imported("floater")  # new, with a Telegram account
    assert imported("floater") == []  # the same file again
    assert imported("floater", email="sam@else.example") == []  # nothing her menu shows
    assert imported("floater;hub") == [sam_id]


def test_invite_gives_a_telegram_deep_link_when_the_bot_is_on_telegram(demo: Dialog) -> None:
    plain = only(demo.as_("Hana").says("/invite diego")).text
    assert "t.me" not in plain
    demo.core.config = replace(demo.core.config, telegram_bot_username="alliance_test_bot")
    answer = only(demo.says("/invite diego")).text
    code = answer.split("Diego Torres: ")[1].split(" ")[0]
    assert f"https://t.me/alliance_test_bot?start={code}" in answer
    assert START_PARAMETER.fullmatch(code)
    assert set(CODE_ALPHABET) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def test_start_with_a_code_links_once_and_start_alone_explains_or_welcomes(demo: Dialog) -> None:
    assert "/link CODE" in stranger(demo, "/start")  # a stranger without a code: how to link
    code = only(demo.as_("Hana").says("/invite diego")).text.split("Diego Torres: ")[1].split(" ")[0]
    assert stranger(demo, f"/start {code}").startswith("¡Te damos la bienvenida")
    assert "not valid (or was already used)" in stranger(demo, f"/start {code}", user="778")  # nobody linked
    assert "/link CODE" in stranger(demo, "/start", user="778")
    welcome = stranger(demo, "/start")
    assert welcome.startswith("¡Hola, Diego Torres! Soy el asistente de la Alianza.")
    assert "Comandos que puedes usar" in welcome
    assert stranger(demo, f"/start {code}").startswith("¡Hola, Diego Torres!")  # linked: the code changes nothing
    with session_scope(demo.engine) as session:
        linked = session.exec(select(ChatIdentity.platform_user_id).where(ChatIdentity.platform == "telegram")).all()
    assert linked == ["777"]


def test_an_account_the_roster_linked_gets_its_menu_when_she_presses_start(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        emma = session.exec(select(Person.id).where(Person.name == "Emma Wilson")).one()
        assert emma is not None
        link_account(session, person_id=emma, platform="telegram", platform_user_id="888", chat_id="", at=START)
        assert redraw(session, person_ids=[emma], at=demo.clock.now()) == 0  # no chat Telegram knows yet
    assert menu_rows(demo) == []
    assert stranger(demo, "/start", user="888").startswith("Hi Emma Wilson!")
    assert menu_rows(demo) == [(emma, "888")]


def test_undelivered_names_a_menu_that_could_not_be_drawn(demo: Dialog) -> None:
    code = only(demo.as_("Hana").says("/invite emma")).text.split("Emma Wilson: ")[1].split(" ")[0]
    stranger(demo, f"/link {code}", user="888")
    with session_scope(demo.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.COMMANDS)).one()
        row.status, row.error = OutboxStatus.DEAD, "Telegram: Forbidden: bot was blocked by the user"
    answer = only(demo.says("/undelivered")).text
    assert "• to Emma Wilson: Telegram: Forbidden: bot was blocked by the user — “…”" in answer


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_drawing_a_menu_reads_while_a_writer_holds_the_lock(demo: Dialog) -> None:
    # Surfaces are drawn as the dispatcher sends them, many a minute: they only read, so they must neither wait
    # for SQLite's write lock nor hold it while they draw (they once took it like a change).
    drawn: list[object] = []
    alice = demo.as_("Alice").who_id()
    config = demo.core.config

    def draw() -> None:
        drawn.append(surfaces.render(demo.engine, demo.clock, config, OutboxKind.COMMANDS, alice, "telegram"))

    with session_scope(demo.engine) as writing:
        writing.execute(text("UPDATE person SET phone = phone"))  # holds the write lock until the block ends
        reader = threading.Thread(target=draw)
        reader.start()
        reader.join(timeout=4)  # the writer's wait would be 5 s (busy timeout), then "database is locked"
        assert drawn, "the menu waited for the write lock"
