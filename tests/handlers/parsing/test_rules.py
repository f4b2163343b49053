"""Rules the corpus does not pin down on its own: missing parts, room names, and properties of any text."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.parsing import ParsedRequest, parse_request

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 6, 5, tzinfo=NY)


def parse(text: str, **kwargs: object) -> dict[str, object]:
    return parse_request(text, now=NOW, zone=NY, **kwargs).as_json()  # type: ignore[arg-type]


def test_missing_says_what_to_ask_next() -> None:
    assert parse("need a sub tomorrow")["missing"] == ["start", "end"]
    assert parse("need someone tomorrow at 10")["missing"] == ["end"]
    assert parse("need a floater please")["missing"] == ["date", "start", "end"]
    assert parse("thanks!")["missing"] == []


def test_a_room_of_the_site_counts_as_its_age_group() -> None:
    rooms = {"Butterflies": "toddler", "Little Sprouts": "infant"}
    assert parse("need cover for little sprouts tomorrow 8-12", rooms=rooms)["age_group"] == "infant"
    assert parse("Butterflies room tmrw 9-11", rooms=rooms)["age_group"] == "toddler"
    assert parse("butterflies tmrw 9-11")["age_group"] is None


def test_an_aware_now_is_read_in_the_sites_zone() -> None:
    # 03:00 UTC on Dec 1 is still Nov 30 in New York: "tomorrow" is Dec 1.
    late = datetime.fromisoformat("2026-12-01T03:00+00:00")
    shifts = parse_request("sub tomorrow 8-12", now=late, zone=NY).shifts
    assert [s.day for s in shifts] == [date(2026, 12, 1)]


def test_a_date_no_calendar_has_is_named_for_the_chat() -> None:
    cases = (("floater Feb 30 8-12", (2, 30)), ("sub 13/5", (13, 5)), ("el 31 de abril", (4, 31)))
    for text, said in (*cases, ("floater Feb 27-30 8-12", (2, 30))):  # a range's last day too: not tomorrow
        parsed = parse_request(text, now=NOW, zone=NY)
        assert (parsed.shifts, parsed.past, parsed.impossible_date) == ((), False, said), text
    assert parse_request("sub 12/8 8-12", now=NOW, zone=NY).impossible_date is None
    assert parse_request("open 24/7", now=NOW, zone=NY).impossible_date is None


def test_a_room_that_is_not_the_sites_is_named_as_written() -> None:
    rooms = {"Butterflies": "toddler", "Little Sprouts": "infant"}

    def unknown(text: str) -> str | None:
        return parse_request(text, now=NOW, zone=NY, rooms=rooms).unknown_room

    assert unknown("need a floater tomorrow in the Mariposas room") == "Mariposas"
    assert unknown("salón de las Ardillas mañana de 8 a 12") == "Ardillas"
    assert unknown("NEED FLOATER BLUE BIRD ROOM FRI 8-12") == "BLUE BIRD"
    for text in ("Butterflies room tmrw", "sprouts room 8-12", "my room tmrw", "the infant room", "school age room"):
        assert unknown(text) is None, text
    assert unknown("salón de bebés mañana") is None
    assert parse_request("Butterflies room tmrw", now=NOW, zone=NY).unknown_room == "Butterflies"


def test_a_date_far_ahead_or_in_another_year_is_flagged() -> None:
    def far(text: str, now: datetime = NOW) -> bool:
        return parse_request(text, now=now, zone=NY).far_ahead

    assert far("sub 2/10 8-12")  # next year
    assert far("sub jan 4 8-12", now=datetime(2026, 12, 28, 7, tzinfo=NY))
    assert not far("sub 12/21 8-12")
    assert far("need someone 3/2 8-12", now=datetime(2026, 1, 2, 7, tzinfo=NY))  # nine weeks ahead
    assert not far("need someone 2/20 8-12", now=datetime(2026, 1, 2, 7, tzinfo=NY))


def test_a_year_written_with_the_date_is_the_dates_year() -> None:
    """`Dec 20, 2027` is a year from now, not this December: the year is read wherever the writer put it (and
    such a day is far ahead, so the chat still echoes it with its year to be confirmed)."""
    cases = {
        "floater Dec 20, 2027 8-12": [date(2027, 12, 20)],
        "floater December 20th 2027 8-12": [date(2027, 12, 20)],
        "floater 20 December 2027 8-12": [date(2027, 12, 20)],
        "floater the 20th of December, 2027 8-12": [date(2027, 12, 20)],
        "floater March 3 2028 8-12": [date(2028, 3, 3)],
        "flotante 20 de diciembre de 2027 de 8 a 12": [date(2027, 12, 20)],
        "flotante 20 dic 2027 8-12": [date(2027, 12, 20)],
        "flotante del 21 al 22 de diciembre de 2027 de 8 a 12": [date(2027, 12, 21), date(2027, 12, 22)],
        "floater Dec 21-22, 2027 8-12": [date(2027, 12, 21), date(2027, 12, 22)],
        "floater 2027-12-20 8-12": [date(2027, 12, 20)],
        "floater 12/20/2027 8-12": [date(2027, 12, 20)],
        "floater Dec 20 8-12": [date(2026, 12, 20)],  # no year: the next Dec 20, as before
        "floater 2027/12/20 8-12": [date(2027, 12, 20)],
        "flotante el 20 de diciembre del 2027 de 8 a 12": [date(2027, 12, 20)],
        "flotante el 20 dic. 2027 8-12": [date(2027, 12, 20)],  # `el` goes with the date: `el 8` is no day
        "floater 12/20/2027-12/22/2027 8-12": [date(2027, 12, 20), date(2027, 12, 21), date(2027, 12, 22)],
        "floater December 20, 2027 to December 22, 2027 8-12": [date(2027, 12, d) for d in (20, 21, 22)],
        # A year written at the end of a range across New Year is its last day's.
        "floater Dec 30 - Jan 2, 2027 8-12": [
            date(2026, 12, 30),
            date(2026, 12, 31),
            date(2027, 1, 1),
            date(2027, 1, 2),
        ],
        "flotante del 30 de diciembre al 1 de enero de 2027 de 8 a 12": [date(2026, 12, d) for d in (30, 31)]
        + [date(2027, 1, 1)],
        # A year written once is that of the dates listed with it, each the nearest to the dated one.
        "flotante el 20 y 21 de diciembre de 2027 de 8 a 12": [date(2027, 12, 20), date(2027, 12, 21)],
        "floater Dec 20 and Dec 21, 2027 8-12": [date(2027, 12, 20), date(2027, 12, 21)],
        "floater Dec 30 and Jan 2, 2027 8-12": [date(2026, 12, 30), date(2027, 1, 2)],
        "floater Dec 20, 2027 and Dec 21 8-12": [date(2027, 12, 20), date(2027, 12, 21)],
        # ... whichever comes first, and never into the past or a year away.
        "floater Dec 21 and Dec 20, 2027 8-12": [date(2027, 12, 20), date(2027, 12, 21)],
        "flotante el 22 y el 20 de diciembre de 2026 de 8 a 12": [date(2026, 12, 20), date(2026, 12, 22)],
        "floater Dec 20, 2027 and Dec 1 8-12": [date(2027, 12, 1), date(2027, 12, 20)],
        # A year before a range word that starts no 24-hour time is a year.
        "floater Dec 20, 2027 - 8 to 12": [date(2027, 12, 20)],
        "flotante del 30 de diciembre de 2026 al 2 de enero de 2027 de 8 a 12": [date(2026, 12, d) for d in (30, 31)]
        + [date(2027, 1, d) for d in (1, 2)],
    }
    for text, days in cases.items():
        parsed = parse_request(text, now=NOW, zone=NY)
        assert [s.day for s in parsed.shifts] == days, text
        assert [(s.start, s.end) for s in parsed.shifts] == [(time(8), time(12))] * len(days), text
        assert parsed.far_ahead == (max(days).year != 2026), text
    past = parse_request("floater Dec 20, 2025 8-12", now=NOW, zone=NY)
    assert (past.shifts, past.past) == ((), True)  # a year written in the past is the past, not next December
    assert parse_request("floater Feb 29 2027 8-12", now=NOW, zone=NY).impossible_date == (2, 29)
    # Four bare digits that start a time range are hours, not a year: 20:00–23:00 on Dec 20 ...
    evening = parse_request("floater Dec 20 2000-2300", now=NOW, zone=NY).shifts
    assert [(s.day, s.start, s.end) for s in evening] == [(date(2026, 12, 20), time(20), time(23))]
    # ... but a year after a comma or `de` is one, whatever hours follow it.
    for text, hours in (
        ("floater Dec 20, 2027 - 0800-1200", (time(8), time(12))),
        ("floater Dec 21, 2027 - 730 to 1530", (time(7, 30), time(15, 30))),
        ("floater Dec 20, 2027 - 2030 to 2200", (time(20, 30), time(22))),
        ("flotante el 20 de diciembre de 2027 de 0800 a 1200", (time(8), time(12))),
    ):
        (shift,) = parse_request(text, now=NOW, zone=NY).shifts
        assert (shift.day.year, (shift.start, shift.end)) == (2027, hours), text


def test_every_week_is_flagged_and_read_with_its_bound() -> None:
    weekly = parse_request("every monday 8-12", now=NOW, zone=NY)
    assert weekly.weekly
    assert [s.day for s in weekly.shifts] == [date(2026, 12, d) for d in (7, 14, 21, 28)]
    assert not parse_request("next monday 8-12", now=NOW, zone=NY).weekly
    other = parse_request("every other friday 9-11 for 3 weeks", now=NOW, zone=NY)
    assert [s.day for s in other.shifts] == [date(2026, 12, 4), date(2026, 12, 18), date(2027, 1, 1)]


def test_past_is_only_what_is_over() -> None:
    early = datetime(2026, 12, 3, 7, 15, tzinfo=NY)
    assert parse_request("sick today 7-3", now=early, zone=NY).past is False
    late = datetime(2026, 12, 3, 15, 30, tzinfo=NY)
    over = parse_request("sick today 7-3", now=late, zone=NY)
    assert (over.shifts, over.past, over.reason) == ((), True, "sick")
    mixed = parse_request("ayer y mañana de 8 a 12", now=NOW, zone=NY)
    assert (len(mixed.shifts), mixed.past) == (1, False)
    assert parse_request("see you tomorrow", now=NOW, zone=NY).past is False
    afternoon = datetime(2026, 11, 30, 14, tzinfo=NY)
    gone = parse_request("need a sub today 8-12", now=afternoon, zone=NY)
    assert (gone.shifts, gone.past) == ((), True)
    assert [(s.day, s.start, s.end) for s in gone.past_shifts] == [(date(2026, 11, 30), time(8), time(12))]
    assert [s.day for s in mixed.past_shifts] == [date(2026, 11, 29)]
    assert parse_request("hello", now=NOW, zone=NY).past is False


def test_missing_site_hours_default_on_their_own() -> None:
    def day(text: str, **hours: time) -> tuple[time | None, time | None]:
        shift = parse_request(text, now=NOW, zone=NY, **hours).shifts[0]  # type: ignore[arg-type]
        return shift.start, shift.end

    assert day("all day friday") == (time(7), time(18))
    assert day("all day friday", opens=time(6, 30)) == (time(6, 30), time(18))
    assert day("all day friday", closes=time(17, 30)) == (time(7), time(17, 30))
    assert day("friday afternoon", closes=time(17, 30)) == (time(12), time(17, 30))


def test_words_that_look_like_parts_of_the_day_but_are_not() -> None:
    def hours(text: str) -> list[tuple[time | None, time | None]]:
        return [(s.start, s.end) for s in parse_request(text, now=NOW, zone=NY).shifts]

    assert hours("Good morning! can someone cover tues 8-12") == [(time(8), time(12))]
    assert hours("buenas tardes, necesito flotante el jueves") == [(None, None)]
    assert hours("I am sick, need someone tomorrow") == [(None, None)]
    assert hours("pm me if you can cover tomorrow") == [(None, None)]
    assert hours("tomorrow afternoon at 6") == [(time(18), None)]
    assert hours("dec 3 in the morning") == [(time(7), time(12))]


def test_the_first_rounds_way_of_building_a_result_still_works() -> None:
    old = ParsedRequest((), "toddler", None)
    assert (old.room, old.asks, old.past, old.past_shifts, old.weekly) == (None, False, False, (), False)
    assert (old.impossible_date, old.unknown_room, old.far_ahead) == (None, None, False)
    assert set(old.as_json()) == {"shifts", "age_group", "reason", "missing", "past"}


WORDS = [
    *("need", "sub", "tomorrow", "mañana", "friday", "el", "lunes", "12/8", "dec", "9", "8-12", "7a-3p", "at"),
    *("3", "for", "an", "hour", "de", "a", "12", "and", "y", "next", "week", "the", "18th", "noon", "-", "to"),
    *("😷", "pm", "am", "13:00", "2s", "room", "sick", "planning", "por", "2", "horas"),
    # the second round
    *("yesterday", "ayer", "last", "pasado", "this", "morning", "esta", "la", "tarde", "afternoon", "all day"),
    *("todo el día", "11/29", "nov 24", "feb 30", "13/5", "31 de abril", "0800-1200", "8h-12h", "8.30-12"),
    *("a las", "desde las", "hasta las", "hrs", "hora y media", "media hora", "half an hour", "90 min", "1.5"),
    *("every", "todos los", "cada", "monday", "mondays", "in december", "until", "12/18", "for 3 weeks"),
    *("semanas", "other", "Mariposas", "salón", "maternal", "los de 3", "kinder prep", "my daughter", "fiebre"),
    *("thanks", "covering", "today", "hoy", "anoche", "the 3rd", "el 3", "6-8pm", "in the morning", "de la tarde"),
    # the new-user trial
    *("mar", "mar 1 dic", "sat", "sun", "I sat", "the sun", "10/12", "21/12-23/12", "05:00", "07:30-0900"),
]
messages = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join))
site_hours = st.tuples(st.integers(5, 10), st.integers(14, 20)).map(lambda h: (time(h[0]), time(h[1])))


@settings(max_examples=600, deadline=None)
@given(
    text=messages,
    offset_minutes=st.integers(min_value=0, max_value=60 * 24 * 400),
    hours=st.one_of(st.none(), site_hours),
    lang=st.sampled_from([None, "en", "es"]),
)
def test_any_text_reads_without_error_and_keeps_the_invariants(
    text: str, offset_minutes: int, hours: tuple[time, time] | None, lang: str | None
) -> None:
    now = NOW + timedelta(minutes=offset_minutes)
    opens, closes = hours or (None, None)
    parsed = parse_request(text, now=now, zone=NY, opens=opens, closes=closes, lang=lang)
    for shift in parsed.shifts:
        assert shift.day >= now.date()
        if shift.start is not None and shift.end is not None:
            assert shift.end > shift.start
        # never a past shift: a shift today has not ended yet
        assert not (shift.day == now.date() and shift.end is not None and shift.end <= now.time())
    assert not (parsed.past and parsed.shifts)
    assert list(parsed.shifts) == sorted(parsed.shifts, key=lambda s: (s.day, s.start or time.min, s.end or time.min))
    assert parse_request(text, now=now, zone=NY, opens=opens, closes=closes, lang=lang) == parsed


def days_and_hours(text: str) -> list[tuple[object, object, object]]:
    return [(s["date"], s["start"], s["end"]) for s in parse(text)["shifts"]]  # type: ignore[attr-defined]


def test_days_listed_with_one_month_are_each_asked_for() -> None:
    """`Dec 20 & 21` used to ask for the 20th alone, and `el 20 y 21 de diciembre 8-12` for December 8 to 12 and
    the 20th, without hours: every listed day is read, before or after the month's name."""
    both = [("2026-12-20", "08:00", "12:00"), ("2026-12-21", "08:00", "12:00")]
    for text in (
        "need a floater Dec 20 & 21 8-12",
        "need a floater Dec 20 and 21 8-12",
        "floater dec 20, 21 8-12",
        "floater the 20th and 21st of December 8-12",
        "floater 20 and 21 December 8-12",
        "necesito un flotante el 20 y 21 de diciembre 8-12",
        "flotante el 20 y el 21 de diciembre de 8 a 12",
        "flotante el domingo 20 y el lunes 21 de diciembre de 8 a 12",  # the weekdays only name those dates
        "floater Sunday 20 and Monday 21 December 8-12",
    ):
        assert days_and_hours(text) == both, text
    for text in (
        "floater Dec 21, 22, and 23 8-12",  # a comma before `and` too
        "floater Dec 21, 22, & 23 8-12",
        "flotante el 21, 22, y 23 de diciembre de 8 a 12",
    ):
        assert [day for day, _, _ in days_and_hours(text)] == ["2026-12-21", "2026-12-22", "2026-12-23"], text
    for text in ("need a floater Dec 21 & 22 toddler room 8-12", "need a floater Dec 21 & 22 room 3 8-12"):
        assert [day for day, _, _ in days_and_hours(text)] == ["2026-12-21", "2026-12-22"], text
    three = days_and_hours("floater Dec 20, 21 and 22, 2027 8-12")
    assert [day for day, _, _ in three] == ["2027-12-20", "2027-12-21", "2027-12-22"]  # the year is all of theirs


def test_a_number_after_a_listed_day_may_be_hours_or_a_count() -> None:
    for text in ("floater Dec 20, 8-12", "floater Dec 20, 8 to 12", "floater Dec 20 and 2 floaters 8-12"):
        assert days_and_hours(text) == [("2026-12-20", "08:00", "12:00")], text
    no_32nd = parse("floater Dec 20 & 32 8-12")  # the 20th kept, the 32nd named
    assert (no_32nd["shifts"], no_32nd["impossible_date"]) == (
        parse("floater Dec 20 8-12")["shifts"],
        {"month": 12, "day": 32},
    )


def test_a_range_that_goes_back_or_past_a_month_is_said_and_no_day_guessed() -> None:
    for text in ("floater Dec 22-20 8-12", "floater Dec 1 - Jan 15 8-12", "flotante del 22 al 20 de diciembre"):
        parsed = parse_request(text, now=NOW, zone=NY)
        assert (parsed.shifts, parsed.unread_range, "date" in parsed.missing) == ((), True, True), text
    assert parse("floater Dec 22-20 8-12")["unread_range"] is True
    assert "unread_range" not in parse("floater Dec 21-23 8-12")  # said only when it is so
    assert parse_request("floater Dec 30 - Jan 2 8-12", now=NOW, zone=NY).unread_range is False


def test_hours_after_a_day_written_before_its_month_are_hours() -> None:
    """`21 december 8-12` is the 21st from 8 to 12, not December 8 to 12 (`Dec 8-12` still is)."""
    for text in (
        "floater 21 december 8-12",
        "floater the 21st of December 8-12",
        "necesito un flotante el 21 de diciembre 8-12",
        "necesito flotante 21 dic 8-12",
    ):
        assert days_and_hours(text) == [("2026-12-21", "08:00", "12:00")], text
    assert [day for day, _, _ in days_and_hours("floater Dec 8-12")] == [f"2026-12-{d:02}" for d in range(8, 13)]
    room_three = days_and_hours("floater room 3 Dec 21-23 8-12")
    assert [day for day, _, _ in room_three] == ["2026-12-21", "2026-12-22", "2026-12-23"]


def test_next_week_without_its_day_gives_no_shift_and_keeps_the_hours() -> None:
    """`next week 9-11` used to be today's 9-11; with a weekday it is that day of next week."""
    for text in ("floater next week 9-11", "necesito suplente la semana que viene de 9 a 11"):
        parsed = parse_request(text, now=NOW, zone=NY)
        assert (parsed.shifts, parsed.week_unread, parsed.loose_hours) == (
            (),
            date(2026, 12, 7),
            ((time(9), time(11)),),
        )
        assert parsed.missing == ("date",)
    tuesday = parse_request("floater tuesday next week 9-11", now=NOW, zone=NY)
    assert ([s.day for s in tuesday.shifts], tuesday.week_unread) == ([date(2026, 12, 8)], None)


def test_personal_said_alone_is_the_reason() -> None:
    """ "…8am-noon personal" and "asunto personal" asked the reason again."""
    for text in ("need a floater tomorrow 8am-noon personal", "necesito suplente mañana de 8 a 12, asunto personal"):
        assert parse_request(text, now=NOW, zone=NY).reason == "personal", text
    assert parse_request("sick tomorrow 8-12, personal", now=NOW, zone=NY).reason == "sick"  # sick comes first


def test_this_week_without_its_day_gives_no_shift_either() -> None:
    wednesday = NOW + timedelta(days=2)
    parsed = parse_request("floater this week 9-11", now=wednesday, zone=NY)
    assert (parsed.shifts, parsed.week_unread) == ((), date(2026, 11, 30))  # its Monday
    thursday = parse_request("floater thursday this week 9-11", now=wednesday, zone=NY)
    assert [s.day for s in thursday.shifts] == [date(2026, 12, 3)]


def test_spanish_personal_meaning_the_staff_is_no_reason() -> None:
    for text in ("necesito suplente mañana de 8 a 12, nos falta personal", "suplente mañana 8-12, reunión de personal"):
        assert parse_request(text, now=NOW, zone=NY).reason is None, text


def test_the_whole_of_a_named_week_is_each_of_its_weekdays() -> None:
    """ "all next week 9-11" asked for one day."""
    wednesday = NOW + timedelta(days=2)
    for text in ("floater all next week 9-11", "necesito suplente toda la semana que viene de 9 a 11"):
        days = [s.day for s in parse_request(text, now=wednesday, zone=NY).shifts]
        assert days == [date(2026, 12, 7) + timedelta(days=n) for n in range(5)], text
    this_week = parse_request("floater every day this week 9-11", now=wednesday, zone=NY).shifts
    assert [s.day for s in this_week] == [date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)]
    assert parse_request("floater next week 9-11, all toddlers", now=wednesday, zone=NY).shifts == ()
