"""The per-site table as a director reads it: headers in the Hub's language, percentages and times rounded, a blank
where there is no answer or nothing to count (never 0), and an explanation of every column with its target."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd
from babel.numbers import format_percent

from handlers.i18n import Msg, _, verbatim
from scheduler.digest.build import FILL_TARGET, Digest, table
from scheduler.metrics.triangle import BAD_DEBT_TARGET, ENROLLMENT_BUDGET, ENROLLMENT_WELL_RUN


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"  # a share, shown ×100 with one decimal
    DECIMAL = "decimal"  # hours, places: one decimal
    WHOLE = "whole"  # minutes: whole numbers
    YES_NO = "yes_no"


@dataclass(frozen=True)
class Column:
    key: str  # the column of `build.table`
    header: Msg
    kind: Kind
    meaning: Msg
    target: Msg | None = None


def columns(digest: Digest, lang: str) -> tuple[Column, ...]:
    """Every column of the table, in order, with what it counts and the target it is read against."""
    fill_target = _("at least {pct}", pct=percent(FILL_TARGET, lang))
    return (
        Column("site", _("Site"), Kind.TEXT, _("The site, as named in the roster.")),
        Column(
            "requests",
            _("Shifts requested"),
            Kind.COUNT,
            _("Shifts starting this week that a teacher asked cover for."),
        ),
        Column("fill_rate", _("Fill rate (%)"), Kind.PERCENT, _("Shifts filled, of those not cancelled."), fill_target),
        Column(
            "fill_rate_last_week",
            _("Fill rate last week (%)"),
            Kind.PERCENT,
            _("The same, the week before."),
            fill_target,
        ),
        Column(
            "unfilled_at_start",
            _("Unfilled when they began"),
            Kind.COUNT,
            _("Shifts that began with nobody to cover them."),
            _("none"),
        ),
        Column(
            "median_time_to_fill_min",
            _("Median time to fill (min)"),
            Kind.WHOLE,
            _("Minutes from the request to a floater accepting."),
        ),
        Column(
            "median_lead_time_h",
            _("Median notice (h)"),
            Kind.DECIMAL,
            _("Hours from the request to the shift's start."),
        ),
        Column(
            "same_day_share", _("Asked the same day (%)"), Kind.PERCENT, _("Requests made on the day of the shift.")
        ),
        Column(
            "protected_hours",
            _("Protected time covered (h)"),
            Kind.DECIMAL,
            _("Hours of planning, reflection and training that were covered."),
        ),
        Column(
            "protected_hours_last_week",
            _("Protected time covered last week (h)"),
            Kind.DECIMAL,
            _("The same, the week before."),
        ),
        Column(
            "drop_rate", _("Dropped after accepting (%)"), Kind.PERCENT, _("Accepted shifts a floater later dropped.")
        ),
        Column(
            "enrollment_pct",
            _("Enrollment (% of staffed capacity)"),
            Kind.PERCENT,
            _("Enrolled FTE ÷ staffed capacity FTE, from the director's weekly pulse."),
            _(
                "budget {budget}, well run {well_run}",
                budget=percent(ENROLLMENT_BUDGET, lang),
                well_run=percent(ENROLLMENT_WELL_RUN, lang),
            ),
        ),
        Column("vacancies", _("Open places (FTE)"), Kind.DECIMAL, _("Staffed capacity minus enrolled, in FTE.")),
        Column(
            "answered_pulse", _("Answered the pulse"), Kind.YES_NO, _("Whether the director answered the weekly pulse.")
        ),
        Column(
            "rs_hours_held",
            _("Reflective supervision held (h)"),
            Kind.DECIMAL,
            _("Hours of reflective supervision held this week."),
        ),
        Column(
            "rs_teachers_behind_pace",
            _("Teachers behind the supervision pace"),
            Kind.COUNT,
            _("Teachers with fewer supervision hours so far than the yearly pace asks."),
            _("none (pace: {hours} h a year per teacher)", hours=digest.rs_target_hours),
        ),
    )


def readable(digest: Digest, lang: str) -> pd.DataFrame:
    """`build.table` with readable headers and rounded values; NaN stays blank in CSV and XLSX."""
    raw = table(digest)
    out = {}
    for column in columns(digest, lang):
        values = raw[column.key] if column.key in raw else pd.Series(dtype=object)
        out[column.header.render(lang)] = _shown(values, column.kind, lang)
    return pd.DataFrame(out)


def about(digest: Digest, lang: str) -> pd.DataFrame:
    """The "About" sheet: each column, what it counts and its target; then the Alliance-wide targets of the text."""
    rows = [(c.header, c.meaning, c.target) for c in columns(digest, lang)]
    rows += [
        (
            _("Bad debt"),
            _("Alliance-wide, over the last three months (in the digest's text)."),
            _("under {pct}", pct=percent(BAD_DEBT_TARGET, lang)),
        ),
        (
            _("Floaters' credentials current"),
            _("Floaters with background check and CPR current (in the digest's text)."),
            verbatim(percent(1.0, lang)),
        ),
        (_("(blank cell)"), _("No answer, or nothing to count this week — never zero."), None),
    ]
    return pd.DataFrame(
        [[item.render(lang) if item is not None else "" for item in row] for row in rows],
        columns=[_("Column").render(lang), _("What it counts").render(lang), _("Target").render(lang)],
    )


def _shown(values: pd.Series, kind: Kind, lang: str) -> pd.Series:
    if kind is Kind.PERCENT:
        return (values.astype(float) * 100).round(1)
    if kind is Kind.DECIMAL:
        return values.astype(float).round(1)
    if kind is Kind.WHOLE:
        return values.astype(float).round().astype("Int64")
    if kind is Kind.YES_NO:
        return values.map(lambda answered: (_("yes") if answered else _("no")).render(lang))
    return values


def percent(share: float, lang: str) -> str:
    """A share as people read it in their language ("75%", "75 %"); a dash when there is nothing to count."""
    return "—" if math.isnan(share) else format_percent(share, locale=lang)
