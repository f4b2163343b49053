"""Every user-facing string has a Spanish translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from handlers.i18n import catalog, gettext

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def source_messages() -> set[str]:
    found: set[str] = set()
    for package in ("handlers", "scheduler", "bot"):
        for _file, _line, message, _comments, _context in extract_from_dir(ROOT / package):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_source_string_is_translated_to_spanish() -> None:
    spanish = catalog("es")
    assert spanish is not None
    untranslated = sorted(m for m in source_messages() if not (spanish.get(m) and spanish.get(m).string))  # type: ignore[union-attr]
    assert untranslated == []


def test_translations_keep_the_placeholders() -> None:
    for message in source_messages():
        assert set(PLACEHOLDER.findall(gettext("es", message))) == set(PLACEHOLDER.findall(message)), message


def test_english_is_the_source_and_unknown_languages_fall_back_to_it() -> None:
    assert gettext("en", "Commands you can use:") == "Commands you can use:"
    assert gettext("fr", "Commands you can use:") == "Commands you can use:"
    assert gettext("es", "Commands you can use:") == "Comandos que puedes usar:"
