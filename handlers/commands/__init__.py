"""Every conversation registers itself on import; importing this package loads them all."""

from handlers import linking
from handlers.commands import basic, hub
from handlers.cover import answer, ask, changes, steps, views

__all__ = ["answer", "ask", "basic", "changes", "hub", "linking", "steps", "views"]
