"""Every user-facing string has a Spanish translation with the same placeholders, and every count is pluralised."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from handlers.i18n import catalog, gettext, n_, translations

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
KEYWORDS = {**DEFAULT_KEYWORDS, "n_": (1, 2)}
# A number followed by a counted word must be a plural message (n_): "1 shifts" is what this catches.
COUNTED = re.compile(
    r"\{\w+\} (shifts?|sessions?|teachers?|people|persons?|questions?|days?|weeks?|sites?|rooms?|directors?|"
    r"offers?|floaters?|messages?|answers?|requests?|bookings?|seats?|hours?|written)\b|\{count\} (?!more\b|of\b)[a-z]"
)


def source_messages() -> list[tuple[str, str | None]]:
    """(msgid, plural or None) of every marked string in the code."""
    found: set[tuple[str, str | None]] = set()
    for package in ("handlers", "scheduler", "bot"):
        for _file, _line, message, _comments, _context in extract_from_dir(ROOT / package, keywords=KEYWORDS):
            found.add((message, None) if isinstance(message, str) else (message[0], message[1]))
    return sorted(found, key=lambda item: item[0])


def test_every_source_string_is_translated_to_spanish_in_every_plural_form() -> None:
    spanish = catalog("es")
    assert spanish is not None
    untranslated = []
    for msgid, _plural in source_messages():
        entry = spanish.get(msgid)
        forms = entry.string if entry is not None else ""
        if not (all(forms) if isinstance(forms, tuple) else forms) or (entry is not None and entry.fuzzy):
            untranslated.append(msgid)
    assert untranslated == []


def test_translations_keep_the_placeholders() -> None:
    for msgid, plural in source_messages():
        if plural is None:
            assert set(PLACEHOLDER.findall(gettext("es", msgid))) == set(PLACEHOLDER.findall(msgid)), msgid
            continue
        for count in (1, 2, 1_000_000):  # Spanish has a form of its own for millions
            spanish = translations("es").ngettext(msgid, plural, count)
            english = msgid if count == 1 else plural
            assert set(PLACEHOLDER.findall(spanish)) - {"count"} == set(PLACEHOLDER.findall(english)) - {"count"}


def test_a_count_followed_by_a_noun_is_always_a_plural_message() -> None:
    singular_only = [msgid for msgid, plural in source_messages() if plural is None and COUNTED.search(msgid)]
    assert singular_only == []


def test_plural_forms_follow_each_language() -> None:
    shifts = [
        n_("Board — today and tomorrow ({count} shift):", "Board — today and tomorrow ({count} shifts):", n)
        for n in (1, 2)
    ]
    assert [m.render("en") for m in shifts] == [
        "Board — today and tomorrow (1 shift):",
        "Board — today and tomorrow (2 shifts):",
    ]
    assert [m.render("es") for m in shifts] == ["Tablero: hoy y mañana (1 turno):", "Tablero: hoy y mañana (2 turnos):"]


def test_english_is_the_source_and_unknown_languages_fall_back_to_it() -> None:
    assert gettext("en", "Commands you can use:") == "Commands you can use:"
    assert gettext("fr", "Commands you can use:") == "Commands you can use:"
    assert gettext("es", "Commands you can use:") == "Comandos que puedes usar:"
