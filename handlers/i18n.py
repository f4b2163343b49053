"""Message catalogs: English source strings, translated through Babel-read gettext catalogs (`locales/`).

A `Msg` is a message not yet rendered: replies carry them, and each is rendered in its recipient's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
FAR = timedelta(weeks=8)  # a day further than this from the reading day shows its year
DAY = "EEE d MMM"
# The day messages are read on (`read_on`); None: days are written without their year.
_READ_ON: ContextVar[date | None] = ContextVar("read_on", default=None)


@contextmanager
def read_on(day: date) -> Iterator[None]:
    """Messages rendered inside are read on `day`: a day over 8 weeks from it is written with its year (`Mon 20 Dec
    2027`, `lun 20 dic de 2027`) — a floater offered a shift a year ahead must not take it for this month's. A
    nearer day needs none, in another year or not (`Thu 7 Jan`, read in December)."""
    token = _READ_ON.set(day)
    try:
        yield
    finally:
        _READ_ON.reset(token)


def read_at(moment: datetime, zone: ZoneInfo) -> AbstractContextManager[None]:
    """`read_on` the day it is at `moment` in `zone` (the Alliance's): where replies are rendered, a surface is
    drawn or a form is shown."""
    return read_on(moment.astimezone(zone).date())


@dataclass(frozen=True)
class Msg:
    msgid: str
    params: tuple[tuple[str, object], ...] = ()
    plural: str | None = None  # with `count`: the English plural, the language's plural rule picks the form
    count: int = 0

    def render(self, lang: str, zone: str | None = None) -> str:
        """The text in `lang`; spans of time in `zone` when given (the reader's own, see `Span`)."""
        try:
            return _render_cached(self, lang, zone, _READ_ON.get())
        except TypeError:  # a parameter that cannot be hashed: render without the cache
            return _render(self, lang, zone, _READ_ON.get())


def _render(msg: Msg, lang: str, zone: str | None = None, _read_on: date | None = None) -> str:
    """`msg` in `lang` (`_read_on`, the reading day, is there for the cache: it changes how days are written)."""
    values = {key: _render_value(value, lang, zone) for key, value in msg.params}
    if msg.plural is not None:
        text = translations(lang).ngettext(msg.msgid, msg.plural, msg.count)
    else:
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


@dataclass(frozen=True)
class Number:
    """A number shown to people: Babel writes it the reader's way ("25,9" and "1.200" in Spanish), with at most
    `digits` decimals, a sign when `signed`, and a dash when there is none (NaN)."""

    value: float
    digits: int = 1
    signed: bool = False

    def render(self, lang: str) -> str:
        if math.isnan(self.value):
            return "—"
        pattern = "#,##0" + ("." + "#" * self.digits if self.digits else "")
        return format_decimal(self.value, format=f"+{pattern};-{pattern}" if self.signed else pattern, locale=lang)


@dataclass(frozen=True)
class Percent:
    """A share (0.8) as the reader writes a percentage ("80%", "80 %"); a dash when there is none."""

    share: float

    def render(self, lang: str) -> str:
        return "—" if math.isnan(self.share) else format_percent(self.share, locale=lang)


@dataclass(frozen=True)
class Money:
    """Whole dollars, the reader's way ("$1,234", "US$1.234"); a dash when there is none."""

    value: float
    currency: str = "USD"

    def render(self, lang: str) -> str:
        if math.isnan(self.value):
            return "—"
        return format_currency(self.value, self.currency, format="¤#,##0", locale=lang, currency_digits=False)


@dataclass(frozen=True)
class Joined:
    """Messages rendered in one language and joined ("a, b, c")."""

    parts: tuple[Msg, ...]
    separator: str = ", "

    def render(self, lang: str, zone: str | None = None) -> str:
        return self.separator.join(part.render(lang, zone) for part in self.parts)


@dataclass(frozen=True)
class Capitalized:
    """A message whose first letter is a capital wherever it is read: one that opens with a day reads `Dom 29 nov
    ya pasó`, not `dom 29 nov` (Babel's Spanish day names are lower case)."""

    inner: Msg

    def render(self, lang: str, zone: str | None = None) -> str:
        text = self.inner.render(lang, zone)
        return text[:1].upper() + text[1:]


def sentence(msg: Msg) -> Msg:
    """`msg` as a sentence of its own: its first letter a capital in every language."""
    return Msg("{text}", (("text", Capitalized(msg)),))


def localized(en: str, es: str) -> Msg:
    return Msg("{text}", (("text", Localized(en, es)),))


def _render_value(value: object, lang: str, zone: str | None = None) -> object:
    """Nested messages in the same language (and reader's zone); dates and times in the language's own format
    (Babel)."""
    if isinstance(value, Msg | Joined | Span | Capitalized):
        return value.render(lang, zone)
    if isinstance(value, Number | Percent | Money):
        return value.render(lang)
    if isinstance(value, Localized):
        return value.get(lang)
    if isinstance(value, float):
        return format_decimal(value, locale=lang)
    if isinstance(value, WithYear):
        return value.render(lang)
    if isinstance(value, datetime):
        day = value.date()
        shown = WithYear(day).render(lang) if _far(day) else format_date(day, DAY, locale=lang)
        return f"{shown}, {format_time(value, 'HH:mm', tzinfo=value.tzinfo, locale=lang)}"
    if isinstance(value, date):
        return WithYear(value).render(lang) if _far(value) else format_date(value, DAY, locale=lang)
    if isinstance(value, time):
        return format_time(value, "HH:mm", locale=lang)
    return value


def _far(day: date) -> bool:
    """Whether `day` is written with its year where it is read now (`read_on`)."""
    today = _READ_ON.get()
    return today is not None and abs(day - today) > FAR


@dataclass(frozen=True)
class WithYear:
    """A day written with its year, wherever it is read (`Tue 1 Dec 2026`, `mar 1 dic de 2026`)."""

    day: date

    def render(self, lang: str) -> str:
        return _("{day} {year}", day=format_date(self.day, DAY, locale=lang), year=self.day.year).render(lang)


@dataclass(frozen=True)
class Span:
    """A stretch of time (`Tue 1 Dec, 08:00–12:00`), in the zone of where it happens — or in the reader's own
    zone when she reads times in one (a floater of the Hub's pool living elsewhere), marked as hers."""

    starts_at: datetime
    ends_at: datetime
    zone: ZoneInfo

    def render(self, lang: str, reader: str | None = None) -> str:
        zone = ZoneInfo(reader) if reader else self.zone
        start, end = self.starts_at.astimezone(zone), self.ends_at.astimezone(zone)
        text = _("{day}, {start}–{end}", day=start.date(), start=start.time(), end=end.time()).render(lang)
        if start.utcoffset() == self.starts_at.astimezone(self.zone).utcoffset():
            return text
        return _("{when} (your time)", when=text).render(lang)


def _(msgid: str, /, **params: object) -> Msg:
    """Mark a user-facing string for translation; `{name}` placeholders are filled at render time."""
    return Msg(msgid, tuple(sorted(params.items())))


def n_(singular: str, plural: str, count: int, /, **params: object) -> Msg:
    """A counted message ("{count} shift" / "{count} shifts"): `count` picks the form by the reader's language's
    plural rule and fills `{count}`."""
    values = {"count": count, **params}
    return Msg(singular, tuple(sorted(values.items())), plural=plural, count=count)


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


@cache
def translations(lang: str) -> NullTranslations:
    """Babel's gettext translations of `lang`, compiled in memory from its catalog (untranslated and fuzzy
    entries fall back to the English source); English itself is the source."""
    found = catalog(lang)
    if found is None:
        return NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, found)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def gettext(lang: str, msgid: str) -> str:
    """The translation of `msgid` in `lang`; English (the source) when there is none."""
    return str(translations(lang).gettext(msgid))


def normalise_language(code: str | None) -> str:
    """A platform's language code (`es-MX`, `en_US`) as one of ours."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE
