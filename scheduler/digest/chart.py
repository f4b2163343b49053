"""The digest's picture: the Alliance and the sites that most need attention — chosen by the text digest's own rule
(`Digest.needing_attention`) — never one bar per site. Three panels: shifts filled ("3 of 4"), shifts unfilled when
they began, enrollment against the 85 % and 95 % lines. A missing figure is written out ("no answer"), never drawn
as zero; the legend sits under the panels, so it covers no bar."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.numbers import format_decimal

from handlers.i18n import Msg, _
from scheduler.digest.build import FILL_TARGET, Digest, SiteWeek
from scheduler.digest.columns import percent
from scheduler.metrics.triangle import ENROLLMENT_BUDGET, ENROLLMENT_WELL_RUN, Enrollment

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import LineStyleType

    from scheduler.metrics.operations import Operations

CHART_SITES = 8  # the first three are the ones the text digest lists
NAME_CHARS = 28
WIDTH_IN, ROW_IN, TOP_IN, BOTTOM_IN, GAP_IN, LEFT_IN, RIGHT_IN, SPACE_IN = 12, 0.42, 0.85, 0.75, 0.4, 2.2, 0.3, 0.25
FILL, UNFILLED, ENROLLED, TOTAL, MISSING = "#2c7fb8", "#fd8d3c", "#807dba", "#252525", "#8c8c8c"
FILL_LINE: tuple[str, LineStyleType] = ("#d95f02", "--")
BUDGET_LINE: tuple[str, LineStyleType] = ("#e7298a", "-.")
WELL_RUN_LINE: tuple[str, LineStyleType] = ("#1b9e77", ":")


@dataclass(frozen=True)
class Bar:
    """One row of the chart: a value per panel (NaN when there is nothing to show) and the text written beside it."""

    name: str
    fill: float
    fill_text: str
    unfilled: float
    enrolled: float
    enrolled_text: str


def shown(digest: Digest) -> list[SiteWeek]:
    """The sites the chart draws, most in need first: the text digest's rule, a few more of them."""
    return digest.needing_attention(CHART_SITES)


def png(digest: Digest, lang: str) -> bytes:
    """The Alliance on top (its own scale for counts), the sites below; headless (no pyplot, no display)."""
    # Imported here: matplotlib takes half a second to load, and only the digest draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sites = [bar(s.site, s.ops, s.enrollment, lang) for s in shown(digest)]
    total = bar(_("Alliance").render(lang), digest.alliance, digest.enrollment, lang)
    groups = [[total], sites] if sites else [[total]]
    height = TOP_IN + BOTTOM_IN + ROW_IN * sum(len(g) for g in groups) + GAP_IN * (len(groups) - 1)
    # Placed by hand in inches: a constrained layout would cost as much again as the drawing.
    figure = Figure(figsize=(WIDTH_IN, height))
    FigureCanvasAgg(figure)
    panel = (WIDTH_IN - LEFT_IN - RIGHT_IN - 2 * SPACE_IN) / 3
    top = height - TOP_IN
    for row, bars in enumerate(groups):
        bottom = top - ROW_IN * len(bars)
        panels = [
            figure.add_axes(
                (
                    (LEFT_IN + n * (panel + SPACE_IN)) / WIDTH_IN,
                    bottom / height,
                    panel / WIDTH_IN,
                    (top - bottom) / height,
                )
            )
            for n in range(3)
        ]
        _draw(panels, bars, lang, first=row == 0, color=TOTAL if row == 0 else None)
        top = bottom - GAP_IN
    _legend(figure, lang)
    figure.suptitle(_title(digest, len(sites), lang).render(lang), y=1 - 0.1 / height, va="top")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def bar(name: str, ops: Operations, enrollment: Enrollment, lang: str) -> Bar:
    """A row's values and texts: "3 of 4 (75 %)" or "no shifts"; "79 % (9.5 open)" or "no answer"."""
    fill = ops.fill_rate * 100 if ops.decided else math.nan
    fill_text = (
        _(
            "{filled} of {shifts} ({pct})",
            filled=format_decimal(ops.filled, locale=lang),
            shifts=format_decimal(ops.decided, locale=lang),
            pct=percent(ops.fill_rate, lang),
        )
        if ops.decided
        else _("no shifts")
    )
    enrolled = enrollment.enrollment_pct * 100 if enrollment.answered else math.nan
    enrolled_text = (
        _(
            "{pct} ({vacancies} places open)",
            pct=percent(enrollment.enrollment_pct, lang),
            vacancies=enrollment.vacancies,
        )
        if enrollment.answered
        else _("no answer")
    )
    short = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"
    return Bar(short, fill, fill_text.render(lang), float(ops.unfilled_at_start), enrolled, enrolled_text.render(lang))


def _draw(panels: list[Axes], bars: list[Bar], lang: str, *, first: bool, color: str | None) -> None:
    """Fill, unfilled at start and enrollment side by side; panel titles on the first row only."""
    from matplotlib.ticker import MaxNLocator

    fill, unfilled, enrolled = panels
    _barh(fill, bars, [b.fill for b in bars], [b.fill_text for b in bars], color or FILL, 100)
    _line(fill, FILL_TARGET, FILL_LINE)
    counts = [b.unfilled for b in bars]
    texts = [format_decimal(b.unfilled, locale=lang) for b in bars]
    _barh(unfilled, bars, counts, texts, color or UNFILLED, max(1.0, *counts) * 1.1)
    unfilled.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    highest = max([100.0] + [b.enrolled for b in bars if not math.isnan(b.enrolled)])
    _barh(enrolled, bars, [b.enrolled for b in bars], [b.enrolled_text for b in bars], color or ENROLLED, highest)
    _line(enrolled, ENROLLMENT_BUDGET, BUDGET_LINE)
    _line(enrolled, ENROLLMENT_WELL_RUN, WELL_RUN_LINE)
    unfilled.set_yticklabels([])
    enrolled.set_yticklabels([])
    if first:
        fill.set_title(_("Shifts filled (%)").render(lang))
        unfilled.set_title(_("Unfilled when they began").render(lang))
        enrolled.set_title(_("Enrollment (% of capacity)").render(lang))


def _barh(axes: Axes, bars: list[Bar], values: list[float], texts: list[str], color: str, top: float) -> None:
    """Bars top-down, each with its text: inside a long bar, after a short one, greyed where there is no value."""
    rows = range(len(bars))
    axes.barh(rows, [0.0 if math.isnan(v) else v for v in values], color=color, height=0.6)
    axes.set_yticks(rows, [b.name for b in bars])
    axes.set_ylim(len(bars) - 0.5, -0.5)
    axes.set_xlim(0, top)
    for row, value, text in zip(rows, values, texts, strict=True):
        if math.isnan(value):
            axes.text(top * 0.02, row, text, va="center", color=MISSING, fontstyle="italic", fontsize="small")
        elif value > top * 0.55:
            axes.text(value - top * 0.02, row, text, va="center", ha="right", color="white", fontsize="small")
        else:
            axes.text(value + top * 0.02, row, text, va="center", fontsize="small")


def _line(axes: Axes, share: float, style: tuple[str, LineStyleType]) -> None:
    axes.axvline(share * 100, color=style[0], linestyle=style[1], linewidth=1.2)


def _legend(figure: Figure, lang: str) -> None:
    """The target lines, explained once, below the panels."""
    from matplotlib.lines import Line2D

    labels = (
        _("fill target {pct}", pct=percent(FILL_TARGET, lang)),
        _("enrollment budget {pct}", pct=percent(ENROLLMENT_BUDGET, lang)),
        _("enrollment well run {pct}", pct=percent(ENROLLMENT_WELL_RUN, lang)),
    )
    styles = (FILL_LINE, BUDGET_LINE, WELL_RUN_LINE)
    handles = [
        Line2D([], [], color=color, linestyle=style, label=label.render(lang))
        for label, (color, style) in zip(labels, styles, strict=True)
    ]
    figure.legend(handles=handles, loc="lower center", ncols=3, frameon=False, fontsize="small")


def _title(digest: Digest, count: int, lang: str) -> Msg:
    if not count:
        return _("Alliance digest, week {week}: every site is on its fill target", week=digest.week.label)
    return _(
        "Alliance digest, week {week}: the Alliance and the sites that most need attention ({count} of {total})",
        week=digest.week.label,
        count=count,
        total=format_decimal(len(digest.sites), locale=lang),
    )
