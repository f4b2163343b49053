"""Message catalogs: English source strings, translated through Babel-read gettext catalogs (`locales/`).

A `Msg` is a message not yet rendered: replies carry them, and each is rendered in its recipient's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache
from pathlib import Path

from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Msg:
    msgid: str
    params: tuple[tuple[str, object], ...] = ()

    def render(self, lang: str) -> str:
        try:
            return _render_cached(self, lang)
        except TypeError:  # a parameter that cannot be hashed: render without the cache
            return _render(self, lang)


def _render(msg: Msg, lang: str) -> str:
    values = {key: _render_value(value, lang) for key, value in msg.params}
    text = gettext(lang, msg.msgid)
    return text.format(**values) if values else text


# The same offer goes to hundreds of floaters: render each message once per language.
_render_cached = lru_cache(maxsize=4096)(_render)


@dataclass(frozen=True)
class Localized:
    """A text given in both languages by data (a survey file), not by the catalog."""

    en: str
    es: str

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en

    @classmethod
    def either(cls, en: str, es: str) -> Localized:
        """A text the roster gives in English, Spanish or both: a language left empty shows the other (Spanish
        readers get the English when the Spanish is empty)."""
        return cls(en or es, es or en)


def localized(en: str, es: str) -> Msg:
    return Msg("{text}", (("text", Localized(en, es)),))


def _render_value(value: object, lang: str) -> object:
    """Nested messages in the same language; dates and times in the language's own format (Babel)."""
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, Localized):
        return value.get(lang)
    if isinstance(value, float):
        return format_decimal(value, locale=lang)
    if isinstance(value, datetime):
        return format_datetime(value, "EEE d MMM, HH:mm", tzinfo=value.tzinfo, locale=lang)
    if isinstance(value, date):
        return format_date(value, "EEE d MMM", locale=lang)
    if isinstance(value, time):
        return format_time(value, "HH:mm", locale=lang)
    return value


def _(msgid: str, /, **params: object) -> Msg:
    """Mark a user-facing string for translation; `{name}` placeholders are filled at render time."""
    return Msg(msgid, tuple(sorted(params.items())))


def verbatim(text: str) -> Msg:
    """Data that needs no translation (a name, a room), as a message."""
    return Msg("{text}", (("text", text),))


@cache
def catalog(lang: str) -> Catalog | None:
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def gettext(lang: str, msgid: str) -> str:
    """The translation of `msgid` in `lang`; English (the source) when there is none."""
    found = catalog(lang)
    if found is None:
        return msgid
    message = found.get(msgid)
    if message is None or not message.string or message.fuzzy:
        return msgid
    return str(message.string)


def normalise_language(code: str | None) -> str:
    """A platform's language code (`es-MX`, `en_US`) as one of ours."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE
