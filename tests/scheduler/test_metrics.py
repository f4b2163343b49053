"""Each metric on hand-built frames: a normal week, nothing at all, everything cancelled, a silent site, DST."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from models.cover.reports import SHIFT_FIELDS
from scheduler.metrics.operations import by_site, credentials_current, operations, protected_hours_by_teacher
from scheduler.metrics.triangle import enrollment, finance
from scheduler.metrics.weeks import parse_week, week_of

NY = ZoneInfo("America/New_York")
WEEK = parse_week("2026-W49", NY)  # Monday 30 November – Sunday 6 December
AFTER = pd.Timestamp("2026-12-08T00:00Z")  # every shift of the week has started


def local(text: str) -> pd.Timestamp:
    return pd.Timestamp(datetime.fromisoformat(text).replace(tzinfo=NY)).tz_convert("UTC")


def shifts(*rows: tuple[object, ...]) -> pd.DataFrame:
    """(id, site, reason, requester, requested, starts, hours, status, accepted) with local ISO times."""
    records = []
    for shift_id, site, reason, requester, requested, starts, hours, status, accepted in rows:
        start = local(str(starts))
        records.append(
            {
                "shift_id": shift_id,
                "site": site,
                "reason": reason,
                "requester": requester,
                "requested_at": local(str(requested)),
                "starts_at": start,
                "ends_at": start + timedelta(hours=float(hours)),  # type: ignore[arg-type]
                "status": status,
                "accepted_at": local(str(accepted)) if accepted else pd.NaT,
            }
        )
    frame = pd.DataFrame(records, columns=list(SHIFT_FIELDS))
    for column in ("requested_at", "starts_at", "ends_at", "accepted_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


EVENTS = pd.DataFrame([(1, "accepted"), (2, "accepted"), (2, "dropped"), (2, "accepted")], columns=["shift_id", "kind"])
WEEK_SHIFTS = shifts(
    (1, "Sun", "planning", "Alice", "2026-11-25T10:00", "2026-12-01T08:00", 3, "filled", "2026-11-25T12:00"),
    (2, "Sun", "sick", "Chloe", "2026-12-02T05:30", "2026-12-02T07:00", 8, "filled", "2026-12-02T05:50"),
    (3, "Sun", "reflection", "Alice", "2026-12-03T09:00", "2026-12-03T13:00", 1, "open", None),
    (4, "Sun", "personal", "Chloe", "2026-12-01T09:00", "2026-12-04T08:00", 4, "cancelled", None),
    (5, "Casa", "training", "Maria", "2026-11-20T09:00", "2026-12-04T09:00", 2, "filled", "2026-12-04T09:30"),
    (6, "Sun", "planning", "Alice", "2026-12-06T09:00", "2026-12-08T08:00", 3, "filled", "2026-12-06T09:10"),
)


def test_a_normal_week_for_one_site() -> None:
    sun = operations(WEEK_SHIFTS[WEEK_SHIFTS["site"] == "Sun"], EVENTS, WEEK, AFTER)
    assert sun.requests == 4  # shift 6 starts next week
    assert sun.by_reason["sick"] == 1
    assert sun.by_reason["personal"] == 1
    assert math.isclose(sun.fill_rate, 2 / 3)  # the cancelled one is left out
    assert sun.median_time_to_fill_min == 70  # 120 and 20 minutes
    assert sun.median_time_to_fill_early_min == 20  # requested at 05:30
    assert sun.unfilled_at_start == 1
    assert sun.protected_hours == 3
    assert sun.rs_sessions_covered == 0
    assert math.isclose(sun.drop_rate, 1 / 3)
    assert math.isclose(sun.same_day_share, 2 / 3)  # shifts 2 and 3 were asked for on the day


def test_mid_week_a_shift_still_open_ahead_is_not_yet_unfilled() -> None:
    """/digest on Wednesday: Thursday's open shift may still be filled; it used to count as a miss."""
    wednesday = pd.Timestamp("2026-12-02T12:00", tz="America/New_York").tz_convert("UTC")
    sun = operations(WEEK_SHIFTS[WEEK_SHIFTS["site"] == "Sun"], EVENTS, WEEK, wednesday)
    assert (sun.filled, sun.decided, sun.live) == (2, 2, 3)  # shift 3 (Thu, open) is not decided yet
    assert sun.fill_rate == 1.0
    after = operations(WEEK_SHIFTS[WEEK_SHIFTS["site"] == "Sun"], EVENTS, WEEK, AFTER)
    assert (after.decided, after.fill_rate) == (3, 2 / 3)  # once the week is over: every shift


def test_filled_after_it_began_counts_as_unfilled_at_start() -> None:
    casa = operations(WEEK_SHIFTS[WEEK_SHIFTS["site"] == "Casa"], EVENTS, WEEK, AFTER)
    assert casa.fill_rate == 1
    assert casa.unfilled_at_start == 1  # accepted 30 minutes after the start
    assert casa.median_lead_time_h == 14 * 24


def test_a_week_with_no_requests_says_so_with_nan_not_zero() -> None:
    empty = operations(shifts(), pd.DataFrame(columns=["shift_id", "kind"]), WEEK, AFTER)
    assert empty.requests == 0
    assert math.isnan(empty.fill_rate)
    assert math.isnan(empty.median_time_to_fill_min)
    assert empty.protected_hours == 0
    assert empty.unfilled_at_start == 0
    everyone = by_site(WEEK_SHIFTS, EVENTS, WEEK, AFTER, ["Sun", "Casa", "Maple"])
    assert everyone["Maple"].requests == 0


def test_everything_cancelled() -> None:
    cancelled = WEEK_SHIFTS.assign(status="cancelled")
    week = operations(cancelled, EVENTS.iloc[0:0], WEEK, AFTER)
    assert week.requests == 5
    assert math.isnan(week.fill_rate)
    assert week.unfilled_at_start == 0
    assert week.protected_hours == 0


def test_protected_hours_per_teacher() -> None:
    assert protected_hours_by_teacher(WEEK_SHIFTS, WEEK).to_dict() == {"Alice": 3.0, "Maria": 2.0}


def test_a_week_across_the_end_of_daylight_saving_time() -> None:
    week = week_of(date(2026, 10, 28), NY)  # clocks go back on Sunday 1 November at 02:00
    assert week.end - week.start == timedelta(days=7, hours=1)
    late_sunday = shifts(
        (1, "Sun", "sick", "A", "2026-11-01T20:00", "2026-11-01T23:30", 1, "filled", "2026-11-01T20:10")
    )
    early_monday = shifts(
        (2, "Sun", "sick", "A", "2026-11-01T20:00", "2026-11-02T00:30", 1, "filled", "2026-11-01T20:10")
    )
    assert operations(late_sunday, EVENTS.iloc[0:0], week, AFTER).requests == 1
    assert operations(early_monday, EVENTS.iloc[0:0], week, AFTER).requests == 0
    assert operations(early_monday, EVENTS.iloc[0:0], week_of(date(2026, 11, 2), NY), AFTER).requests == 1


PULSE = pd.DataFrame(
    [
        ("Sun", "enrolled_fte", "2026-W49", 58.0),
        ("Sun", "staffed_capacity_fte", "2026-W49", 64.0),
        ("Casa", "enrolled_fte", "2026-W49", 30.0),
        ("Casa", "staffed_capacity_fte", "2026-W49", 40.0),
        ("Sun", "enrolled_fte", "2026-W48", 50.0),
    ],
    columns=["site", "key", "period", "value"],
)


def test_enrollment_with_a_site_that_never_answered() -> None:
    sites, alliance = enrollment(PULSE, "2026-W49", ["Sun", "Casa", "Maple"])
    assert math.isclose(sites["Sun"].enrollment_pct, 58 / 64)
    assert sites["Casa"].vacancies == 10
    assert not sites["Maple"].answered
    assert math.isnan(sites["Maple"].enrollment_pct)
    assert math.isclose(alliance.enrollment_pct, 88 / 104)  # the sites that answered
    _sites, nobody = enrollment(PULSE, "2026-W40", ["Sun"])
    assert not nobody.answered
    assert math.isnan(nobody.enrollment_pct)


def test_finance_with_trailing_bad_debt() -> None:
    months = pd.DataFrame(
        [
            (site, key, month, value)
            for site in ("Sun", "Casa")
            for month, billed, collected in (
                ("2026-09", 50_000, 49_000),
                ("2026-10", 50_000, 48_000),
                ("2026-11", 60_000, 57_000),
            )
            for key, value in (("fees_billed", billed), ("fees_collected", collected))
        ]
        + [("Sun", "operating_expenses", "2026-11", 80_000), ("Sun", "revenue", "2026-11", 90_000)],
        columns=["site", "key", "period", "value"],
    )
    result = finance(months, ["2026-09", "2026-10", "2026-11"], enrolled_fte=60)
    assert math.isclose(result.collection_pct, 114_000 / 120_000)
    assert math.isclose(result.bad_debt_pct, (320_000 - 308_000) / 320_000)
    assert math.isclose(result.cost_per_child, 80_000 / 60)
    assert math.isclose(result.revenue_per_child, 1_500)
    assert math.isclose(result.break_even_fte, 80_000 / 1_500)


def test_weeks_chain_back_and_parse() -> None:
    assert WEEK.previous().label == "2026-W48"
    assert week_of(date(2027, 1, 1), NY).label == "2026-W53"
    assert WEEK.start.isoformat() == "2026-11-30T05:00:00+00:00"


def test_credentials_current_on_the_date() -> None:
    credentials = pd.DataFrame(
        [
            ("Ada", "background_check", None),
            ("Ada", "cpr_first_aid", date(2027, 1, 1)),
            ("Bea", "background_check", None),
            ("Bea", "cpr_first_aid", date(2026, 12, 1)),
            ("Cy", "cpr_first_aid", None),
        ],
        columns=["person", "code", "expires_on"],
    )
    required = ("background_check", "cpr_first_aid")
    assert credentials_current(credentials, ["Ada", "Bea", "Cy"], date(2026, 11, 30), required) == 2 / 3
    assert credentials_current(credentials, ["Ada", "Bea", "Cy"], date(2026, 12, 2), required) == 1 / 3
    assert math.isnan(credentials_current(credentials.iloc[0:0], [], date(2026, 12, 2), required))
