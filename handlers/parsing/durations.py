"""Reading how long a request lasts: `for an hour`, `por 2 horas`, `media hora`, `hora y media`, `for 90 min`."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.parsing.text import Scanner, alternation
from handlers.parsing.vocab import NUMBER_WORDS

_AMOUNTS: dict[str, float] = {**NUMBER_WORDS, "half": 0.5, "a half": 0.5, "1/2": 0.5}
_NUMBER = alternation(list(_AMOUNTS)) + r"|\d+(?:\.\d+)?(?:\s+1/2)?"
_HALF = r"\s+(?:y|and)\s+(?:a\s+)?(?:media|half)"
_DURATION = re.compile(
    r"\b(?P<lead>(?:for|por|durante|during)\s+(?:(?:about|around|like|unas?|como)\s+)?)?"
    rf"(?:(?<![\d:.])(?P<n>{_NUMBER})\s*(?P<unit>hours?|hrs?|hr|horas?|h|minutes?|mins?|minutos?|min)\b(?P<half>{_HALF})?"
    rf"|(?P<hour_half>(?:(?:an?|una)\s+)?(?:hour|hora){_HALF})\b)"
)
# What comes just before the end of a range: "8 a 12 hrs" is a range, not twelve hours.
_RANGE_END = re.compile(r"(?:\d\s*(?:-|to|till|until|a|hasta)(?:\s+las?)?|\b(?:a|hasta|desde|de)\s+las?)\s*$")


def read_duration(scan: Scanner) -> timedelta | None:
    """The first duration named (up to 12 hours); every duration read is blanked in `scan`."""
    found = None
    for match in scan.take(_DURATION, keep=lambda match: _minutes(match) is not None):
        minutes = _minutes(match) or 0
        if found is None and 0 < minutes <= 12 * 60:
            found = timedelta(minutes=minutes)
    return found


def _minutes(match: re.Match[str]) -> float | None:
    """The minutes a duration says, or None when it is the end of a clock time instead."""
    before = match.string[: match.start()]
    if match["hour_half"]:
        return 90
    word = match["n"]
    if match["lead"] is None and (match["unit"] == "h" or (word[0].isdigit() and _RANGE_END.search(before))):
        return None  # "8h-12h" and "de 8 a 12 hrs" are clock times
    amount = _AMOUNTS[word] if word in _AMOUNTS else _number(word)
    minutes = amount * (1 if match["unit"].startswith("min") else 60)
    return minutes + (30 if match["half"] else 0)


def _number(word: str) -> float:
    """`2`, `1.5`, `1 1/2`."""
    whole, _, half = word.partition(" ")
    return float(whole) + (0.5 if half else 0)
