"""Every conversation and subscriber registers itself on import; importing this package loads them all."""

from handlers import linking, menu
from handlers.commands import basic, hub
from handlers.cover import answer, ask, changes, form, notify, steps, views
from handlers.home import republish
from handlers.home import view as home_view
from handlers.supervision import director, notify_series, reactions, schedule, signup, slots, slots_form
from handlers.supervision import notify as supervision_notify
from handlers.supervision import views as supervision_views
from handlers.surveys import ask as survey_ask
from handlers.surveys import hub as survey_hub

__all__ = [
    "answer",
    "ask",
    "basic",
    "changes",
    "director",
    "form",
    "home_view",
    "hub",
    "linking",
    "menu",
    "notify",
    "notify_series",
    "reactions",
    "republish",
    "schedule",
    "signup",
    "slots",
    "slots_form",
    "steps",
    "supervision_notify",
    "supervision_views",
    "survey_ask",
    "survey_hub",
    "views",
]
