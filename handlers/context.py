"""The one dependency object of the core: what a chat step, a service call, a subscriber and a due task are given.

`Ctx` holds the session of the unit of work, the clock (read once: `ctx.now`), the configuration, the event bus
and the events recorded so far, and — in a chat — who wrote and where. A due task or a CLI call has no person.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from handlers.bus import Bus, Event
from handlers.clock import Clock
from handlers.contract import Incoming
from handlers.errors import UserError
from handlers.i18n import normalise_language
from models.db import Session
from models.messaging import conversations
from models.messaging.conversations import State
from models.roster.tables import Person, Site

P = TypeVar("P")
T = TypeVar("T")


@dataclass(frozen=True)
class CoreConfig:
    """The part of the Settings the core needs; built by bot/ and passed down.

    Each feature's own rules travel as one object of the feature's type in `policies` (cover's waits and
    credentials, say), read with `config.policy(CoverPolicy)`; this module knows no feature.
    """

    alliance_timezone: str = "America/New_York"
    hub_language: str = "en"
    # The Alliance channel(s) as (platform, chat id); none in the console, where the Hub channel is printed.
    hub_channels: tuple[tuple[str, str], ...] = ()
    digest_weekday: int = 0  # Monday
    digest_time: time = time(8, 0)  # in the Alliance's zone
    policies: tuple[object, ...] = ()
    # The Telegram bot's @username, learned from getMe when Telegram answers: invites then carry a t.me link.
    telegram_bot_username: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.alliance_timezone)

    def policy(self, kind: type[P]) -> P:
        """The feature's policy given at start-up, or its defaults."""
        return next((p for p in self.policies if isinstance(p, kind)), None) or kind()


@dataclass
class Ctx:
    session: Session
    clock: Clock
    config: CoreConfig
    bus: Bus
    person: Person | None = None  # who acts; None for due tasks and the CLI
    incoming: Incoming | None = None  # the chat message being answered, if any
    events: list[Event] = field(default_factory=list)
    # What subscribers gathered for work done once per unit of work: key → (ids, what to do with them).
    gathered: dict[str, tuple[set[int], Callable[[Ctx, set[int]], None]]] = field(default_factory=dict)
    # The text is read while a flow waits for its own answer (`registry.step(aside=…)`): a reader takes only what
    # plainly asks for something ("need a floater tomorrow 9-12"), not what merely reads as one ("2-3").
    aside: bool = False
    now: datetime = field(init=False)
    _state: tuple[tuple[object, int, str], State | None] | None = field(default=None, init=False, repr=False)
    _read: dict[tuple[object, Hashable], Any] = field(default_factory=dict, init=False, repr=False)  # see `once`
    _kept: list[object] = field(default_factory=list, init=False, repr=False)  # see `keep`

    def __post_init__(self) -> None:
        self.now = self.clock.now()  # one instant for the whole unit of work

    def record(self, *events: Event) -> None:
        """Note what happened; the bus delivers it to subscribers before the transaction commits."""
        self.events.extend(events)

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """A part of the unit of work that may fail on its own (one session of a series, the next teacher in
        line): in a savepoint, so a `UserError` from it undoes what it wrote and the events it recorded, and is
        raised on for the caller to answer or pass over."""
        recorded = len(self.events)
        try:
            with self.session.begin_nested():
                yield
        except UserError:
            del self.events[recorded:]
            raise

    def gather(self, key: str, then: Callable[[Ctx, set[int]], None]) -> set[int]:
        """A set of ids this unit of work fills while its events are delivered, handed once to `then` when all
        of them have been (still before the transaction commits): for work that many events ask for alike, such
        as redrawing the tabs of the same people, done in a few statements instead of a few per event."""
        if key not in self.gathered:
            self.gathered[key] = (set(), then)
        return self.gathered[key][0]

    @property
    def lang(self) -> str:
        if self.person is not None:
            return self.person.language
        return normalise_language(self.incoming.language_hint if self.incoming else None)

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
        """The sender's site's zone, else the Alliance's."""
        site = self.person.site if self.person is not None else None
        return site.zone(self.config.zone) if site is not None else self.config.zone

    def site_zone(self, site_id: int | None) -> ZoneInfo:
        """A site's zone (the Alliance's when it has none): the one place this rule lives."""
        site = self.session.get(Site, site_id) if site_id is not None else None
        return site.zone(self.config.zone) if site is not None else self.config.zone

    @property
    def chat(self) -> Incoming:
        """The message being answered; only chat steps (which always have one) ask for it."""
        assert self.incoming is not None, "a chat step without a chat"
        return self.incoming

    @property
    def chat_key(self) -> str:
        return self.chat.chat_key

    def state(self) -> State | None:
        """Where she is (None: no flow under way). Read once per transaction — a step that reads it and moves her
        on, or the router and then the step, share one read; a savepoint begun or ended reads it afresh."""
        if self.person is None:
            return None
        key = self._state_key()
        if self._state is not None and self._state[0] == key:
            return self._state[1]
        state = conversations.get_state(self.session, person_id=self.person_id, chat_key=self.chat_key)
        self._state = (key, state)
        return state

    def knowing(self, state: State | None) -> Ctx:
        """This Ctx, told where she is as it was read with her in this transaction (`people.sender`): `state`
        then reads nothing until a savepoint begins or ends."""
        if self.person is not None:
            self._state = (self._state_key(), state)
        return self

    def goto(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        """Store where the person is now; their next typed message goes to (flow, step)."""
        state = conversations.save_state(
            self.session,
            self.state(),
            person_id=self.person_id,
            chat_key=self.chat_key,
            flow=flow,
            step=step,
            data=data or {},
            at=self.now,
        )
        self._state = (self._state_key(), state)

    def end_flow(self) -> bool:
        ended = conversations.delete_state(self.session, self.state())
        self._state = (self._state_key(), None)
        return ended

    def once(self, key: Hashable, read: Callable[[], T]) -> T:
        """What `read` returns, read once per transaction (or savepoint) under `key`: for what several steps of
        one message look up alike and the message does not change (her site's rooms)."""
        unit = self._unit()
        if (unit, key) not in self._read:
            self._read[(unit, key)] = read()
        value: T = self._read[(unit, key)]
        return value

    def keep(self, *rows: object) -> None:
        """Rows this unit of work wrote and its event subscribers read again by id (the new shifts of a request):
        held until the unit ends, because the session's identity map holds rows only as long as something else
        does — without this, each subscriber's `session.get` would read them back with a SELECT."""
        self._kept.extend(rows)

    def _unit(self) -> object:
        """The transaction (or savepoint) under way: what a value read once is valid for."""
        return self.session.get_nested_transaction() or self.session.get_transaction()

    def _state_key(self) -> tuple[object, int, str]:
        """What a read state is valid for: this transaction (or savepoint), this person, this chat."""
        return (self._unit(), self.person_id, self.chat_key)
