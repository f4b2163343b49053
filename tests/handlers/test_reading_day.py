"""Days are written with their year when they are far from the day they are read on (`read_on`), in both
languages, and a message rendered before is not served from the cache with the other form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.i18n import Span, _, read_on

TODAY = date(2026, 12, 3)


def test_a_day_over_eight_weeks_away_is_written_with_its_year_where_it_is_read() -> None:
    far, near, past = (
        _("{day}", day=date(2027, 12, 20)),
        _("{day}", day=date(2027, 1, 7)),
        _("{day}", day=date(2026, 9, 1)),
    )
    assert far.render("en") == "Mon 20 Dec"  # rendered outside any reading day first: the cache must not keep it
    with read_on(TODAY):
        assert far.render("en") == "Mon 20 Dec 2027"
        assert far.render("es") == "lun 20 dic de 2027"
        assert near.render("en") == "Thu 7 Jan"  # next year, but five weeks on: plain
        assert past.render("es") == "mar 1 sept de 2026"
        start = datetime(2027, 12, 20, 13, tzinfo=UTC)
        span = Span(start, start + timedelta(hours=4), ZoneInfo("America/New_York"))
        assert _("{when}", when=span).render("en") == "Mon 20 Dec 2027, 08:00–12:00"
    assert far.render("en") == "Mon 20 Dec"
