"""Unknown chat accounts: linked by profile e-mail, shared phone, or a Hub invite code — or told how."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from handlers.contract import Incoming
from models.db import session_scope
from models.messaging.tables import OutboxMessage
from models.roster.people import link_account
from models.roster.tables import ChatIdentity, Person
from tests.dialog import Dialog, only


def say(demo: Dialog, **fields: object) -> str:
    base: dict[str, object] = {"platform": "telegram", "user_id": "777", "chat_id": "777", "at": demo.clock.now()}
    demo.core.handle(Incoming(**{**base, **fields}))  # type: ignore[arg-type]
    return only(demo.new_messages()).text


def linked_name(demo: Dialog, platform: str, user_id: str) -> str | None:
    with session_scope(demo.engine) as session:
        row = session.exec(
            select(Person.name)
            .join(ChatIdentity, col(ChatIdentity.person_id) == col(Person.id))
            .where(ChatIdentity.platform == platform, ChatIdentity.platform_user_id == user_id)
        ).first()
    return row


def test_telegram_strangers_are_offered_the_contact_button(demo: Dialog) -> None:
    demo.core.handle(Incoming("telegram", "777", "777", demo.clock.now(), text="hi"))
    message = only(demo.new_messages())
    assert "/link CODE" in message.text
    assert message.buttons == (("Share my phone number", "share:contact"),)


@pytest.mark.twin
def test_a_shared_phone_on_the_roster_links_the_account(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        alice = session.exec(select(Person).where(Person.name == "Alice Johnson")).one()
        alice.phone = "(555) 010-2030"
        session.add(alice)
    text = say(demo, contact_phone="+1 555 010 2030", contact_user_id="777")
    assert text.startswith("Welcome, Alice Johnson!")
    assert linked_name(demo, "telegram", "777") == "Alice Johnson"
    assert "Commands you can use" in say(demo, text="/help")


def test_someone_elses_contact_or_an_unknown_number_links_nobody(demo: Dialog) -> None:
    assert "your own phone number" in say(demo, contact_phone="5550102030", contact_user_id="999")
    assert "not on the Alliance roster" in say(demo, contact_phone="+44 20 7946 0000", contact_user_id="777")
    assert linked_name(demo, "telegram", "777") is None


def test_a_slack_profile_email_links_the_account(demo: Dialog) -> None:
    text = say(demo, platform="slack", user_id="U123", chat_id="D123", text="hello", email="MARIA@casa.example")
    assert text.startswith("¡Te damos la bienvenida, María García!")  # in her roster language
    assert linked_name(demo, "slack", "U123") == "María García"


@pytest.mark.twin
def test_an_invite_code_links_once(demo: Dialog) -> None:
    answer = only(demo.as_("Hana").says("/invite diego"))
    code = answer.text.split("Invite code for Diego Torres: ")[1].split(" ")[0]
    assert say(demo, text=f"/link {code}").startswith("¡Te damos la bienvenida, Diego Torres!")
    assert linked_name(demo, "telegram", "777") == "Diego Torres"
    assert "not valid" in say(demo, user_id="778", chat_id="778", text=f"/link {code}")  # used already
    assert "not valid" in say(demo, user_id="779", chat_id="779", text="/vincular NOPE1234")


def test_only_the_hub_invites(demo: Dialog) -> None:
    assert "not available for your role" in only(demo.as_("Alice").says("/invite Diego")).text
    assert "start of one person's name" in only(demo.as_("Hana").says("/invite")).text


def test_invite_finds_a_name_without_its_accents_and_says_when_nobody_or_several_match(demo: Dialog) -> None:
    found = only(demo.as_("Hana").says("/invite lucia"))
    assert found.text.startswith("Invite code for Lucía Hernández:")
    assert only(demo.says("/invite hernandez")).text.startswith("Invite code for Lucía Hernández:")
    nobody = only(demo.says("/invite Zelda"))
    assert nobody.text == "Nobody on the roster is called “Zelda”. Send /roster or check the spelling."
    several = only(demo.says("/invite s"))
    assert several.text.startswith("“s” could be ")
    assert several.text.endswith("Send more of the name.")


def test_a_person_who_writes_from_a_group_is_answered_and_offered_in_private_only(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        emma = session.exec(select(Person).where(Person.name == "Emma Wilson")).one()
        at = demo.clock.now()
        link_account(session, person_id=emma.id or 0, platform="telegram", platform_user_id="777", chat_id="777", at=at)
        emma_id = emma.id
    from_group = Incoming("telegram", "777", "-100500", demo.clock.now(), text="/whoami", event_id="g1", private=False)
    demo.core.handle(from_group)
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")  # Emma is a favourite: offered at once
    demo.presses("cv:send")
    with session_scope(demo.engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
        account = session.exec(select(ChatIdentity).where(ChatIdentity.platform_user_id == "777")).one()
        assert account.chat_id == "777"  # where offers to her go: her private chat, not the group she wrote from
        answer = [r for r in rows if r.person_id == emma_id and r.platform == "telegram"]
        assert [(r.chat_id, r.text.splitlines()[0]) for r in answer] == [("777", "Emma Wilson")]
        assert any(r.person_id == emma_id and r.text.startswith("Can you cover") for r in rows)
        assert [r.text for r in rows if r.chat_id == "-100500"] == ["I'll answer you in a private message."]


@pytest.mark.twin
def test_a_first_message_linked_by_the_profile_is_answered_too(demo: Dialog) -> None:
    first = demo.core.handle(
        Incoming("slack", "U555", "D555", demo.clock.now(), text="/board", event_id="e555", email="hana@hub.example")
    )
    assert len(first) == 2  # welcome, then the board she asked for
    sent = demo.new_messages()
    assert sent[0].text.startswith("Welcome, Hana Okafor!")
    assert sent[1].text.startswith(("No cover shifts today or tomorrow.", "Today"))
    assert linked_name(demo, "slack", "U555") == "Hana Okafor"


def test_a_linked_chat_sending_link_again_is_told_it_is_linked_already(demo: Dialog) -> None:
    answer = only(demo.as_("Alice").says("/link ZZZZ1234"))
    assert answer.text == "This chat is already linked to you, Alice Johnson: nothing more to do."
