"""A numeric date in a request is read in the writer's language: day/month in Spanish, month/day in English."""

from __future__ import annotations

import pytest

from tests.dialog import Dialog, only


@pytest.mark.twin
def test_a_numeric_date_is_day_first_for_a_spanish_teacher_month_first_for_an_english_one(demo: Dialog) -> None:
    summary = only(demo.as_("María").says("necesito flotante el 10/12 de 8 a 12 para planificación")).text
    assert "• jue 10 dic, 08:00–12:00" in summary.splitlines()
    english = only(demo.as_("Alice").says("need a floater 12/10 8-12 for planning")).text
    assert "• Thu 10 Dec, 08:00–12:00" in english.splitlines()


def test_a_month_over_12_tells_a_spanish_teacher_dates_are_day_first(demo: Dialog) -> None:
    refused = only(demo.as_("María").says("necesito flotante el 5/13 de 8 a 12"))
    assert refused.text == "No existe el mes 13 (leo las fechas como día/mes). ¿Qué día lo necesitas?"
