"""Rules the corpus does not pin down on its own: missing parts, room names, and properties of any text."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.parsing import parse_request

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


messages = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            [
                "need",
                "sub",
                "tomorrow",
                "mañana",
                "friday",
                "el",
                "lunes",
                "12/8",
                "dec",
                "9",
                "8-12",
                "7a-3p",
                "at",
                "3",
                "for",
                "an",
                "hour",
                "de",
                "a",
                "12",
                "and",
                "y",
                "next",
                "week",
                "the",
                "18th",
                "noon",
                "-",
                "to",
                "😷",
                "pm",
                "am",
                "13:00",
                "2s",
                "room",
                "3",
                "sick",
                "planning",
                "por",
                "2",
                "horas",
            ]
        ),
        max_size=14,
    ).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(text=messages, offset_minutes=st.integers(min_value=0, max_value=60 * 24 * 400))
def test_any_text_reads_without_error_and_keeps_the_invariants(text: str, offset_minutes: int) -> None:
    now = NOW + timedelta(minutes=offset_minutes)
    parsed = parse_request(text, now=now, zone=NY)
    for shift in parsed.shifts:
        assert shift.day >= now.date()
        if shift.start is not None and shift.end is not None:
            assert shift.end > shift.start
    assert list(parsed.shifts) == sorted(parsed.shifts, key=lambda s: (s.day, s.start or datetime.min.time()))
    assert parse_request(text, now=now, zone=NY) == parsed
