"""The rules of cover a Hub may tune: waits, escalation, reminders, required credentials."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from models.cover.eligibility import CredentialRule

# Due-task kinds (scheduler/cover_tasks.py runs them).
OFFER_EVERYONE = "cover.offer_everyone"
ESCALATE = "cover.escalate"
REMIND = "cover.remind"
STARTED = "cover.started"
ENDED = "cover.ended"


@dataclass(frozen=True)
class CoverPolicy:
    favourites_wait: timedelta = timedelta(minutes=10)
    urgent_wait: timedelta = timedelta(minutes=2)
    urgent_window: timedelta = timedelta(hours=2)  # a shift starting within this is urgent
    escalate_before: timedelta = timedelta(minutes=60)
    reminder_evening: time = time(18, 0)  # the evening before, in the site's zone
    reminder_before: timedelta = timedelta(minutes=60)
    credentials: CredentialRule = field(default_factory=CredentialRule)
    hub_assign_choices: int = 5
    wave_size: int = 25  # the last tier goes out this many floaters at a time, best matches first
