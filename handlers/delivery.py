"""Replies become outbox rows, each rendered in its recipient's language, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, assert_never

from handlers.context import CoreConfig
from handlers.contract import Incoming, RecipientKind, Reply
from handlers.i18n import read_at
from models.messaging import outbox
from models.roster import queries as roster_queries

if TYPE_CHECKING:
    from handlers.context import Ctx
    from models.db import Session
    from models.roster.tables import Person


def render(reply: Reply, lang: str, zone: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """The text and the (label, payload) buttons of a reply, in `lang` (and times in `zone`, the reader's own)."""
    text = "\n".join(line.render(lang, zone) for line in reply.lines)
    return text, [(choice.label.render(lang, zone), choice.payload) for choice in reply.choices]


def enqueue_from(ctx: Ctx, replies: Sequence[Reply]) -> None:
    """`enqueue_replies` for what the person in `ctx` just did (a message, a form): her chat, language and zone."""
    person = ctx.person
    enqueue_replies(
        ctx.session,
        replies,
        at=ctx.now,
        config=ctx.config,
        incoming=ctx.chat,
        sender_lang=ctx.lang,
        sender_zone=person.reading_zone() if person is not None else None,
        sender_id=person.id if person is not None else None,
    )


def enqueue_replies(
    session: Session,
    replies: Sequence[Reply],
    *,
    at: datetime,
    config: CoreConfig,
    incoming: Incoming | None = None,
    sender_lang: str = "en",
    sender_zone: str | None = None,
    sender_id: int | None = None,
) -> None:
    """Write each reply to the outbox: to the sender's chat, a person of the roster, or the Hub channel — each
    in its reader's language, and with times in her own zone when she reads them in one (`Person.reading_zone`).

    What goes to the person who just wrote is sent before anything else (she is waiting for it); the rest keeps
    its urgent / normal / routine order.
    """
    wanted = {item.to.person_id for item in replies if item.to.kind == RecipientKind.PERSON}
    people = roster_queries.people_by_id(session, ids={i for i in wanted if i is not None})
    with read_at(at, config.zone):  # a day far from today is written with its year
        rows, files = _rows(session, replies, people, config, incoming, sender_lang, sender_zone, sender_id)
    outbox.enqueue_many(session, rows, at=at, files=files)


def _rows(
    session: Session,
    replies: Sequence[Reply],
    people: dict[int, Person],
    config: CoreConfig,
    incoming: Incoming | None,
    sender_lang: str,
    sender_zone: str | None,
    sender_id: int | None,
) -> tuple[list[dict[str, Any]], list[list[tuple[str, bytes]]]]:
    """Each reply rendered for each of its readers: the outbox rows, and each row's files."""
    rows: list[dict[str, Any]] = []
    files: list[list[tuple[str, bytes]]] = []
    for item in replies:
        before = len(rows)
        common = {"priority": _priority(item, sender_id), "ref": item.ref}
        kind = item.to.kind
        if kind == RecipientKind.SENDER:
            if incoming is None:
                raise ValueError("a reply to the sender needs the incoming message")
            address = {"person_id": sender_id, "platform": incoming.platform, "chat_id": incoming.chat_id}
            if item.ephemeral:
                address["ephemeral_user"] = incoming.user_id
            rows.append({**common, **address, **_rendered(item, sender_lang, sender_zone)})
        elif kind == RecipientKind.PERSON:
            person = people.get(item.to.person_id) if item.to.person_id is not None else None
            if person is not None:
                edit = _edited(session, item, person.id)
                rendered = _rendered(item, person.language, person.reading_zone())
                rows.append({**common, "person_id": person.id, "edit_of_id": edit, **rendered})
        elif kind == RecipientKind.CHANNEL:
            platform, chat_id = item.to.channel
            address = {"to_hub": True, "platform": platform, "chat_id": chat_id}
            rows.append({**common, **address, **_rendered(item, config.hub_language)})
        elif kind == RecipientKind.HUB:
            for platform, chat_id in config.hub_channels or ((None, None),):
                edit = _edited(session, item, None, platform)
                address = {"to_hub": True, "platform": platform, "chat_id": chat_id, "edit_of_id": edit}
                rows.append({**common, **address, **_rendered(item, config.hub_language)})
        else:
            assert_never(kind)
        files += [[(f.name, f.content) for f in item.files]] * (len(rows) - before)
    return rows, files


def _priority(item: Reply, sender_id: int | None) -> int:
    to_sender = item.to.kind == RecipientKind.SENDER or (sender_id is not None and item.to.person_id == sender_id)
    if to_sender:
        return outbox.REPLY
    return outbox.URGENT if item.urgent else outbox.ROUTINE if item.routine else outbox.NORMAL


def _rendered(item: Reply, lang: str, zone: str | None = None) -> dict[str, Any]:
    text, buttons = render(item, lang, zone)
    return {"text": text, "buttons": buttons}


def _edited(session: Session, item: Reply, person_id: int | None, platform: str | None = None) -> int | None:
    """The outbox id of the message this reply edits, if it edits one that exists."""
    if item.edits is None:
        return None
    original = outbox.latest_with_ref(session, ref=item.edits, person_id=person_id, platform=platform)
    return original.id if original is not None else None
