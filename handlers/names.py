"""Finding roster people by a name as someone types it: `maria`, `María`, `hernandez`, `Lucía H`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from handlers.parsing import fold

if TYPE_CHECKING:
    from models.roster.tables import Person


def matching(everyone: Sequence[Person], typed: str) -> list[Person]:
    """Who `typed` means, accents and case aside: the exact name; else everyone with a part of the name
    starting with it (`maria` → María Gómez, `hern` → Lucía Hernández); else names starting with it
    (`lucia h`). Empty when nothing was typed or nobody matches; several when it is not enough to tell."""
    wanted = " ".join(fold(typed).split())
    if not wanted:
        return []
    exact = [p for p in everyone if fold(p.name) == wanted]
    if exact:
        return exact
    by_part = [p for p in everyone if any(part.startswith(wanted) for part in fold(p.name).split())]
    return by_part or [p for p in everyone if fold(p.name).startswith(wanted)]
