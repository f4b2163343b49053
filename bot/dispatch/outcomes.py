"""What became of one send: written to the outbox with the dispatcher's next round (one commit for many)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.dispatch.senders import Delivered


@dataclass(frozen=True)
class Sent:
    row_id: int
    platform: str
    delivered: Delivered


@dataclass(frozen=True)
class Deferred:
    """Try again after `wait` (or give up, for a failure that has lasted `give_up`); `parts` already went."""

    row_id: int
    wait: timedelta
    reason: str
    failure: bool
    parts: tuple[int, Delivered | None] | None = None


@dataclass(frozen=True)
class Dead:
    row_id: int
    reason: str


@dataclass(frozen=True)
class Released:
    """Not sent: leadership was lost between the claim and the send."""

    row_id: int
    holder: str


Outcome = Sent | Deferred | Dead | Released
