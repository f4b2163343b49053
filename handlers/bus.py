"""Domain events and the bus that hands them to the features that listen, inside the same transaction.

A service call records small frozen events on the `Ctx` (`ctx.record(ShiftFilled(...))`). When the step or task
that made the call returns, the unit of work asks the bus to deliver them: each subscriber a feature registered
for that event's type runs with the same `Ctx` (same session, same clock) and returns the messages it sends; it
may call services itself, whose events are delivered in turn, and gather ids for work done once for all of them
(`Ctx.gather`: the Home tabs to redraw). Only then are the outbox rows written and the
transaction committed — so a subscriber that fails rolls the whole change back, and nothing is half done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from handlers.contract import Reply

if TYPE_CHECKING:
    from handlers.context import Ctx


@dataclass(frozen=True)
class Event:
    """Something that happened, named in the past tense; carries ids, never rows."""


E = TypeVar("E", bound=Event)
Subscriber = Callable[["Ctx", E], list[Reply]]
MAX_ROUNDS = 10_000  # a subscriber that records what it reacts to would loop forever


@dataclass
class Bus:
    subscribers: dict[type[Event], list[Subscriber[Any]]] = field(default_factory=dict)

    def subscribe(self, kind: type[E]) -> Callable[[Subscriber[E]], Subscriber[E]]:
        """Register a function to run on every event of `kind`; it returns the messages it sends."""

        def register(run: Subscriber[E]) -> Subscriber[E]:
            self.subscribers.setdefault(kind, []).append(run)
            return run

        return register

    def deliver(self, ctx: Ctx) -> list[Reply]:
        """Hand each recorded event to its subscribers, in the order recorded, until none is left; then what they
        gathered (`Ctx.gather`) to its work, once per key — which may record events in turn."""
        replies: list[Reply] = []
        for _round in range(MAX_ROUNDS):
            if ctx.events:
                event = ctx.events.pop(0)
                for run in self.subscribers.get(type(event), ()):
                    replies += run(ctx, event)
            elif ctx.gathered:
                ids, then = ctx.gathered.pop(next(iter(ctx.gathered)))
                then(ctx, ids)
            else:
                return replies
        raise RuntimeError("events keep causing events; a subscriber records what it reacts to")

    def copy(self) -> Bus:
        """Another bus with the same subscribers, to add more to (tests)."""
        return Bus({kind: list(runs) for kind, runs in self.subscribers.items()})


bus = Bus()  # where every feature registers its subscribers, as commands go into the registry
