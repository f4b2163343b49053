"""What a step is given: the session, the clock, who wrote, and their conversation state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.clock import Clock
from handlers.contract import Incoming
from handlers.cover.policy import CoverPolicy
from handlers.i18n import normalise_language
from models.messaging import conversations
from models.messaging.tables import Conversation
from models.roster.tables import Person


@dataclass(frozen=True)
class CoreConfig:
    """The part of the Settings the core needs; built by bot/ and passed down."""

    alliance_timezone: str = "America/New_York"
    hub_language: str = "en"
    cover: CoverPolicy = field(default_factory=CoverPolicy)
    # The Alliance channel(s) as (platform, chat id); none in the console, where the Hub channel is printed.
    hub_channels: tuple[tuple[str, str], ...] = ()
    digest_weekday: int = 0  # Monday
    digest_time: time = time(8, 0)  # in the Alliance's zone

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.alliance_timezone)


@dataclass
class Ctx:
    session: Session
    clock: Clock
    incoming: Incoming
    person: Person | None
    config: CoreConfig

    @property
    def lang(self) -> str:
        if self.person is not None:
            return self.person.language
        return normalise_language(self.incoming.language_hint)

    @property
    def me(self) -> Person:
        """The linked sender; the router only calls steps that need one when there is one."""
        assert self.person is not None
        return self.person

    @property
    def person_id(self) -> int:
        assert self.me.id is not None
        return self.me.id

    @property
    def roles(self) -> frozenset[str]:
        return self.person.role_names if self.person is not None else frozenset()

    @property
    def zone(self) -> ZoneInfo:
        site = self.person.site if self.person is not None else None
        return ZoneInfo(site.timezone) if site is not None else self.config.zone

    def state(self) -> Conversation | None:
        if self.person is None:
            return None
        return conversations.get_state(self.session, person_id=self.person_id, chat_key=self.incoming.chat_key)

    def goto(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        """Store where the person is now; their next typed message goes to (flow, step)."""
        conversations.set_state(
            self.session,
            person_id=self.person_id,
            chat_key=self.incoming.chat_key,
            flow=flow,
            step=step,
            data=data or {},
            at=self.clock.now(),
        )

    def end_flow(self) -> bool:
        return conversations.clear_state(self.session, person_id=self.person_id, chat_key=self.incoming.chat_key)
