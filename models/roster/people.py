"""People and their chat accounts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, ScalarSelect, and_, bindparam, case, update
from sqlalchemy import select as select_columns
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, col, select

from models.messaging.conversations import STATE_COLUMNS, State, state_of
from models.messaging.tables import Conversation
from models.roster.tables import ChatIdentity, Person

# Asked on every message, so built once: the person with her roles, site and room in one query (a joined load;
# the account is unique, so its rows are one person's, one per role), when and from which chat it last wrote,
# and where she is in the chat she writes from (her conversation state there, if a flow is under way).
_states = Conversation.__table__.c  # type: ignore[attr-defined]
_PERSON_FOR_ACCOUNT = (
    select(Person, col(ChatIdentity.last_seen_at), col(ChatIdentity.chat_id))
    .add_columns(*STATE_COLUMNS)
    .join(ChatIdentity, col(ChatIdentity.person_id) == col(Person.id))
    .outerjoin(
        Conversation.__table__,  # type: ignore[attr-defined]
        and_(_states.person_id == col(Person.id), _states.chat_key == bindparam("chat_key")),
    )
    .where(col(ChatIdentity.platform) == bindparam("platform"), col(ChatIdentity.platform_user_id) == bindparam("user"))
    .where(col(Person.active).is_(True))
    .options(joinedload(Person.roles), joinedload(Person.site), joinedload(Person.room))  # type: ignore[arg-type]
)
_accounts = ChatIdentity.__table__.c  # type: ignore[attr-defined]
_TOUCH = (
    update(ChatIdentity.__table__)  # type: ignore[attr-defined]  # core: no ORM row is loaded to change two columns
    .where(_accounts.platform == bindparam("by_platform"), _accounts.platform_user_id == bindparam("by_user"))
    .values(
        last_seen_at=bindparam("seen", type_=_accounts.last_seen_at.type),
        chat_id=case(
            (_accounts.chat_id == "", bindparam("chat", type_=_accounts.chat_id.type)), else_=_accounts.chat_id
        ),
    )
)


SEEN_GRAIN = timedelta(minutes=1)  # an account's last visit is remembered to the minute (see `arrived`)


class Sender(NamedTuple):
    """The person a chat account belongs to, when and from which chat that account last wrote, and where she is
    in the chat she writes from now (None: no flow under way there)."""

    person: Person
    seen_at: datetime | None
    chat_id: str
    state: State | None


def sender(session: Session, *, platform: str, platform_user_id: str, chat_key: str) -> Sender | None:
    """The active person linked to this chat account, if any, with her roles, site and room loaded, the
    account's last visit, and her conversation state in `chat_key` (the chat she writes from), in one query."""
    result = session.execute(
        _PERSON_FOR_ACCOUNT, {"platform": platform, "user": platform_user_id, "chat_key": chat_key}
    )
    # One row per role, alike but for it: unique by the person (the state's data, a dict, cannot be hashed).
    found = result.unique(lambda row: row[0].id).one_or_none()
    if found is None:
        return None
    person, seen_at, chat_id, state_id, flow, step, data = found
    return Sender(person, seen_at, chat_id, state_of(state_id, flow, step, data))


def person_for_account(session: Session, *, platform: str, platform_user_id: str) -> Person | None:
    """The active person linked to this chat account, if any, with her roles, site and room loaded."""
    found = sender(session, platform=platform, platform_user_id=platform_user_id, chat_key="")
    return None if found is None else found.person


def link_account(
    session: Session, *, person_id: int, platform: str, platform_user_id: str, chat_id: str, at: datetime
) -> ChatIdentity:
    """Link a chat account to a person (or move an existing link to them)."""
    identity = session.exec(
        select(ChatIdentity).where(ChatIdentity.platform == platform, ChatIdentity.platform_user_id == platform_user_id)
    ).first()
    if identity is None:
        identity = ChatIdentity(
            platform=platform,
            platform_user_id=platform_user_id,
            person_id=person_id,
            chat_id=chat_id,
            linked_at=at,
        )
    else:
        identity.person_id, identity.chat_id = person_id, chat_id or identity.chat_id
    session.add(identity)
    session.flush()
    return identity


def touch_account(session: Session, *, platform: str, platform_user_id: str, chat_id: str, at: datetime) -> None:
    """Remember when and where (which chat, if none is known yet) this account last wrote to us: one UPDATE,
    before the unit of work has loaded the account as a row (a row loaded earlier would not see it)."""
    params = {"by_platform": platform, "by_user": platform_user_id, "seen": at, "chat": chat_id}
    session.execute(_TOUCH, params)


def home_opened(session: Session, *, platform: str, platform_user_id: str, at: datetime) -> None:
    """This account opened its Home tab now: from now on changes of hers redraw it."""
    statement = (
        update(ChatIdentity)
        .where(col(ChatIdentity.platform) == platform, col(ChatIdentity.platform_user_id) == platform_user_id)
        .values(home_opened_at=at)
    )
    session.execute(statement)


def arrived(
    session: Session,
    sender: Sender,
    *,
    platform: str,
    platform_user_id: str,
    chat_id: str,
    zone: str | None,
    at: datetime,
) -> None:
    """Her account just wrote (a message, a form): when and from which chat, and the zone her profile gives,
    each written only when it changed — the visit when her account's chat is known and it last wrote more than
    `SEEN_GRAIN` ago (a conversation's messages a few seconds apart write it once; the dispatcher picks her
    most recent account to the minute)."""
    person = sender.person
    recent = sender.seen_at is not None and timedelta(0) <= at - sender.seen_at < SEEN_GRAIN
    if not (recent and sender.chat_id):
        touch_account(session, platform=platform, platform_user_id=platform_user_id, chat_id=chat_id, at=at)
    if zone and zone != person.timezone and person.id is not None:
        set_timezone(session, person_id=person.id, timezone=zone)


def people_by_name(session: Session) -> list[Person]:
    statement = (
        select(Person)
        .where(col(Person.active).is_(True))
        .order_by(col(Person.name))
        .options(selectinload(Person.roles), selectinload(Person.site), selectinload(Person.room))  # type: ignore[arg-type]
    )
    return list(session.exec(statement).all())


def set_timezone(session: Session, *, person_id: int, timezone: str) -> None:
    """Remember the zone her chat profile gives (one UPDATE, and only when it changed); a name that is no IANA
    zone is ignored."""
    try:
        ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        return
    session.execute(
        update(Person).where(col(Person.id) == person_id, col(Person.timezone) != timezone).values(timezone=timezone)
    )


def set_language(session: Session, *, person_id: int, language: str) -> None:
    person = session.get(Person, person_id)
    if person is not None:
        person.language = language
        session.add(person)


class Account(NamedTuple):
    """Where a person is reached on a platform: her direct chat (empty until she has written) and her user id."""

    platform: str
    chat_id: str
    platform_user_id: str


# Of a person's accounts, the one she used most recently comes first (then the one linked last).
_MOST_RECENT_FIRST = (_accounts.last_seen_at.desc().nulls_last(), _accounts.linked_at.desc(), _accounts.id)
_REACHABLE = (  # each person's accounts on these platforms, the one she used most recently first
    select(_accounts.person_id, _accounts.platform, _accounts.chat_id, _accounts.platform_user_id)
    .where(
        _accounts.person_id.in_(bindparam("people", expanding=True)),
        _accounts.platform.in_(bindparam("platforms", expanding=True)),
    )
    .order_by(_accounts.person_id, *_MOST_RECENT_FIRST)
)


def reached_account(person_id: ColumnElement[int | None], platforms: str) -> ScalarSelect[int | None]:
    """The id of the account `reachable_accounts` would pick for `person_id` (a column of the enclosing
    query), among the platforms bound as `platforms` (expanding): for a query that resolves many rows' recipients
    at once in the database."""
    return (
        select_columns(_accounts.id)
        .where(_accounts.person_id == person_id, _accounts.platform.in_(bindparam(platforms, expanding=True)))
        .order_by(*_MOST_RECENT_FIRST)
        .limit(1)
        .scalar_subquery()
    )


def reachable_accounts(
    session: Session, *, person_ids: Collection[int], platforms: Collection[str]
) -> dict[int, Account]:
    """Each person's chat account on one of these platforms that she used most recently, as plain tuples (one
    query for all: the surfaces of several people). The dispatcher finds the same account with each due row
    (`reached_account`)."""
    if not person_ids:
        return {}
    best: dict[int, Account] = {}
    values = {"people": list(person_ids), "platforms": list(platforms)}
    for person_id, platform, chat_id, user_id in session.execute(_REACHABLE, values):
        best.setdefault(person_id, Account(platform, chat_id or "", user_id))
    return best


def opened_homes(session: Session, *, person_ids: Collection[int], platform: str) -> dict[int, str]:
    """Of these people, those whose account on `platform` has opened the bot's Home tab: person id → user id
    (plain tuples, a statement built once: asked on every change of a shift)."""
    if not person_ids:
        return {}
    found: dict[int, str] = {}
    for person_id, user_id in session.execute(_OPENED_HOMES, {"ids": list(person_ids), "platform": platform}):
        found.setdefault(person_id, user_id)
    return found


_OPENED_HOMES = (
    select_columns(_accounts.person_id, _accounts.platform_user_id)
    .where(
        _accounts.person_id.in_(bindparam("ids", expanding=True)),
        _accounts.platform == bindparam("platform"),
        _accounts.home_opened_at.is_not(None),
    )
    .order_by(_accounts.person_id, _accounts.home_opened_at.desc())
)
