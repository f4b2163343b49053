"""Parts of the day (`morning`, `por la tarde`, `all day`) in the site's hours, and am/pm said in words.

`morning` is opens–12:00, `afternoon` 12:00–closes, `all day` opens–closes. Next to a range or an hour a part of
the day only says am or pm (`at 9 in the morning`, `a las 3 de la tarde`, `tomorrow morning 8-11`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from handlers.parsing.text import Scanner, alternation
from handlers.parsing.times import TimeRange
from handlers.parsing.vocab import MONTHS

NOON = time(12, 0)


@dataclass(frozen=True)
class Daypart:
    """A part of the day read from `position` to `stop`; `today` when it says so (`this morning`, `esta tarde`)."""

    position: int
    stop: int
    kind: str  # "morning", "afternoon" or "all_day"
    today: bool


_GREETINGS = re.compile(
    r"\b(?:good\s+(?:morning|afternoon|evening|day)|buen(?:os|as)?\s+(?:dias?|tardes|noches))\b"
    r"|^\s*(?:morning|afternoon)\b(?=\s*[!,.])"
)
_MORNING_WORDS = ("morning", "manana")
_ATTACHED = re.compile(
    r"(?<=\d)\s*(?:(?:in|during)\s+the|de\s+la|por\s+la|en\s+la|at)\s+"
    r"(?P<w>morning|manana|afternoon|tarde|evening|noche|night)\b"
)
_DATE_BEFORE = re.compile(r"(?:/\d{1,2}|\b" + alternation(list(MONTHS)) + r"\.?\s*\d{1,2}(?:st|nd|rd|th)?)$")
_AM = r"(?<!\d)(?<!\d )(?<!\bi )\ba\.?m\b\.?(?!\s+i\b)"
_PM = r"(?<!\d)(?<!\d )\bp\.?m\b\.?(?!\s*(?:me|us|her|him)\b|'d)"  # not "pm me" (a private message)
_PARTS: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    ("morning", True, re.compile(r"\b(?:this|esta)\s+(?:morning|manana)\b")),
    ("afternoon", True, re.compile(r"\b(?:this|esta)\s+(?:afternoon|tarde)\b")),
    (
        "all_day",
        False,
        re.compile(
            r"\b(?:(?:the\s+)?(?:all|full|whole|entire)[\s-]+day(?:\s+long)?|tod[oa]\s+el\s+dia"
            r"|(?:el\s+)?dia\s+(?:completo|entero))\b"
        ),
    ),
    (
        "morning",
        False,
        re.compile(r"\b(?:(?:in|during|for)\s+the\s+)?mornings?\b|\b(?:por|en|de|durante|toda)\s+la\s+manana\b|" + _AM),
    ),
    (
        "afternoon",
        False,
        re.compile(
            r"\b(?:(?:in|during|for)\s+the\s+)?afternoons?\b|\b(?:por|en|de|durante|toda)\s+la\s+tarde\b|" + _PM
        ),
    ),
)
# What may stand between a part of the day and the hours it qualifies.
_FILLER = re.compile(
    r"(?:[\s,.;:!?()\-]|\b(?:from|at|de|desde|a|starting|start|por|para|for|on|el|the|in|en|between|entre|las?"
    r"|around|about|como)\b)*"
)


def read_dayparts(scan: Scanner) -> list[Daypart]:
    """Greetings are dropped, `9 in the morning` becomes `9 am`; every other part of the day is read and blanked."""
    list(scan.take(_GREETINGS))
    scan.replace(_ATTACHED, _as_marker)
    parts = [Daypart(m.start(), m.end(), kind, today) for kind, today, pattern in _PARTS for m in scan.take(pattern)]
    return sorted(parts, key=lambda part: part.position)


def _as_marker(match: re.Match[str]) -> str:
    if _DATE_BEFORE.search(match.string[: match.start()]):
        return match.group(0)  # "dec 3 in the morning": the number is a day, the words a part of the day
    return " am" if match["w"] in _MORNING_WORDS else " pm"


def with_dayparts(
    parts: list[Daypart], ranges: list[TimeRange], text: str, opens: time, closes: time
) -> list[TimeRange]:
    """The ranges, and each part of the day that stands apart from them as a range of the site's hours.

    A part of the day next to a range or hour is dropped, and an afternoon moves a morning hour by 12 hours
    (`tomorrow afternoon at 6`).
    """
    slots, apart = list(ranges), []
    for part in parts:
        near = [index for index, slot in enumerate(ranges) if _next_to(part, slot, text)]
        if part.kind == "afternoon":
            slots = [_in_afternoon(slot) if index in near else slot for index, slot in enumerate(slots)]
        start, end = _bounds(part.kind, opens, closes)
        if not near and start < end:
            apart.append(TimeRange(part.position, start, end, part.stop))
    return sorted(slots + apart, key=lambda slot: slot.position)


def _bounds(kind: str, opens: time, closes: time) -> tuple[time, time]:
    if kind == "morning":
        return opens, NOON
    if kind == "afternoon":
        return NOON, closes
    return opens, closes


def _next_to(part: Daypart, slot: TimeRange, text: str) -> bool:
    gap = text[part.stop : slot.position] if part.stop <= slot.position else text[slot.stop : part.position]
    return _FILLER.fullmatch(gap) is not None


def _in_afternoon(slot: TimeRange) -> TimeRange:
    if slot.start >= NOON or (slot.end is not None and slot.end >= NOON):
        return slot
    end = time(slot.end.hour + 12, slot.end.minute) if slot.end is not None else None
    return TimeRange(slot.position, time(slot.start.hour + 12, slot.start.minute), end, slot.stop)
