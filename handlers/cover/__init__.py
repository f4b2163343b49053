"""Floater requests end to end: ask, match, offer, accept, cover (and cancel, drop, escalate, remind)."""
