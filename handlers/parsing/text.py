"""Normalising a message (case, accents, emoji, dashes, common misspellings) and masking what was read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from difflib import get_close_matches
from functools import lru_cache

from handlers.parsing.topic_words import AGE_GROUPS, REASONS, REQUEST_WORDS
from handlers.parsing.vocab import SPELLING_TARGETS

_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-", "’": "'", "‘": "'", "@": " at "})
_NOT_KEPT = re.compile(r"[^a-z0-9:/&,.'\-+?!\s]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z]{5,}")
_KNOWN = frozenset(
    (
        *SPELLING_TARGETS,
        *REQUEST_WORDS,
        *(w for ws in AGE_GROUPS.values() for w in ws),
        *(w for ws in REASONS.values() for w in ws),
    )
)
# Real words that sit close to a target word and must be left alone.
_LEAVE = frozenset(
    {
        "raining",
        "morning",
        "mornings",
        "afternoons",
        "evening",
        "thanks",
        "todays",
        "viene",
        "tiene",
        "escolar",
        "entero",
    }
)


def fold(text: str) -> str:
    """Lower-case without accents: `Miércoles` → `miercoles`, `mañana` → `manana`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise(text: str) -> str:
    """The message as the rules read it: folded, symbols and emoji dropped, spaces collapsed, typos fixed."""
    cleaned = _NOT_KEPT.sub(" ", fold(text).translate(_DASHES))
    cleaned = _SPACES.sub(" ", cleaned).strip()
    return _WORD.sub(lambda match: _respell(match.group(0)), cleaned)


@lru_cache(maxsize=4096)
def _respell(word: str) -> str:
    if word in _KNOWN or word in _LEAVE:
        return word
    close = get_close_matches(word, SPELLING_TARGETS, n=1, cutoff=0.85)
    return close[0] if close else word


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternative of whole phrases, longest first so `tues` wins over `tue`."""
    ordered = sorted({re.escape(word) for word in words}, key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


class Scanner:
    """The text being read; each rule takes its matches and blanks them so later rules do not reread them."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(
        self, pattern: re.Pattern[str], keep: Callable[[re.Match[str]], bool] | None = None
    ) -> Iterator[re.Match[str]]:
        """The matches (those `keep` accepts), each blanked in the text."""
        matches = [match for match in pattern.finditer(self.text) if keep is None or keep(match)]
        for match in matches:
            start, end = match.span()
            self.text = self.text[:start] + " " * (end - start) + self.text[end:]
        yield from matches

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.text) is not None

    def replace(self, pattern: re.Pattern[str], short: Callable[[re.Match[str]], str]) -> None:
        """Rewrite each match to a text no longer than it, padded with spaces so positions stay put."""

        def padded(match: re.Match[str]) -> str:
            new = short(match)[: len(match.group(0))]
            return new.ljust(len(match.group(0)))

        self.text = pattern.sub(padded, self.text)
