"""The digest's picture: fill rate and protected hours by site, enrollment against the 85 % and 95 % lines."""

from __future__ import annotations

import io
import math

from scheduler.digest.build import FILL_TARGET, Digest
from scheduler.metrics.triangle import ENROLLMENT_BUDGET, ENROLLMENT_WELL_RUN


def png(digest: Digest) -> bytes:
    """Three panels, headless (no pyplot, no display)."""
    # Imported here: matplotlib takes half a second to load, and only the digest draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [s.site for s in digest.sites]
    figure = Figure(figsize=(11, 4), layout="constrained")
    FigureCanvasAgg(figure)
    fill, hours, enrolled = figure.subplots(1, 3)
    fill.barh(names, [_pct(s.ops.fill_rate) for s in digest.sites], color="#2c7fb8")
    fill.axvline(FILL_TARGET * 100, color="#d95f02", linestyle="--", label=f"target {FILL_TARGET:.0%}")
    fill.set(title="Fill rate (%)", xlim=(0, 100))
    fill.legend(loc="lower right", fontsize="small")
    hours.barh(names, [s.ops.protected_hours for s in digest.sites], color="#41ab5d")
    hours.set(title="Protected hours")
    enrolled.barh(names, [_pct(s.enrollment.enrollment_pct) for s in digest.sites], color="#807dba")
    enrolled.axvline(ENROLLMENT_BUDGET * 100, color="#d95f02", linestyle="--", label="budget 85%")
    enrolled.axvline(ENROLLMENT_WELL_RUN * 100, color="#1b9e77", linestyle=":", label="well run 95%")
    enrolled.set(title="Enrollment (% of capacity)", xlim=(0, 100))
    enrolled.legend(loc="lower right", fontsize="small")
    for axes in (hours, enrolled):
        axes.set_yticklabels([])
    figure.suptitle(f"Alliance digest, week {digest.week.label} (protected: planning, reflection, training)")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _pct(value: float) -> float:
    return 0.0 if math.isnan(value) else value * 100
