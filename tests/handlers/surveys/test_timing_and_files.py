"""Reminders on the simulated clock; definition files that are rejected whole; exports that pandas reads."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from handlers.surveys.runs import next_time
from handlers.surveys.schema import load_all, shipped
from models.surveys.tables import Recurrence
from tests.cli import invoke
from tests.dialog import Dialog, Sent, to

CLI = Path(sys.executable).with_name("alliance-bot")


def reminders(messages: list[Sent]) -> list[str]:
    return sorted(m.to for m in messages if m.text.startswith(("Reminder:", "Recordatorio:")))


def answer_pulse(demo: Dialog, who: str, invite_id: int) -> None:
    demo.as_(who).presses(f"sv:start:{invite_id}")
    for answer in ("30", "31", "1"):
        demo.says(answer)
    demo.presses(f"sq:{invite_id}:3:2")
    demo.presses(f"sr:{invite_id}:submit")


@pytest.mark.twin
def test_reminders_reach_only_non_responders_in_waking_hours(demo: Dialog) -> None:
    demo.as_("Hana").presses("ss:weekly-pulse:director:7:none")  # Monday 06:05 in New York
    answer_pulse(demo, "Diana", 1)  # Carmen (invite 2) does not answer
    assert reminders(demo.wait(timedelta(hours=24, minutes=54))) == []  # Tuesday 06:59
    assert reminders(demo.wait(timedelta(minutes=1))) == ["Carmen Flores"]  # 07:00, not 06:05
    assert reminders(demo.wait(timedelta(hours=48))) == ["Carmen Flores"]  # Thursday 07:00
    assert reminders(demo.wait(timedelta(days=5))) == []


def test_no_reminder_after_the_close(demo: Dialog) -> None:
    demo.as_("Hana").presses("ss:weekly-pulse:director:3:none")  # closes Thursday 06:05
    first = demo.wait(timedelta(hours=26))
    assert reminders(first) == ["Carmen Flores", "Diana Park"]
    assert reminders(demo.wait(timedelta(days=4))) == []  # Thursday 07:00 would be after the close


def test_the_hub_reminds_at_night_only_in_the_morning(demo: Dialog) -> None:
    demo.as_("Hana").presses("ss:weekly-pulse:director:7:none")
    demo.clock.advance(timedelta(hours=15))  # 21:05 in New York
    answer = demo.presses("srm:1")
    assert to(answer, "Hana")[0].text == "Reminded 0 now; 2 will be reminded in the morning."
    assert reminders(demo.wait(timedelta(hours=9, minutes=55))) == ["Carmen Flores", "Diana Park"]  # 07:00


def test_a_weekly_survey_comes_back_next_week(demo: Dialog) -> None:
    demo.as_("Hana").presses("ss:weekly-pulse:director:2:weekly")
    later = demo.wait(timedelta(days=7))
    intros = [m for m in later if m.text.startswith(("📋 Weekly pulse", "📋 Pulso semanal"))]
    assert sorted(m.to for m in intros) == ["Carmen Flores", "Diana Park"]


BAD_FILES = {
    "no-spanish.yaml": (
        "id: no-spanish\ntitle: {en: T}\nintro: {en: I, es: I}\nquestions:\n"
        "  - {id: q, type: yesno, text: {en: Q, es: P}}\n",
        "no-spanish.yaml, line 2: title.es: Field required",
    ),
    "no-range.yaml": (
        "id: no-range\ntitle: {en: T, es: T}\nintro: {en: I, es: I}\nquestions:\n"
        "  - {id: q, type: number, text: {en: Q, es: P}}\n",
        "no-range.yaml, line 5: questions.0: a number question needs min < max",
    ),
    "text-metric.yaml": (
        "id: text-metric\ntitle: {en: T, es: T}\nintro: {en: I, es: I}\nquestions:\n"
        "  - {id: q, type: text, metric: x, text: {en: Q, es: P}}\n",
        "text-metric.yaml, line 5: questions.0: only rating, number and yes/no questions can feed a metric",
    ),
    "broken.yaml": ("id: broken\ntitle: [unclosed\n", "broken.yaml, line 3: not valid YAML"),
    "wrong-name.yaml": (
        "id: other\ntitle: {en: T, es: T}\nintro: {en: I, es: I}\nquestions:\n"
        "  - {id: q, type: yesno, text: {en: Q, es: P}}\n",
        "wrong-name.yaml, line 1: id: must match the file name",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_malformed_file_is_rejected_whole_with_file_and_field(tmp_path: Path, name: str) -> None:
    text, message = BAD_FILES[name]
    (tmp_path / name).write_text(text)
    good = (Path(__file__).parents[3] / "handlers/surveys/definitions/weekly-pulse.yaml").read_text()
    (tmp_path / "weekly-pulse.yaml").write_text(good)
    surveys, problems = load_all(tmp_path.glob("*.yaml"))
    assert list(surveys) == ["weekly-pulse"]
    assert len(problems) == 1
    assert str(problems[0]).startswith(message)


def test_a_survey_file_names_every_problem_with_its_line_at_once(tmp_path: Path) -> None:
    text = (
        "id: other-name\n"  # line 1: not the file's name
        "title: {en: T}\n"  # 2: no Spanish
        "intro: {en: I, es: I}\n"
        "questions:\n"
        "  - {id: q, type: yesno, text: {en: Q, es: P}}\n"
        "  - id: n\n"  # 6: a number question without its range
        "    type: number\n"
        "    text: {en: N, es: N}\n"
        "  - {id: c, type: single, options: [{id: A, label: {en: A, es: A}}], text: {en: C, es: C}}\n"  # 9
    )
    (tmp_path / "several.yaml").write_text(text)
    surveys, problems = load_all([tmp_path / "several.yaml"])
    assert surveys == {}
    assert [str(problem) for problem in problems] == [
        "several.yaml, line 1: id: must match the file name ('several')",
        "several.yaml, line 2: title.es: Field required",
        "several.yaml, line 6: questions.1: a number question needs min < max",
        "several.yaml, line 9: questions.2.options.0.id: String should match pattern '^[a-z0-9_]{1,30}$'",
    ]


def test_the_shipped_surveys_load() -> None:
    assert sorted(shipped()) == ["monthly-finance", "needs-assessment", "weekly-pulse"]


def test_results_export_as_csv_and_xlsx_with_one_row_per_response(
    demo: Dialog, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.as_("Hana").presses("ss:weekly-pulse:director:3:none")
    answer_pulse(demo, "Diana", 1)
    answer_pulse(demo, "Carmen", 2)
    env = {"DATABASE_URL": database_url}
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"pulse.{fmt}"
        run = invoke(monkeypatch, "survey", "results", "weekly-pulse", "--format", fmt, "--out", str(out), env=env)
        assert run.exit_code == 0, run.stderr
        table = pd.read_csv(out) if fmt == "csv" else pd.read_excel(out, engine="openpyxl")
        assert len(table) == 2
        assert sorted(table["person"]) == ["Carmen Flores", "Diana Park"]
        assert list(table["enrolled_fte"]) == [30, 30]
    text = invoke(monkeypatch, "survey", "results", "weekly-pulse", env=env)
    assert "Answered: 2 of 2 (100%)." in text.stdout


def test_recurring_runs_keep_their_local_time_across_daylight_saving_and_month_ends() -> None:
    ny = ZoneInfo("America/New_York")
    before_the_change = datetime(2026, 10, 26, 8, tzinfo=ny).astimezone(UTC)  # clocks go back on 1 Nov
    weekly = next_time(before_the_change, Recurrence.WEEKLY, ny)
    assert weekly.astimezone(ny) == datetime(2026, 11, 2, 8, tzinfo=ny)
    assert weekly - before_the_change == timedelta(days=7, hours=1)
    month_end = datetime(2027, 1, 31, 9, tzinfo=ny)
    february = next_time(month_end, Recurrence.MONTHLY, ny)
    assert february == datetime(2027, 2, 28, 9, tzinfo=ny)
    assert next_time(february, Recurrence.MONTHLY, ny) == datetime(2027, 3, 31, 9, tzinfo=ny)  # across the March change
    assert next_time(datetime(2027, 1, 15, 9, tzinfo=ny), Recurrence.MONTHLY, ny) == datetime(2027, 2, 15, 9, tzinfo=ny)
