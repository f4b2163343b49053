"""What a new-user trial found: weekday abbreviations (`mar` is Tuesday or March), numeric dates in the writer's
language, 24-hour times written with a leading zero, and what a date no calendar has leaves missing."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.parsing import parse_request

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 6, 5, tzinfo=NY)  # a Monday


def days(text: str, lang: str | None = None) -> list[date]:
    return [shift.day for shift in parse_request(text, now=NOW, zone=NY, lang=lang, answering=True).shifts]


ABBREVIATIONS = {
    **dict.fromkeys(("lun", "mon"), date(2026, 12, 7)),
    **dict.fromkeys(("mar", "tue", "tues"), date(2026, 12, 1)),
    **dict.fromkeys(("mié", "mie", "wed"), date(2026, 12, 2)),
    **dict.fromkeys(("jue", "thu", "thur", "thurs"), date(2026, 12, 3)),
    **dict.fromkeys(("vie", "fri"), date(2026, 12, 4)),
    **dict.fromkeys(("sáb", "sab", "sat"), date(2026, 12, 5)),
    **dict.fromkeys(("dom", "sun"), date(2026, 12, 6)),
}


@pytest.mark.parametrize("pattern", ["{} 10:00", "{} 8-12", "floater {} 9am", "necesito flotante el {} de 8 a 12"])
def test_every_weekday_abbreviation_is_its_weekday(pattern: str) -> None:
    for word, weekday in ABBREVIATIONS.items():
        for lang in ("es",) if (word, pattern) == ("mar", "{} 8-12") else (None, "en", "es"):  # `Mar 8-12`: March
            assert days(pattern.format(word), lang) == [weekday], (word, lang)


MAR = [
    ("mar 1 dic 9:30", None, [date(2026, 12, 1)]),  # the way the bot writes a day
    ("mar 1 de dic", "en", [date(2026, 12, 1)]),
    ("de mar a jue 8-12", None, [date(2026, 12, d) for d in (1, 2, 3)]),
    ("mar y jue 9-11", None, [date(2026, 12, 1), date(2026, 12, 3)]),
    ("mar 10 8-12", "es", [date(2026, 12, 1)]),  # a Spanish writer's `mar` is martes
    ("necesito flotante mar 10 de 8 a 12", None, [date(2026, 12, 1)]),
    ("Mar 10 8-12", "en", [date(2027, 3, 10)]),  # an English writer's is March
    ("sub Mar 3 8-12", None, [date(2027, 3, 3)]),
    ("vacaciones 10 de mar", "es", [date(2027, 3, 10)]),
    ("every monday in mar 8-12", None, [date(2027, 3, d) for d in (1, 8, 15, 22, 29)]),
]


def test_mar_is_tuesday_or_march_by_language_and_context() -> None:
    for text, lang, expected in MAR:
        assert days(text, lang) == expected, (text, lang)


ENGLISH_WORDS = [
    ("I sat with the toddlers, need a floater tomorrow 8-12", [date(2026, 12, 1)]),
    ("she sat down sick, can someone cover fri 8-12", [date(2026, 12, 4)]),
    ("need a floater tomorrow 8-12, we'll be out in the sun", [date(2026, 12, 1)]),
    ("they got wed, floater fri 8-12", [date(2026, 12, 4)]),
    ("floater sat and sun 8-12", [date(2026, 12, 5), date(2026, 12, 6)]),
]


def test_sat_sun_and_wed_as_english_words_are_no_weekday() -> None:
    for text, expected in ENGLISH_WORDS:
        assert days(text, "en") == expected, text


@pytest.mark.parametrize(
    ("text", "lang", "expected", "ambiguous"),
    [
        ("10/12 9:30", "es", [date(2026, 12, 10)], False),
        ("10/12 9:30", "en", [date(2027, 10, 12)], False),
        ("10/12 9:30", None, [date(2027, 10, 12)], True),  # spec/parsing.md: month/day, flagged to be echoed
        ("necesito cobertura el 12/9 de 8 a 12", None, [date(2026, 12, 9)], True),
        ("21/12-23/12 7-3", "es", [date(2026, 12, d) for d in (21, 22, 23)], False),
        ("12/21-12/23 7-3", None, [date(2026, 12, d) for d in (21, 22, 23)], False),
        ("sub 12/12 8-12", None, [date(2026, 12, 12)], False),  # the same either way
        ("sub 12/25 8-12", None, [date(2026, 12, 25)], False),
    ],
)
def test_a_numeric_date_is_read_in_the_writers_language(
    text: str, lang: str | None, expected: list[date], ambiguous: bool
) -> None:
    parsed = parse_request(text, now=NOW, zone=NY, lang=lang)
    assert ([s.day for s in parsed.shifts], parsed.ambiguous_date) == (expected, ambiguous)
    assert parsed.as_json(details=True)["ambiguous_date"] is ambiguous


def test_a_spanish_date_that_does_not_exist_is_named_as_month_and_day() -> None:
    parsed = parse_request("necesito suplente el 31/4 de 8 a 12", now=NOW, zone=NY, lang="es")
    assert (parsed.shifts, parsed.impossible_date) == ((), (4, 31))


LEADING_ZERO = [
    ("today 05:00", time(5), None),
    ("today 07:30", time(7, 30), None),
    ("hoy a las 05:00", time(5), None),
    ("tomorrow 05:30-09:00", time(5, 30), time(9)),
    ("today 5:00", time(17), None),  # without the leading zero: child-care hours, as the spec says
    ("tomorrow 0500-0900", time(5), time(9)),
]


def test_a_time_with_a_leading_zero_is_read_as_written() -> None:
    for text, start, end in LEADING_ZERO:
        shift = parse_request(text, now=NOW, zone=NY).shifts[0]
        assert (shift.start, shift.end) == (start, end), text


def test_an_end_with_a_leading_zero_before_the_start_is_no_range() -> None:
    def hours(text: str) -> tuple[time | None, time | None]:
        shift = parse_request(text, now=NOW, zone=NY, answering=True).shifts[0]
        return shift.start, shift.end

    assert hours("tomorrow 10:00-02:00") == (None, None)  # asked again, not read as 10:00-14:00
    assert hours("tomorrow 10:00-2:00") == (time(10), time(14))


def test_a_date_no_calendar_has_leaves_the_date_missing() -> None:
    def missing(text: str) -> list[str]:
        return list(parse_request(text, now=NOW, zone=NY).as_json()["missing"])

    assert missing("floater feb 30 8-12") == ["date"]
    assert missing("can I get a floater Feb 30 8-12") == ["date"]
    assert missing("floater feb 30") == ["date", "start", "end"]
    assert missing("feb 30 8-12") == ["date"]
