"""Every conversation and subscriber registers itself on import; importing this package loads them all."""

from handlers import linking
from handlers.commands import basic, hub
from handlers.cover import answer, ask, changes, notify, steps, views
from handlers.surveys import ask as survey_ask
from handlers.surveys import hub as survey_hub

__all__ = [
    "answer",
    "ask",
    "basic",
    "changes",
    "hub",
    "linking",
    "notify",
    "steps",
    "survey_ask",
    "survey_hub",
    "views",
]
