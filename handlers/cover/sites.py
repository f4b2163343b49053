"""Which other site a message names, asked of every request: the sites' folded names are kept per database and
reused until a site is added (one small query a message, not every site loaded and folded each time).

A site is named by its whole name or by what people call it for short, its name without the words that only say
what kind of place it is: "Maple Street" for Maple Street Early Learning, "Sunflower" for Sunflower Center — the
short name only as a place ("at Maple Street", "en Sunflower"; not "I live on Maple Street")."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from handlers.parsing import fold, vocab
from models.roster.queries import rooms_elsewhere, sites_by_name, sites_version

if TYPE_CHECKING:
    from models.db import Session

# What a site's name may say of the kind of place it is, before or after what it is called (folded).
KIND_WORDS = frozenset(
    vocab.words(
        "center|centre|centers|early|learning|child|childs|children|childrens|care|childcare|development|"
        "preschool|pre|school|academy|daycare|day|nursery|program|programs|kids|montessori|head|start|inc|llc|"
        "the|of|centro|centros|infantil|infantiles|escuela|escuelita|guarderia|jardin|preescolar|cuidado|el|la|"
        "los|las|del|de"
    )
)
# A one-word short name is one only when it is this long and no calendar or clock word (`Tomorrow Center`).
SHORT_MIN = 5
_CALENDAR = frozenset(
    (*vocab.WEEKDAYS, *vocab.WEEKDAY_PLURALS, *vocab.MONTHS, *vocab.TODAY, *vocab.TOMORROW, *vocab.YESTERDAY)
)
_WORD = re.compile(r"\w+")
# `training at Casa de los Niños`: where she goes, not where the cover is (folded).
GOING_TO = frozenset(
    vocab.words(
        "training|trainings|meeting|meetings|workshop|conference|supervision|visit|observation|capacitacion|"
        "entrenamiento|reunion|junta|taller|conferencia|visita|observacion"
    )
)
AT = frozenset(vocab.words("at|in|en|a|al"))
PLACED = frozenset(vocab.words("at|in|en|for|para|al"))  # what comes before a site named for short ...
ARTICLES = frozenset(vocab.words("the|el|la|los|las"))  # ... or before its article (`en el Sunflower`)

Folded = tuple[tuple[int, str, str | None, str], ...]  # (id, folded name, folded short name, name) by name
_known: WeakKeyDictionary[object, tuple[tuple[int, int], Folded]] = WeakKeyDictionary()  # per engine


def site_named_in(session: Session, text: str, *, besides: int | None, rooms: Collection[str] = ()) -> str | None:
    """The name of the first site other than `besides` that the text names as the place of the cover: by its
    whole name (the first by name), else by its short name — unless that is also in her own site's name or the
    name of one of her `rooms` ("the Sunflowers room" of her own site is no other site). A site named as where
    she goes ("a training at Casa de los Niños", "reunión en Maple Street") is where she will be, not where the
    cover is: not refused."""
    words = _spaced(text)
    sites = _folded_names(session)
    whole = next(
        (name for site_id, key, _s, name in sites if key in words and site_id != besides and _names(words, key)), None
    )
    if whole is not None:
        return whole
    own = next((key for site_id, key, _s, _n in sites if site_id == besides), " ")
    hers = {_spaced(room) for room in rooms}
    return next(
        (
            name
            for site_id, _k, short, name in sites
            if short is not None
            and short in words  # the plain test first: a thousand sites are passed over at its cost
            and site_id != besides
            and _names(words, short, placed=True)
            and short not in own
            and not any(short in room for room in hers)
        ),
        None,
    )


def _names(words: str, name: str, *, placed: bool = False) -> bool:
    """The spaced text names the spaced name somewhere other than as where she goes (`training at …`); `placed`:
    only right after at/in/en/for/para (a short name: "at Maple Street", not "I live on Maple Street")."""
    start = words.find(name)
    while start >= 0:
        before = words[:start].split()[-2:]
        going = len(before) == 2 and before[1] in AT and before[0] in GOING_TO
        after_place = bool(before) and before[-1] in PLACED
        after_place = after_place or (len(before) == 2 and before[0] in PLACED and before[1] in ARTICLES)
        if not going and (not placed or after_place):
            return True
        start = words.find(name, start + 1)
    return False


def short_name(name: str) -> str | None:
    """What a site is called for short (folded), or None when it has no such name: its words without those that
    only say what kind of place it is, at either end; one word left must be `SHORT_MIN` letters long and no
    calendar word."""
    words = _WORD.findall(fold(name))
    while words and words[-1] in KIND_WORDS:
        words.pop()
    while words and words[0] in KIND_WORDS:
        words.pop(0)
    if not words or len(words) == len(_WORD.findall(fold(name))):
        return None
    if len(words) == 1 and (len(words[0]) < SHORT_MIN or words[0] in _CALENDAR):
        return None
    return f" {' '.join(words)} "


def site_with_room(session: Session, room: str, *, besides: int | None) -> str | None:
    """The first other site (by name) with a room of that name, or of which it is one word (`Sprouts`)."""
    wanted = fold(room.strip())
    for site, name in rooms_elsewhere(session, site_id=besides):
        if wanted in (fold(name), *fold(name).split()):
            return site
    return None


def _spaced(text: str) -> str:
    """The text's folded words, one space apart and one at each end: a name is found in it as whole words."""
    return f" {' '.join(_WORD.findall(fold(text)))} "


def _folded_names(session: Session) -> Folded:
    """The sites' folded names, read again only when another process or this one has added a site."""
    database, version = session.get_bind(), sites_version(session)  # before the names: a site added meanwhile
    kept = _known.get(database)
    if kept is not None and kept[0] == version:
        return kept[1]
    names = tuple((site_id, _spaced(name), short_name(name), name) for site_id, name in sites_by_name(session))
    _known[database] = (version, names)
    return names
