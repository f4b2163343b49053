"""A room the message names that is not a room of the site (`the Mariposas room`, `salón de las Ardillas`).

The chat flow must never put such a request in the teacher's own room silently; it says which rooms her site has.
Age-group rooms (`toddler room`, `salón de bebés`) and `my room` are not names.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from functools import lru_cache

from handlers.parsing.text import alternation, fold
from handlers.parsing.topic_words import AGE_GROUPS, REASONS, REQUEST_WORDS
from handlers.parsing.vocab import MONTHS, TODAY, TOMORROW, WEEKDAYS, words

_NAME_WORD = r"[^\W\d_][\w'’-]*"
_BEFORE_ROOM = re.compile(rf"(?P<name>(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})\s+(?:room|classroom|rm)\b", re.I)
_AFTER_ROOM = re.compile(
    rf"\b(?i:sal[oó]n|sala|aula)\s+(?i:de\s+)?(?i:(?:los|las|la|el)\s+)?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
    rf"|\b(?i:room|classroom)\s+(?P<capitalised>[^\W\d_a-z][\w'’-]*(?:\s+{_NAME_WORD}){{0,2}})"
)
_NOT_NAMES = frozenset(
    words(
        "my|our|her|his|their|your|the|this|that|same|other|a|an|in|at|to|for|of|on|from|and|or|with|please|pls"
        "|el|la|los|las|mi|mis|su|sus|tu|nuestro|nuestra|un|una|en|de|del|al|para|por|con|y|o|que|q|favor|porfa"
        "|room|rooms|classroom|class|salon|sala|aula|whole|big|main|back|front|nap|rest|break|staff|play|lunch"
        "|maestra|maestro|teacher|teachers|miss|ms|mrs|mr|kids|ninos|children|cover|covering|can|could|you|u"
        "|someone|i|i'm|im|me|need|needed|floater|sub|tmrw|tomorrow|today|hoy|manana|am|pm|morning|afternoon"
        "|tarde|dia|day|all|full|next|week|every|todos|cada|hi|hello|hola|thanks|gracias|is|it|be|get|go|ir|es"
        "|esta|este|ese|esa|otro|otra|mismo|misma|se|le|lo|any|which|what|each|another|one|some|no|more|asap"
        "|clase|clases|juntas|espera|while|when|because|cuz|bc|porque|cuando|mientras"
    )
)


def unknown_room(text: str, rooms: Mapping[str, str]) -> str | None:
    """The name of a room the message names that is none of `rooms` (as written), else None."""
    return _none_of(rooms, text, (_BEFORE_ROOM, True), (_AFTER_ROOM, False))


def _none_of(rooms: Mapping[str, str], text: str, *patterns: tuple[re.Pattern[str], bool]) -> str | None:
    """The first name the patterns find (`before`: the name comes before its match's end) that is none of
    `rooms`."""
    known = [fold(name) for name in rooms]
    for pattern, before in patterns:
        for match in pattern.finditer(text):
            name = _name((match["name"] or match.groupdict().get("capitalised") or "").split(), before)
            if name and not any(_same_room(fold(name), room) for room in known):
                return name
    return None


_AFTER_IN = re.compile(
    rf"\b(?i:in|en|at|inside)\s+(?i:(?:the|el|la|los|las)\s+)?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)


def named_after_in(text: str, rooms: Mapping[str, str]) -> str | None:
    """A name after `in`/`en` that may be a room without the word `room` (`in Mariposas`, `en Ardillas`): none of
    `rooms`, no vocabulary, no age group. Whether some site has a room of that name is for the caller to look up."""
    return _none_of(rooms, text, (_AFTER_IN, False))


def _name(found: list[str], before: bool) -> str | None:
    """The words next to `room` that make its name: Capitalised Words, or else the one word beside it.

    Vocabulary (`tomorrow`, `my`, `need`) is no name, and neither is an age group (`school age room`).
    """
    near = found[::-1] if before else found
    if _is_age_group(fold(" ".join(reversed(near[:2]) if before else near[:2]))):
        return None
    run = list(itertools.takewhile(lambda word: word[:1].isupper(), near)) if near[0][:1].isupper() else near[:1]
    run = list(itertools.takewhile(lambda word: not _vocabulary(word), run))
    name = " ".join(reversed(run) if before else run).strip(" '’-.,")
    return name or None


def _same_room(said: str, room: str) -> bool:
    """`sprouts` is the room `Little Sprouts`; `little sprouts room` is too."""
    said_words, room_words = set(said.split()), set(room.split())
    return said_words <= room_words or room_words <= said_words


def _vocabulary(word: str) -> bool:
    return fold(word).strip(".,!?;:'’-") in _known_words()


def _is_age_group(phrase: str) -> bool:
    return _age_words().search(phrase) is not None


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    reasons = (word for group in REASONS.values() for word in group if " " not in word)
    calendar = (*WEEKDAYS, *MONTHS, *TODAY, *TOMORROW)
    return frozenset((*_NOT_NAMES, *reasons, *calendar, *(w for w in REQUEST_WORDS if " " not in w)))


@lru_cache(maxsize=1)
def _age_words() -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])" + alternation([w for group in AGE_GROUPS.values() for w in group]) + r"(?![\w'])")
