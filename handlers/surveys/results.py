"""Survey results with pandas: one row per response for exports, and the summary the Hub reads in chat."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from handlers.i18n import Joined, Msg, Number, Percent, _, n_
from handlers.surveys import answers
from handlers.surveys.schema import Question, Survey
from models.surveys import queries as survey_queries
from models.surveys.tables import SurveyRun

if TYPE_CHECKING:
    import pandas as pd

    from models.db import Session


def frame(session: Session, survey: Survey, runs: Sequence[SurveyRun]) -> pd.DataFrame:
    """One row per response: run, period, time, site and person (not for anonymous runs), one column per question."""
    by_id = {run.id: run for run in runs}
    rows = []
    for response in survey_queries.responses(session, run_ids=[run.id for run in runs if run.id is not None]):
        row: dict[str, object] = {
            "run": response.run_id,
            "period": by_id[response.run_id].period,
            "submitted_at": response.submitted_at.isoformat(),
            "site": response.site,
            "person": response.person,
        }
        for question in survey.questions:
            value = response.answers.get(question.id)
            row[question.id] = ";".join(value) if isinstance(value, list) else value
        rows.append(row)
    import pandas as pd  # here, not above: pandas is a second of a cold start, and only results need it

    columns = ["run", "period", "submitted_at", "site", "person", *(q.id for q in survey.questions)]
    return pd.DataFrame(rows, columns=columns)


def summary(session: Session, survey: Survey, run: SurveyRun) -> list[Msg]:
    """Response rate, then per question: mean and median of numbers, counts of choices, number of comments."""
    import pandas as pd

    invited = list(survey_queries.counted_invites(session, run_id=run.id or 0))
    table = frame(session, survey, [run])
    lines: list[Msg] = [
        _("{title} ({period})", title=survey.title.both, period=run.period),
        _(
            "Answered: {done} of {asked} ({rate}).",
            done=len(table),
            asked=len(invited),
            rate=Percent(len(table) / len(invited) if invited else math.nan),
        ),
    ]
    for question in survey.questions:
        lines.append(_("• {question}", question=question.text.both))
        column = table[question.id].dropna() if question.id in table else pd.Series(dtype=object)
        lines.append(_describe(question, column))
    return lines


def _describe(question: Question, column: pd.Series) -> Msg:
    if column.empty:
        return _("  no answers yet")
    if question.type in ("number", "rating"):
        import pandas as pd

        numbers = pd.to_numeric(column)
        spread = ""
        if question.type == "rating":
            counts = numbers.astype(int).value_counts().reindex(range(1, 6), fill_value=0)
            spread = " · " + " ".join(f"{k}:{v}" for k, v in counts.items())
        return _(
            "  mean {mean}, median {median}, n={n}{spread}",
            mean=Number(float(numbers.mean())),
            median=Number(float(numbers.median())),
            n=len(numbers),
            spread=spread,
        )
    if question.type == "yesno":
        yes = int(column.astype(bool).sum())
        return _("  yes {yes}, no {no}", yes=yes, no=len(column) - yes)
    if question.type in ("single", "multi"):
        chosen = column.astype(str).str.split(";").explode().value_counts()
        parts = tuple(
            _("{label}: {count}", label=answers.show(question, [k] if question.type == "multi" else k), count=int(v))
            for k, v in chosen.items()
        )
        return _("  {counts}", counts=Joined(parts, "; "))
    return n_("  {count} written answer (in the export)", "  {count} written answers (in the export)", len(column))
