"""Every conversation registers itself on import; importing this package loads them all."""

from handlers.commands import basic, hub

__all__ = ["basic", "hub"]
