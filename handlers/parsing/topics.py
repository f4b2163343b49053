"""What a request is about besides its days and hours: the room or age group, the reason, whether it asks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from handlers.parsing.text import Scanner, alternation, fold
from handlers.parsing.topic_words import AGE_GROUPS, REASONS, REQUEST_WORDS


def read_age_group(scan: Scanner, rooms: Mapping[str, str]) -> tuple[str | None, str | None]:
    """A room of the site names its age group; otherwise the age-group words (the first one named wins).

    Returns (room name, age group); the words read are blanked so `kinder prep` gives no reason.
    """
    for name, group in sorted(rooms.items(), key=lambda item: -len(item[0])):
        pattern = re.compile(r"\b" + re.escape(fold(name)) + r"\b")
        if scan.has(pattern):
            list(scan.take(pattern))
            return name, group
    found: tuple[int, str] | None = None
    for group, pattern in _age_patterns().items():
        for match in scan.take(pattern):
            if found is None or match.start() < found[0]:
                found = (match.start(), group)
    return None, found[1] if found else None


def read_reason(text: str) -> str | None:
    """The first reason, in the order sick, reflection, training, planning, personal: a sick child is `sick`.
    Spanish `personal` that means the staff (`nos falta personal`, `reunión de personal`) is no reason."""
    text = _STAFF.sub(" ", text)
    for reason, pattern in _reason_patterns().items():
        if pattern.search(text):
            return reason
    return None


_STAFF = re.compile(
    r"\b(?:de|del|el|al|nuestro|su|sus|poco|mucho|sin|con|falta|faltan|falto|nos falta)\s+personal\b"
    r"|\bpersonal\s+(?:docente|de apoyo|del centro|de la escuela)\b"
)


def asks_for_cover(text: str) -> bool:
    """Words that make a message a request even without hours (`need`, `sub`, `necesito`, `alguien`)."""
    return _request_words().search(text) is not None


@lru_cache(maxsize=1)
def _age_patterns() -> dict[str, re.Pattern[str]]:
    return {group: re.compile(r"(?<![\w'])" + alternation(words) + r"(?![\w'])") for group, words in AGE_GROUPS.items()}


@lru_cache(maxsize=1)
def _reason_patterns() -> dict[str, re.Pattern[str]]:
    return {reason: re.compile(r"\b" + alternation(words) + r"(?![\w'])") for reason, words in REASONS.items()}


@lru_cache(maxsize=1)
def _request_words() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(REQUEST_WORDS) + r"(?![\w'])")
