"""Every registered command reaches its handler through each platform's edge: Slack's `/alliance NAME` and a
Telegram `/NAME` update (the real translators and PTB objects), for a person whose role may use it."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import col, select
from telegram import Update

from bot.slack.translate import from_command
from bot.telegram.translate import to_incoming
from handlers.contract import Incoming
from models.db import session_scope
from models.roster.people import link_account
from models.roster.tables import Person, PersonRole
from tests.dialog import Dialog

NOT_REACHED = ("didn't understand", "I don't know the command", "not available for your role")


def someone_for(demo: Dialog, roles: frozenset[str] | None) -> int:
    """A person of the demo roster who may use a command of these roles (None: anyone)."""
    with session_scope(demo.engine) as session:
        statement = select(Person.id).join(PersonRole).order_by(col(Person.id))
        if roles is not None:
            statement = statement.where(col(PersonRole.role).in_(roles))
        person_id = session.exec(statement).first()
        assert person_id is not None
        for platform, user in (("slack", f"U{person_id}"), ("telegram", str(person_id))):
            at = demo.clock.now()
            link_account(session, person_id=person_id, platform=platform, platform_user_id=user, chat_id=user, at=at)
        return person_id


def through_slack(name: str, person_id: int, at: datetime, demo: Dialog) -> Incoming:
    command = {"text": name, "user_id": f"U{person_id}", "channel_id": f"U{person_id}", "trigger_id": f"t-{name}"}
    return from_command(command, at, None, commands=demo.core.registry.commands.keys())


def through_telegram(name: str, person_id: int, at: datetime, demo: Dialog) -> Incoming:
    user = {"id": person_id, "is_bot": False, "first_name": "A"}
    chat = {"id": person_id, "type": "private"}
    message = {"message_id": 1, "date": 0, "chat": chat, "from": user, "text": f"/{name}"}
    update = Update.de_json({"update_id": abs(hash(name)) % 10**9, "message": message}, None)
    incoming = to_incoming(update, at)
    assert incoming is not None
    return incoming


@pytest.mark.parametrize("edge", [through_slack, through_telegram], ids=["slack", "telegram"])
def test_every_registered_command_is_reached_on_each_platform(demo: Dialog, edge: object) -> None:
    assert callable(edge)
    unreached = []
    for name, command in sorted(demo.core.registry.commands.items()):
        person_id = someone_for(demo, command.roles)
        demo.core.handle(edge(name, person_id, demo.clock.now(), demo))
        answers = [m.text for m in demo.new_messages()]
        if not answers or any(marker in text for text in answers for marker in NOT_REACHED):
            unreached.append((name, answers[:1]))
    assert unreached == []
