"""Cover as a service: the one way in for every feature (chat, Hub, supervision bookings, CLI, timers).

Plain functions that take the `Ctx` and typed arguments, change the data in one transaction, record what
happened as events (handlers/cover/events.py) and return a small result — never a chat message. Cover's own
messages are subscribers of those events (handlers/cover/notify.py); other features subscribe the same way.
"""

from handlers.cover.service.answers import Accepted, accept, ask_floater, decline, drop, get_shift
from handlers.cover.service.changes import Moved, cancel, cancel_request, move
from handlers.cover.service.offers import eligible, escalate, offer_everyone, still_due
from handlers.cover.service.request import (
    Part,
    Problem,
    Requested,
    check_duplicate,
    check_windows,
    request_cover,
    window_problem,
)

__all__ = [
    "Accepted",
    "Moved",
    "Part",
    "Problem",
    "Requested",
    "accept",
    "ask_floater",
    "cancel",
    "cancel_request",
    "check_duplicate",
    "check_windows",
    "decline",
    "drop",
    "eligible",
    "escalate",
    "get_shift",
    "move",
    "offer_everyone",
    "request_cover",
    "still_due",
    "window_problem",
]
