"""Every week: `every Monday`, `todos los lunes`, `cada lunes`, `mondays`, with a bound or the next 4.

Bounds: `in December`/`en diciembre` (that month's such days after today; next year's once this one is over),
`until 12/18`/`hasta el 18 de diciembre` (inclusive), `for 3 weeks`/`por 3 semanas` (that many occurrences).
The first occurrence follows the weekday rule: strictly after today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.parsing.dates import DateGroup
from handlers.parsing.days import next_weekday, valid
from handlers.parsing.text import Scanner, alternation
from handlers.parsing.vocab import MONTHS, NUMBER_WORDS, WEEKDAY_PLURALS, WEEKDAYS

DEFAULT_OCCURRENCES = 4
MOST_OCCURRENCES = 26  # half a year of one weekday


@dataclass(frozen=True)
class Weekly:
    """A weekly request read at `position`: its weekdays and the bound it gave (if any)."""

    position: int
    weekdays: tuple[int, ...]
    month: int | None = None
    count: int | None = None
    until_at: int | None = None  # where the date of an `until` bound begins, give or take an article
    interval: int = 1  # weeks between occurrences: 2 for `every other Monday`


_COUNTS = {word: int(value) for word, value in NUMBER_WORDS.items() if value >= 1 and word not in ("a", "an")}
_N = r"(?P<n>\d{1,2}|" + alternation(list(_COUNTS)) + ")"
_DAY = alternation([*WEEKDAYS, *WEEKDAY_PLURALS])
_LIST = rf"(?P<days>{_DAY}(?:\s*(?:,|and|&|y|e|n)\s*(?:(?:every|each|cada)\s+)?{_DAY})*)"
_MARKERS = (
    re.compile(rf"\b(?:the\s+|los\s+)?(?:next|proximos|siguientes)\s+{_N}\s+{_LIST}\b"),
    re.compile(rf"\b(?:every|each|todos\s+los|todas\s+las|cada|los)\s+(?P<other>(?:other|otro|dos)\s+)?{_LIST}\b"),
    re.compile(
        rf"\b(?:on\s+)?(?P<days>{alternation([w for w in WEEKDAY_PLURALS if w.endswith('days')])}"
        rf"(?:\s*(?:,|and|&)\s*{_DAY})*)\b"
    ),
)
_FOR_WEEKS = re.compile(
    rf"\b(?:(?:for|por|durante)\s+)?(?:the\s+|las\s+)?(?:next\s+|proximas\s+|siguientes\s+)?{_N}\s+"
    r"(?:more\s+)?(?:weeks?|wks?|semanas?)\b"
)
_UNTIL = re.compile(r"\b(?:until|till|til|thru|through|up\s+to|hasta|ending)\s+")
_IN_MONTH = re.compile(
    r"\b(?P<prep>in|en|during|durante|de|of|for|para|in\s+the\s+month\s+of|el\s+mes\s+de|del\s+mes\s+de)\s+"
    rf"(?P<m>{alternation(list(MONTHS))})\b(?!\.?\s*\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:-|to\b|a\b|:|\.\d)))"
)


def read_weekly(scan: Scanner) -> Weekly | None:
    """The every-week words and their bound, blanked in `scan` (an `until` date is left for the date rules)."""
    for pattern in _MARKERS:
        marker = next(scan.take(pattern), None)
        if marker is not None:
            break
    else:
        return None
    found = re.findall(_DAY, marker["days"])
    weekdays = tuple(sorted({WEEKDAYS.get(word, WEEKDAY_PLURALS.get(word, 0)) for word in found}))
    count = _count(marker["n"]) if marker.groupdict().get("n") else None
    for match in scan.take(_FOR_WEEKS):
        count = count or _count(match["n"])
    month = next((MONTHS[m["m"]] for m in scan.take(_IN_MONTH, keep=_not_after_a_day)), None)
    until = next(_UNTIL.finditer(scan.text), None)
    interval = 2 if marker.groupdict().get("other") else 1
    return Weekly(marker.start(), weekdays, month, count, until.end() if until else None, interval)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS[word]


def _not_after_a_day(match: re.Match[str]) -> bool:
    """`hasta el 18 de diciembre` is a date, not `in December` (`de 8 a 12 en diciembre` is the month)."""
    after_a_number = re.search(r"\d(?:st|nd|rd|th)?\s*$", match.string[: match.start()]) is not None
    return not (after_a_number and match["prep"] in ("de", "of"))


def weekly_days(rule: Weekly, groups: list[DateGroup], today: date) -> tuple[DateGroup, list[DateGroup]]:
    """The weekly request as one group of days, and the other groups (less the `until` date, if any)."""
    until, rest = None, []
    for group in groups:
        at_bound = rule.until_at is not None and rule.until_at <= group.position <= rule.until_at + 4
        if until is None and at_bound and group.days:
            until = group.days[-1]
        else:
            rest.append(group)
    firsts = [next_weekday(today, weekday) for weekday in rule.weekdays]
    if until is not None:
        days = [d for first in firsts for d in _every_week(first, MOST_OCCURRENCES, rule.interval) if d <= until]
    elif rule.month is not None:
        days = [d for d in _in_month(today, rule.weekdays, rule.month) if _on_the_beat(d, today, rule.interval)]
    else:
        count = min(rule.count or DEFAULT_OCCURRENCES, MOST_OCCURRENCES)
        days = [d for first in firsts for d in _every_week(first, count, rule.interval)]
    return DateGroup(rule.position, tuple(sorted(days))), rest


def _on_the_beat(day: date, today: date, interval: int) -> bool:
    """`every other Monday in December`: the first such Monday after today, then every second one."""
    return (day - next_weekday(today, day.weekday())).days // 7 % interval == 0


def _every_week(first: date, count: int, interval: int) -> list[date]:
    return [first + timedelta(weeks=week * interval) for week in range(count)]


def _in_month(today: date, weekdays: tuple[int, ...], month: int) -> list[date]:
    """Those weekdays of the month strictly after today, in this year's month or else the next year's."""
    for year in (today.year, today.year + 1):
        days = [
            day
            for number in range(1, 32)
            if (day := valid(year, month, number)) is not None and day > today and day.weekday() in weekdays
        ]
        if days:
            return days
    return []
