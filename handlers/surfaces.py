"""A person's surfaces (Slack Home tab, Telegram's command menu): asked for when something of hers changes,
drawn when the dispatcher sends them.

`request` writes one outbox row of that kind for each one's account on that platform — none if one is already waiting,
and not sooner than `throttle` after the last one went out — so a burst of changes redraws her Home tab once.
`render` draws the surface at send time, in its own read-only transaction, by the renderer a feature registered
with `renders`. The adapters turn the neutral value (handlers/contract.py) into the platform's call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from handlers.contract import Surface
from handlers.i18n import normalise_language, read_at
from models.db import read_scope
from models.messaging import outbox
from models.messaging.tables import OutboxKind
from models.roster import people
from models.roster.tables import Person

if TYPE_CHECKING:
    from handlers.clock import Clock
    from handlers.context import CoreConfig
    from models.db import Engine, Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drawing:
    """What a renderer gets: a read-only session, the clock and config, the person, her language, the platform."""

    session: Session
    clock: Clock
    config: CoreConfig
    person: Person
    lang: str
    platform: str


Renderer = Callable[[Drawing], Surface | None]
_renderers: dict[OutboxKind, Renderer] = {}


def renders(kind: OutboxKind) -> Callable[[Renderer], Renderer]:
    """Register the one renderer of a surface kind."""

    def register(renderer: Renderer) -> Renderer:
        if kind in _renderers:
            raise ValueError(f"surface {kind} registered twice")
        _renderers[kind] = renderer
        return renderer

    return register


def request(
    session: Session,
    *,
    kind: OutboxKind,
    person_ids: Iterable[int],
    platform: str,
    at: datetime,
    throttle: timedelta = timedelta(0),
    known_chat_only: bool = False,
) -> set[int]:
    """Ask for the `kind` surface of each of these people on `platform` to be redrawn, in a few queries however
    many they are; returns those asked for. Nothing is written for someone without an account there, nor, with
    `known_chat_only`, for an account that has never written to the bot (no chat of hers is known yet), nor for
    a Home tab she has never opened (drawn when she first opens it: at a large Alliance, redrawing tabs nobody
    looks at would be most of the work, and of Slack's views.publish quota). The address is her account's chat,
    or her user id for the Home tab (it is per user)."""
    if kind == OutboxKind.HOME:
        targets = {
            user: pid
            for pid, user in people.opened_homes(session, person_ids=set(person_ids), platform=platform).items()
        }
    else:
        accounts = people.reachable_accounts(session, person_ids=set(person_ids), platforms=[platform])
        targets = {
            account.chat_id or account.platform_user_id: pid
            for pid, account in accounts.items()
            if account.chat_id or not known_chat_only
        }
    outbox.request_surfaces(session, kind=kind, platform=platform, targets=targets, at=at, throttle=throttle)
    return set(targets.values())


def render(
    engine: Engine, clock: Clock, config: CoreConfig, kind: OutboxKind, person_id: int, platform: str
) -> Surface | None:
    """Her surface as it is now; None when there is nothing to draw (no renderer, she left the roster)."""
    renderer = _renderers.get(kind)
    if renderer is None:
        log.warning("no renderer for the %s surface", kind)
        return None
    with read_scope(engine) as session:  # drawing only reads: no write lock held meanwhile
        person = session.get(Person, person_id)
        if person is None or not person.active:
            return None
        lang = normalise_language(person.language)
        with read_at(clock.now(), config.zone):  # far days with their year, as in the chat
            return renderer(Drawing(session, clock, config, person, lang, platform))
