"""Weekday words that can mean something else, settled before the day rules read them.

`mar` is Spanish for Tuesday (`mar 10:00`, `mar 1 dic`, the way the bot writes days) and also March (`Mar 10`,
`10 de mar`); `sat`, `sun` and `wed` are English words too (`I sat with them`, `out in the sun`, `got wed`).
A `mar` that is Tuesday becomes `tue`; an English word that is no weekday is blanked.
"""

from __future__ import annotations

import re

from handlers.parsing.text import Scanner, alternation
from handlers.parsing.vocab import MONTHS, WEEKDAYS

_MONTH = alternation(list(MONTHS))
_WEEKDAY = alternation(list(WEEKDAYS))
_SPANISH = re.compile(
    r"\b(?:el|la|los|las|del|de|necesito|hoy|manana|por|para|tengo|alguien|cubrir|cubre|cubra|favor|semana|hasta"
    r"|desde|estoy|voy|mi|que|una|con|en|salon|flotante|suplente|cobertura|martes|lunes|viernes)\b"
)
_MAR = re.compile(r"\bmar\b\.?")
# What follows a `mar` that is Tuesday whatever the language: a date with its month, a clock time, another weekday.
_TUESDAY_AFTER = re.compile(
    rf"\s*,?\s*(?:el\s+)?(?:\d{{1,2}}\s+(?:de\s+)?{_MONTH}\b"
    r"|\d{1,2}(?:[:.h]\d\d|h\b|\s*(?:a\.?m|p\.?m|[ap])\b)"
    rf"|(?:-|a|al|to|through|thru|y|and|&|,)\s*(?:el\s+)?{_WEEKDAY}\b)"
)
_DAY_NUMBER_AFTER = re.compile(r"\s*,?\s*(?:the\s+|el\s+)?\d")
_MONTH_BEFORE = re.compile(
    r"(?:\d(?:st|nd|rd|th)?\s+(?:de\s+|of\s+)?|\b(?:in|en|of|during|durante|for|para|until|till|mes\s+de|month\s+of)\s+)$"
)
_NOT_A_WEEKDAY = re.compile(
    r"\b(?:i|we|you|he|she|they|who|kids|children|just|had|have|has|was|were|been)\s+(?P<sat>sat)\b"
    r"|\b(?P<sat2>sat)\s+(?:down|with|next|there|around|beside|quietly|up|through)\b"
    r"|\b(?:the|a)\s+(?P<sun>sun)\b|\b(?P<sun2>sun)\s*(?:screen|block|hat|light|shine|burn)"
    r"|\b(?:got|get|getting|be|been|was|were|is|are|will)\s+(?P<wed>wed)\b"
)


def spanish(text: str, lang: str | None) -> bool:
    """The message reads as Spanish, or (with no Spanish words in it) its writer's language is Spanish."""
    return _SPANISH.search(text) is not None or lang == "es"


def settle_homonyms(scan: Scanner, lang: str | None) -> None:
    """Each `mar` that is Tuesday becomes `tue` (Spanish, or a time or a dated day after it); a `sat`, `sun` or
    `wed` used as an English word is blanked."""
    in_spanish = spanish(scan.text, lang)

    def tuesday(match: re.Match[str]) -> str:
        before, after = match.string[: match.start()], match.string[match.end() :]
        if _TUESDAY_AFTER.match(after):
            return "tue"
        if _DAY_NUMBER_AFTER.match(after):
            return "tue" if in_spanish else match.group(0)  # `mar 10`: Tuesday the 10th in Spanish, else March 10
        return match.group(0) if _MONTH_BEFORE.search(before) else "tue"

    scan.replace(_MAR, tuesday)
    scan.replace(_NOT_A_WEEKDAY, _blank_word)


def _blank_word(match: re.Match[str]) -> str:
    word = next(name for name, value in match.groupdict().items() if value)
    start, end = match.span(word)
    text = match.group(0)
    offset = match.start()
    return text[: start - offset] + " " * (end - start) + text[end - offset :]
