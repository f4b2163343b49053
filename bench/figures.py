"""How the benches sum up their timings: one percentile, so every bench's p95 means the same."""

from __future__ import annotations

import math
from collections.abc import Iterable


def percentile(values: Iterable[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of them at or below it (the p95 of
    two values is the larger one, of twenty the 19th)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    return ordered[min(len(ordered), max(1, math.ceil(len(ordered) * share))) - 1]
