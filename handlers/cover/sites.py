"""Which other site a message names, asked of every request: the sites' folded names are kept per database and
reused until a site is added (one small query a message, not every site loaded and folded each time)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from handlers.parsing import fold
from models.roster.queries import rooms_elsewhere, sites_by_name, sites_version

if TYPE_CHECKING:
    from models.db import Session

Folded = tuple[tuple[int, str, str], ...]  # (id, folded name, name) by name
_known: WeakKeyDictionary[object, tuple[tuple[int, int], Folded]] = WeakKeyDictionary()  # per engine


def site_named_in(session: Session, text: str, *, besides: int | None) -> str | None:
    """The name of the first site (by name), other than `besides`, whose name the text contains."""
    folded = fold(text)
    return next((name for site_id, key, name in _folded_names(session) if site_id != besides and key in folded), None)


def site_with_room(session: Session, room: str, *, besides: int | None) -> str | None:
    """The first other site (by name) with a room of that name, or of which it is one word (`Sprouts`)."""
    wanted = fold(room.strip())
    for site, name in rooms_elsewhere(session, site_id=besides):
        if wanted in (fold(name), *fold(name).split()):
            return site
    return None


def _folded_names(session: Session) -> Folded:
    """The sites' folded names, read again only when another process or this one has added a site."""
    database, version = session.get_bind(), sites_version(session)  # before the names: a site added meanwhile
    kept = _known.get(database)
    if kept is not None and kept[0] == version:
        return kept[1]
    names = tuple((site_id, fold(name), name) for site_id, name in sites_by_name(session))
    _known[database] = (version, names)
    return names
