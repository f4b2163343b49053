"""The rules of supervision a Hub may tune."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

# Due-task kinds (scheduler/supervision_tasks.py runs them).
DEADLINE = "supervision.deadline"
START = "supervision.start"
REMIND = "supervision.remind"
SUPERVISORS = frozenset({"supervisor"})  # who publishes, moves and cancels sessions


@dataclass(frozen=True)
class SupervisionPolicy:
    travel: timedelta = timedelta(0)  # cover either side when the session is not at her site
    cover_deadline: timedelta = timedelta(hours=2)  # before the start: still no cover → ask the director
    hours_target_per_year: float = 12
    weeks_ahead: int = 4  # how far ahead /supervision looks
    reminder_evening: time = time(18, 0)
    reminder_before: timedelta = timedelta(hours=1)
