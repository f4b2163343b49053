"""Reading the days of a request: relative words, weekdays, month names, numeric and ordinal dates, past days."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Literal

from handlers.parsing.days import day_of_month, last_weekday, maybe, month_day, next_weekday, span, valid
from handlers.parsing.text import Scanner, alternation
from handlers.parsing.vocab import (
    DAY_AFTER_TOMORROW,
    DAY_BEFORE_YESTERDAY,
    LAST_WEEK,
    MONTHS,
    NEXT_WEEK,
    THIS_WEEK,
    TODAY,
    TOMORROW,
    WEEKDAYS,
    YESTERDAY,
)

# "written" with the date, "nearest" (a month and day without one: the nearest was taken), "" (a weekday, `tomorrow`)
Year = Literal["written", "nearest", ""]


@dataclass(frozen=True)
class DateGroup:
    """Days read from one place in the message (a range or a single day), with where it was.

    `impossible` is the (month, day) as written when the message names a date no calendar has (`Feb 30`, `13/5`);
    such a group has no days.
    """

    position: int
    days: tuple[date, ...]
    impossible: tuple[int, int] | None = None
    stop: int = -1  # where a date's words end
    ambiguous: bool = False  # a numeric date that reads as another date the other way round (`10/12`)
    year: Year = ""  # how the days' year was found
    unread_range: bool = False  # a range of real days that is none: it goes back (`Dec 22-20`), or past a month
    week: date | None = None  # the Monday of a week named without its day (`next week 9-11`): no days


_WD = alternation(list(WEEKDAYS))
_MON = alternation(list(MONTHS))
_ORD = r"(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|to|through|thru|till|until|a|al|hasta(?:\s+el)?)\s*"
_TO_DAY = r"\s*(?:-|to|through|thru|till|until)\s*"  # "dic 9 a 11" is more often hours than days
_NOT_AMOUNT = r"(?!\s*(?:an?\s+)?(?:hours?|hrs?|hr|days?|dia|horas?)\b)"  # "1/2 hour" is half an hour
_RANGE_WORD = r"(?:-|–|to\b|a\b|al\b|hasta\b|until\b|till\b|through\b|thru\b)"
# A year is written after a comma or `de`/`of`/`in` (`Dec 20, 2027 - 0800-1200`, `de 2027 a 1200`); four bare
# digits are one only when they start no 24-hour time range: `Dec 20 2000-2300` is 20:00–23:00 on Dec 20.
_MARKED = r"(?:(?<=,\d{4})|(?<=,\s\d{4})|(?<=de\s\d{4})|(?<=del\s\d{4})|(?<=of\s\d{4})|(?<=in\s\d{4}))"
_NOT_HOURS = rf"(?:{_MARKED}|(?!\s*{_RANGE_WORD}\s*\d{{3,4}}\b(?!\s*{_RANGE_WORD}\s*\d))(?![:.h]\d))"
# A year written after a day (`Dec 20, 2027`, `20 de diciembre de 2027`, `20 dic. del 2027`): four digits, so that
# the hours after a date (`Dec 20 8-12`) are never read as one.
_YEAR = rf"(?:,?\s*(?:del?\s+|of\s+|in\s+)?(?P<y>20\d{{2}})\b{_NOT_HOURS})?"
_FIRST_YEAR = (
    rf"(?:,?\s*(?:del?\s+)?(?P<y1>20\d{{2}})\b{_NOT_HOURS})?"  # on the first day of a range (`Dec 30, 2026 - Jan 2`)
)
_EL = r"(?:\bel\s+(?:dia\s+)?)?"  # `el 20 de diciembre`: the article goes with the date, not with the hours after


def _words(listing: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(listing) + r"\b")


_NEXT_WEEK = _words(NEXT_WEEK)
_THIS_WEEK = _words(THIS_WEEK)
# Right before the week's words: the whole of it (`all next week`, `every day this week`, `toda la semana que viene`).
_WHOLE_WEEK = re.compile(
    r"\b(?:all|the whole|whole|entire|the entire|every day|each day|everyday|toda|todos los dias de|cada dia de)\s*$"
)
_LAST_WEEK = _words(LAST_WEEK)
_DAY_AFTER = _words(DAY_AFTER_TOMORROW)
_DAY_BEFORE = _words(DAY_BEFORE_YESTERDAY)
_YESTERDAY = _words(YESTERDAY)
_TODAY = _words(TODAY)
_TOMORROW = _words(TOMORROW)
_LAST_WEEKDAY = re.compile(
    rf"\b(?:(?:this\s+)?past|last)\s+(?P<a>{_WD})\b|\b(?:el\s+)?(?P<b>{_WD})\s+pasado\b|\bel\s+pasado\s+(?P<c>{_WD})\b"
)
_NUMERIC_RANGE = re.compile(_EL + r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\s*-\s*(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_NUMERIC = re.compile(_EL + r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b" + _NOT_AMOUNT)
_ISO = re.compile(_EL + r"\b(20\d{2})([-/])(\d{1,2})\2(\d{1,2})\b")  # 2027-12-20, 2027/12/20: in any language
_MONTH_RANGE = re.compile(  # `Dec 21-23`, `Jan 25 - Jan 27`; a year on the first day names the month again after
    # it (`Dec 30, 2026 - Jan 2, 2027`): `Dec 20, 2027 - 8 to 12` is one day and its hours
    rf"\b(?P<m1>{_MON})\.?\s*(?P<d1>\d{{1,2}}){_ORD}"
    rf"(?:{_FIRST_YEAR}{_TO_DAY}(?P<m2a>{_MON})\.?\s*|{_TO_DAY}(?:(?P<m2>{_MON})\.?\s*)?)"
    rf"(?P<d2>\d{{1,2}}){_ORD}\b(?![:/]){_YEAR}"
)
_SPANISH_RANGE = re.compile(  # `del 21 al 23 de diciembre`, `del 30 de diciembre al 2 de enero de 2027`
    rf"\b(?:del?\s+)?(?P<d1>\d{{1,2}})(?:\s+de\s+(?P<m1>{_MON})\b{_FIRST_YEAR})?\s+al?\s+(?P<d2>\d{{1,2}})"
    rf"\s+de\s+(?P<m>{_MON})\b{_YEAR}"
)
# A list of days after one month name (`Dec 20 & 21`, `Dec 20, 21 and 22`) or before it (`20 y 21 de diciembre`,
# `el 20 y el 21 de diciembre`, `the 20th and 21st of December`). A number listed after the first day is a day only
# when nothing after it makes it hours or a count (`Dec 20, 8-12`, `Dec 20 and 2 floaters`): see `_NOT_LISTED`.
_NOT_LISTED = (
    r"(?!\s*(?:[-–:]|\.\d|(?:to|a|al|hasta|until|till|through|thru|am|pm|h|hrs?|hours?|horas?|floaters?"
    r"|flotantes?|teachers?|maestr[ao]s?|people|personas?|kids?|children|ni[nñ]os?)\b|a\.m|p\.m))"
)
_AND = r"\s*(?:,\s*(?:&|\band\b|\by\b)?|&|\band\b|\by\b)\s*"  # `, and` too
_MONTH_LIST = re.compile(
    rf"\b(?P<m>{_MON})\.?\s*(?P<days>\d{{1,2}}{_ORD}(?:{_AND}\d{{1,2}}{_ORD}\b{_NOT_LISTED})+)\b(?![:/]){_YEAR}"
)
_ON = rf"(?:(?:el\s+|the\s+)?(?:{_WD}),?\s+(?:the\s+)?)?"  # `lunes 21 y martes 22 de diciembre`: each its weekday
_DAY_LIST = re.compile(
    rf"{_EL}{_ON}\b(?P<days>\d{{1,2}}{_ORD}(?:{_AND}(?:el\s+|the\s+)?{_ON}\d{{1,2}}{_ORD})+)\s+(?:of\s+|de\s+)?"
    rf"(?P<m>{_MON})\b\.?{_YEAR}"
)
# `21 december 8-12`, `21 de diciembre 8-12`: the month name goes with the day before it, and `8-12` are hours (not
# December 8 to 12); `room 3 Dec 21-23` is a room's number.
_A_DAY_BEFORE = re.compile(rf"(?<!room\s)(?<!sala\s)(?<!aula\s)(?<!#)\b\d{{1,2}}{_ORD}\s+(?:of\s+|de\s+)?$")
_DAY_OF_MONTH = re.compile(rf"{_EL}\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of|de)\s+(?P<m>{_MON})\b\.?{_YEAR}")
_MONTH_DAY = re.compile(rf"\b(?P<m>{_MON})\.?\s*(?P<d>\d{{1,2}}){_ORD}\b(?![:/]){_YEAR}")
_DAY_MONTH = re.compile(rf"{_EL}\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+|de\s+)?(?P<m>{_MON})\b\.?{_YEAR}")
_ORDINAL = re.compile(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b")
_EL_DAY = re.compile(r"\bel\s+(?:dia\s+)?(\d{1,2})\b(?!\s*(?::|/|am\b|pm\b|a\.m|p\.m|hours?|hrs?|horas?))")
_WEEKDAY_RANGE = re.compile(rf"\b(?:de\s+)?(?P<a>{_WD}){_TO}(?P<b>{_WD})\b")
_WEEKDAY = re.compile(rf"\b(?P<a>{_WD})\b")


def read_dates(scan: Scanner, today: date, *, day_first: bool = False) -> list[DateGroup]:
    """Every day the message names (past ones too), in groups by position; the matched words are blanked.

    Numeric dates are month/day, or day/month with `day_first` (a Spanish writer's `10/12` is 10 December).
    """
    weeks = list(scan.take(_NEXT_WEEK))
    next_week = bool(weeks)
    this_week = list(scan.take(_THIS_WEEK))  # `this thursday` and `thursday this week` are the same day
    groups = _relative(scan, today) + _numeric(scan, today, day_first) + _named(scan, today)
    for m in scan.take(_WEEKDAY_RANGE):
        first = next_weekday(today, WEEKDAYS[m["a"]], next_week)
        last = first + timedelta(days=(WEEKDAYS[m["b"]] - first.weekday()) % 7)
        groups.append(DateGroup(m.start(), span(first, last)))
    dated = [group for group in groups if group.stop >= 0]
    for m in scan.take(_WEEKDAY):
        if not any(_side_by_side(scan.text, (m.start(), m.end()), (g.position, g.stop)) for g in dated):
            groups.append(DateGroup(m.start(), (next_weekday(today, WEEKDAYS[m["a"]], next_week),)))
    if (weeks or this_week) and not groups:  # `next week 9-11`: which day of it is asked, not today taken
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if weeks else 0)
        position = (weeks or this_week)[0].start()
        friday = monday + timedelta(days=4)
        if _WHOLE_WEEK.search(scan.text[:position]) and max(monday, today) <= friday:  # `all next week`: its weekdays
            groups.append(DateGroup(position, span(max(monday, today), friday)))
        else:
            groups.append(DateGroup(position, (), week=monday))
    kept = (g for g in groups if g.days or g.impossible or g.unread_range or g.week)
    return _one_year(sorted(kept, key=lambda g: g.position), scan.text)


_JOINED = re.compile(r"[\s,&]*(?:and|y|e)?[\s,&]*")


def _one_year(groups: list[DateGroup], text: str) -> list[DateGroup]:
    """`20 y 21 de diciembre de 2027`, `Dec 20 and Dec 21, 2027`: a year written once is that of the dates listed
    beside it, each moved to its date nearest the dated one, so `Dec 30 and Jan 2, 2027` keeps Dec 30, 2026 — never
    a year apart, whichever comes first."""
    out = list(groups)

    def joined(one: DateGroup, other: DateGroup) -> bool:
        return one.stop >= 0 and _JOINED.fullmatch(text[one.stop : other.position]) is not None

    for i in reversed(range(len(out) - 1)):  # from the end: a year written last reaches back along the list
        this, after = out[i], out[i + 1]
        if this.year == "nearest" and after.year == "written" and after.days and joined(this, after):
            out[i] = _moved(this, after.days[0])
    for i in range(1, len(out)):
        before, this = out[i - 1], out[i]
        if this.year == "nearest" and before.year == "written" and before.days and joined(before, this):
            out[i] = _moved(this, before.days[-1])
    return out


def _moved(group: DateGroup, dated: date) -> DateGroup:
    """The group's days, each the date of the same month and day nearest `dated` (the year before, that year or the
    next)."""
    days = []
    for day in group.days:
        candidates = [valid(year, day.month, day.day) for year in (dated.year - 1, dated.year, dated.year + 1)]
        found = [c for c in candidates if c is not None]
        if not found:
            return group
        days.append(min(found, key=lambda c: abs(c - dated)))
    return replace(group, days=tuple(days), year="written")


def _year(written: str | None) -> Year:
    return "written" if written else "nearest"


def _side_by_side(text: str, one: tuple[int, int], other: tuple[int, int]) -> bool:
    """`wed 12/9`, `el miércoles 9 de diciembre`: the weekday only names the date beside it."""
    (_, first_stop), (second_start, _) = sorted([one, other])
    return re.fullmatch(r"[\s,.\-]*(?:el\s+|the\s+|on\s+)?", text[first_stop:second_start]) is not None


def _relative(scan: Scanner, today: date) -> list[DateGroup]:
    """`day after tomorrow`, `anteayer`, `last week`, `yesterday`, `today`, `tomorrow`, `last Monday`."""
    groups: list[DateGroup] = []
    offsets: tuple[tuple[re.Pattern[str], int], ...] = (
        (_DAY_AFTER, 2),
        (_DAY_BEFORE, -2),
        (_LAST_WEEK, -7),
        (_YESTERDAY, -1),
        (_TODAY, 0),
        (_TOMORROW, 1),
    )
    for pattern, offset in offsets:
        groups += [DateGroup(m.start(), (today + timedelta(days=offset),)) for m in scan.take(pattern)]
    for m in scan.take(_LAST_WEEKDAY):
        groups.append(DateGroup(m.start(), (last_weekday(today, WEEKDAYS[m["a"] or m["b"] or m["c"]]),)))
    return groups


def _numeric(scan: Scanner, today: date, day_first: bool) -> list[DateGroup]:
    """`12/21-12/23`, `12/8`, `12/08/26`: month first, or day first (`21/12-23/12`, `10/12`)."""
    groups: list[DateGroup] = []

    def month_and_day(one: str, two: str) -> tuple[int, int]:
        return (int(two), int(one)) if day_first else (int(one), int(two))

    for m in scan.take(_ISO):
        month, day = int(m[3]), int(m[4])
        found = month_day(today, month, day, m[1])
        groups.append(DateGroup(m.start(), maybe(found), _impossible(month, day, found), m.end(), year="written"))
    for m in scan.take(_NUMERIC_RANGE):
        (m1, d1), (m2, d2) = month_and_day(m[1], m[2]), month_and_day(m[4], m[5])
        first, last = _ends(today, (m1, d1, m[3]), (m2, d2, m[6]))
        bad = _impossible(m1, d1, first) or _impossible(m2, d2, last)
        either = _either_way(m1, d1) or _either_way(m2, d2)
        groups.append(DateGroup(m.start(), () if bad else span(first, last), bad, m.end(), either, _year(m[6])))
    for m in scan.take(_NUMERIC):
        month, day = month_and_day(m[1], m[2])
        found = month_day(today, month, day, m[3])
        either = _either_way(month, day)
        groups.append(DateGroup(m.start(), maybe(found), _impossible(month, day, found), m.end(), either, _year(m[3])))
    return groups


def _either_way(month: int, day: int) -> bool:
    """`10/12` is a date read month/day and day/month, and not the same one (`12/12` is)."""
    return 0 < month <= 12 and 0 < day <= 12 and month != day


def _named(scan: Scanner, today: date) -> list[DateGroup]:
    """Month names (`Dec 8`, `8 de diciembre`, `del 21 al 23 de diciembre`), ordinals and `el 10`."""
    groups: list[DateGroup] = []
    for m in scan.take(_SPANISH_RANGE):
        m1, m2 = MONTHS[m["m1"] or m["m"]], MONTHS[m["m"]]
        first, last = _ends(today, (m1, int(m["d1"]), m["y1"]), (m2, int(m["d2"]), m["y"]))
        bad = _impossible(m1, int(m["d1"]), first) or _impossible(m2, int(m["d2"]), last)
        groups.append(_range(m, first, last, bad))
    groups += _lists(scan, _DAY_LIST, today)
    for m in scan.take(_MONTH_RANGE, keep=lambda m: _no_day_before(scan, m)):
        m1, m2 = MONTHS[m["m1"]], MONTHS[m["m2"] or m["m2a"] or m["m1"]]
        first, last = _ends(today, (m1, int(m["d1"]), m["y1"]), (m2, int(m["d2"]), m["y"]))
        bad = _impossible(m1, int(m["d1"]), first) or _impossible(m2, int(m["d2"]), last)
        groups.append(_range(m, first, last, bad))
    groups += _lists(scan, _MONTH_LIST, today)
    for pattern in (_DAY_OF_MONTH, _MONTH_DAY, _DAY_MONTH):
        keep = (lambda m: _no_day_before(scan, m)) if pattern is _MONTH_DAY else None
        groups += _single(scan, pattern, lambda m: (MONTHS[m["m"]], int(m["d"])), today, keep)
    for pattern in (_ORDINAL, _EL_DAY):
        groups += [
            DateGroup(m.start(), maybe(day_of_month(today, int(m[1]))), None, m.end(), year="nearest")
            for m in scan.take(pattern)
        ]
    return groups


def _range(m: re.Match[str], first: date | None, last: date | None, bad: tuple[int, int] | None) -> DateGroup:
    """The days of a range of month names; none, and said so, when it goes back or runs past a month."""
    days = () if bad else span(first, last)
    unread = not days and bad is None and first is not None and last is not None
    return DateGroup(m.start(), days, bad, m.end(), year=_year(m["y"]), unread_range=unread)


def _lists(scan: Scanner, pattern: re.Pattern[str], today: date) -> list[DateGroup]:
    """Days listed with one month (and a year after the last, for all of them): each its own date, in one group.
    Listed days come in order (`Dec 20 and 2 more` lists nothing); a day no calendar has is named."""
    groups = []
    for m in scan.take(pattern, keep=lambda m: _ascending(_numbers(m["days"]))):
        month = MONTHS[m["m"]]
        found = [(day, month_day(today, month, day, m["y"])) for day in _numbers(m["days"])]
        bad = next((_impossible(month, day, at) for day, at in found if at is None), None)  # named, left out
        days = tuple(at for _, at in found if at is not None)
        groups.append(DateGroup(m.start(), days, bad, m.end(), year=_year(m["y"])))
    return groups


def _numbers(listed: str) -> list[int]:
    return [int(number) for number in re.findall(r"\d{1,2}", listed)]


def _ascending(days: list[int]) -> bool:
    return all(a < b for a, b in pairwise(days))


def _no_day_before(scan: Scanner, m: re.Match[str]) -> bool:
    """The month name that starts `m` does not end a day written before it (see `_A_DAY_BEFORE`)."""
    return _A_DAY_BEFORE.search(scan.text[: m.start()]) is None


def _single(
    scan: Scanner,
    pattern: re.Pattern[str],
    read: Callable[[re.Match[str]], tuple[int, int]],
    today: date,
    keep: Callable[[re.Match[str]], bool] | None = None,
) -> list[DateGroup]:
    groups = []
    for m in scan.take(pattern, keep):
        month, day = read(m)
        found = month_day(today, month, day, m["y"])
        groups.append(DateGroup(m.start(), maybe(found), _impossible(month, day, found), m.end(), year=_year(m["y"])))
    return groups


def _ends(
    today: date, first: tuple[int, int, str | None], last: tuple[int, int, str | None]
) -> tuple[date | None, date | None]:
    """A range's first and last days, each (month, day, year as written or None). A year written only at the end
    is the last day's: the first is the nearest before it (`Dec 30 - Jan 2, 2027` starts on Dec 30, 2026)."""
    (m1, d1, y1), (m2, d2, y2) = first, last
    if y2 and not y1:
        end = month_day(today, m2, d2, y2)
        return (_on_or_before(end, m1, d1) if end else None), end
    start = month_day(today, m1, d1, y1)
    return start, month_day(start or today, m2, d2, y2)


def _on_or_before(day: date, month: int, day_of_month: int) -> date | None:
    """The latest date with this month and day on or before `day`."""
    for year in (day.year, day.year - 1):
        found = valid(year, month, day_of_month)
        if found is not None and found <= day:
            return found
    return None


def _impossible(month: int, day: int, found: date | None) -> tuple[int, int] | None:
    """(month, day) when it looks like a date but no calendar has it (`Feb 30`, `13/5`, `12/45`); `24/7` is no date."""
    looks_like_one = 0 < month <= 31 and 0 < day <= 99 and min(month, day) <= 12 and (month, day) != (24, 7)
    return (month, day) if found is None and looks_like_one else None
