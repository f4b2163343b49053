"""People and their chat accounts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from models.roster.tables import ChatIdentity, Person


def person_for_account(session: Session, *, platform: str, platform_user_id: str) -> Person | None:
    """The active person linked to this chat account, if any."""
    statement = (
        select(Person)
        .join(ChatIdentity, col(ChatIdentity.person_id) == col(Person.id))
        .where(ChatIdentity.platform == platform, ChatIdentity.platform_user_id == platform_user_id)
        .where(col(Person.active).is_(True))
        .options(selectinload(Person.roles), selectinload(Person.site), selectinload(Person.room))  # type: ignore[arg-type]
    )
    return session.exec(statement).first()


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
    """Remember when and where (which chat) this account last wrote to us."""
    identity = session.exec(
        select(ChatIdentity).where(ChatIdentity.platform == platform, ChatIdentity.platform_user_id == platform_user_id)
    ).first()
    if identity is not None:
        identity.last_seen_at = at
        if chat_id and not identity.chat_id:
            identity.chat_id = chat_id
        session.add(identity)


def people_by_name(session: Session) -> list[Person]:
    statement = (
        select(Person)
        .where(col(Person.active).is_(True))
        .order_by(col(Person.name))
        .options(selectinload(Person.roles), selectinload(Person.site), selectinload(Person.room))  # type: ignore[arg-type]
    )
    return list(session.exec(statement).all())


def set_language(session: Session, *, person_id: int, language: str) -> None:
    person = session.get(Person, person_id)
    if person is not None:
        person.language = language
        session.add(person)


def reachable_accounts(
    session: Session, *, person_ids: Collection[int], platforms: Collection[str]
) -> dict[int, ChatIdentity]:
    """Each person's chat account on one of these platforms that she used most recently (one query for all)."""
    if not person_ids:
        return {}
    statement = select(ChatIdentity).where(
        col(ChatIdentity.person_id).in_(list(person_ids)), col(ChatIdentity.platform).in_(list(platforms))
    )
    never = datetime.min.replace(tzinfo=UTC)
    best: dict[int, ChatIdentity] = {}
    for account in session.exec(statement).all():
        held = best.get(account.person_id)
        if held is None or (account.last_seen_at or never, account.linked_at) > (
            held.last_seen_at or never,
            held.linked_at,
        ):
            best[account.person_id] = account
    return best
