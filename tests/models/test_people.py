"""The person behind a chat account, loaded in one query, and the account's last visit, written in one."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import select

from models.db import session_scope
from models.roster import people
from models.roster.tables import ChatIdentity, Person, PersonRole, Room, Site

AT = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)


def _roster(engine: Engine) -> None:
    with session_scope(engine) as session:
        site = Site(name="Oak Hill", timezone="America/Chicago", opens=time(7), closes=time(18))
        session.add(site)
        session.flush()
        room = Room(site_id=site.id or 0, name="Sprouts", age_group="toddler")
        session.add(room)
        session.flush()
        dee = Person(name="Dee Director", site_id=site.id, room_id=room.id)
        gone = Person(name="Gone Teacher", site_id=site.id, active=False)
        session.add_all([dee, gone])
        session.flush()
        session.add_all(
            [
                PersonRole(person_id=dee.id or 0, role="director"),
                PersonRole(person_id=dee.id or 0, role="teacher"),
                PersonRole(person_id=gone.id or 0, role="teacher"),
                ChatIdentity(platform="telegram", platform_user_id="7", person_id=dee.id or 0, linked_at=AT),
                ChatIdentity(
                    platform="slack", platform_user_id="U7", person_id=dee.id or 0, chat_id="D7", linked_at=AT
                ),
                ChatIdentity(platform="telegram", platform_user_id="8", person_id=gone.id or 0, linked_at=AT),
            ]
        )


def test_the_person_comes_with_every_role_her_site_and_her_room(engine: Engine) -> None:
    _roster(engine)
    with session_scope(engine) as session:
        dee = people.person_for_account(session, platform="telegram", platform_user_id="7")
        assert dee is not None
        assert dee.name == "Dee Director"
        assert dee.role_names == {"director", "teacher"}  # both rows of the joined load, not the first only
        assert (dee.site.name if dee.site else None, dee.room.name if dee.room else None) == ("Oak Hill", "Sprouts")
        assert people.person_for_account(session, platform="telegram", platform_user_id="8") is None  # inactive
        assert people.person_for_account(session, platform="slack", platform_user_id="7") is None  # other platform


def test_a_visit_is_remembered_and_a_chat_is_filled_in_only_where_none_was_known(engine: Engine) -> None:
    _roster(engine)
    later = AT + timedelta(hours=1)
    with session_scope(engine) as session:
        people.touch_account(session, platform="telegram", platform_user_id="7", chat_id="7", at=later)
        people.touch_account(session, platform="slack", platform_user_id="U7", chat_id="D99", at=later)
        people.touch_account(session, platform="telegram", platform_user_id="nobody", chat_id="1", at=later)
    with session_scope(engine) as session:
        accounts = {a.platform_user_id: a for a in session.exec(select(ChatIdentity))}
        assert (accounts["7"].chat_id, accounts["7"].last_seen_at) == ("7", later)
        assert (accounts["U7"].chat_id, accounts["U7"].last_seen_at) == ("D7", later)
        assert (accounts["8"].chat_id, accounts["8"].last_seen_at) == ("", None)  # only the account that wrote
        assert len(accounts) == 3


def test_a_visit_is_written_once_a_minute_and_a_chat_not_known_yet_at_once(engine: Engine) -> None:
    _roster(engine)

    def visit(user: str, chat: str, at: datetime) -> None:
        platform = "slack" if user.startswith("U") else "telegram"
        with session_scope(engine) as session:
            found = people.sender(session, platform=platform, platform_user_id=user, chat_key=f"{platform}:{chat}")
            assert found is not None
            people.arrived(session, found, platform=platform, platform_user_id=user, chat_id=chat, zone=None, at=at)

    def seen() -> dict[str, tuple[str, datetime | None]]:
        with session_scope(engine) as session:
            return {a.platform_user_id: (a.chat_id, a.last_seen_at) for a in session.exec(select(ChatIdentity))}

    visit("U7", "D7", AT)
    visit("U7", "D7", AT + timedelta(seconds=30))  # the same conversation: nothing to write
    assert seen()["U7"] == ("D7", AT)
    visit("U7", "D7", AT + timedelta(seconds=61))
    assert seen()["U7"] == ("D7", AT + timedelta(seconds=61))
    visit("7", "7", AT)
    visit("7", "7", AT + timedelta(seconds=1))
    assert seen()["7"] == ("7", AT)  # the chat was filled in with the first visit
    with session_scope(engine) as session:  # a chat forgotten (the account relinked) is filled in at once
        account = session.exec(select(ChatIdentity).where(ChatIdentity.platform_user_id == "7")).one()
        account.chat_id = ""
    visit("7", "7", AT + timedelta(seconds=2))
    assert seen()["7"] == ("7", AT + timedelta(seconds=2))
