"""How often a person's Home tab may be redrawn: a burst of changes redraws it once, at most every `throttle`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class HomePolicy:
    throttle: timedelta = timedelta(seconds=10)
