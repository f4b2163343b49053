"""The digest's files as a director opens them: readable headers, rounded percentages, blanks for no answer, named
sheets with an "About" sheet; a chart of the sites that need attention and the Alliance, never one bar per site."""

from __future__ import annotations

import io
from dataclasses import replace
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from PIL import Image

from handlers.contract import Attachment
from models.db import make_engine, session_scope
from scheduler.digest import build, chart
from scheduler.digest.files import attachments
from scheduler.metrics.operations import EMPTY
from scheduler.metrics.triangle import Enrollment
from scheduler.metrics.weeks import parse_week, week_of
from tests.conftest import START, SqliteTemplates

NY = ZoneInfo("America/New_York")
NO_ANSWER = Enrollment(float("nan"), float("nan"), answered=False)


@pytest.fixture(scope="module")
def demo_digest(tmp_path_factory: pytest.TempPathFactory, sqlite_templates: SqliteTemplates) -> build.Digest:
    """Last week of the demo history, built once for the module (the files only read it)."""
    engine = make_engine(sqlite_templates.copy(tmp_path_factory.mktemp("files") / "demo.db", "history"))
    with session_scope(engine) as session:
        digest = build.build(session, week_of(START, NY).previous(), START)
    engine.dispose()
    return digest


def files(digest: build.Digest, lang: str) -> dict[str, bytes]:
    found: tuple[Attachment, ...] = attachments(digest, lang)
    return {file.name.rsplit(".", 1)[1]: file.content for file in found}


def test_the_csv_has_readable_headers_rounded_percentages_and_blanks_for_no_answer(
    demo_digest: build.Digest,
) -> None:
    names = [file.name for file in attachments(demo_digest, "en")]
    assert names == [f"alliance-digest-2026-W48.{ext}" for ext in ("png", "csv", "xlsx")]
    sites = pd.read_csv(io.BytesIO(files(demo_digest, "en")["csv"])).set_index("Site")
    assert {"Fill rate (%)", "Enrollment (% of staffed capacity)", "Unfilled when they began"} <= set(sites.columns)
    assert "fill_rate" not in sites.columns
    assert sites.at["Maple Street Early Learning", "Fill rate (%)"] == 66.7  # 4 of 6, one decimal
    assert sites["Enrollment (% of staffed capacity)"].isna()["Maple Street Early Learning"]  # no answer
    assert sites.at["Casa de los Niños", "Unfilled when they began"] == 0  # a real zero stays a zero
    assert sites.at["Maple Street Early Learning", "Answered the pulse"] == "no"


def test_the_workbook_has_a_sites_sheet_and_an_about_sheet_with_each_target(demo_digest: build.Digest) -> None:
    book = pd.read_excel(io.BytesIO(files(demo_digest, "en")["xlsx"]), sheet_name=None, engine="openpyxl")
    assert list(book) == ["Sites", "About"]
    sites = book["Sites"].set_index("Site")
    assert sites["Enrollment (% of staffed capacity)"].isna()["Maple Street Early Learning"]
    assert sites.at["Maple Street Early Learning", "Fill rate (%)"] == 66.7
    about = book["About"].set_index("Column")["Target"]
    assert {"Site", *sites.columns} <= set(about.index)  # every column is explained
    assert about["Fill rate (%)"] == "at least 90%"
    assert about["Enrollment (% of staffed capacity)"] == "budget 85%, well run 95%"
    assert about["Bad debt"] == "under 3%"


def test_spanish_hub_gets_spanish_headers_and_sheets(demo_digest: build.Digest) -> None:
    spanish = files(demo_digest, "es")
    book = pd.read_excel(io.BytesIO(spanish["xlsx"]), sheet_name=None, engine="openpyxl")
    assert list(book) == ["Centros", "Acerca de"]
    sites = pd.read_csv(io.BytesIO(spanish["csv"]))
    assert list(sites.columns[:3]) == ["Centro", "Turnos solicitados", "Tasa de cobertura (%)"]
    assert set(sites["Respondió el pulso"]) == {"sí", "no"}


def test_the_chart_is_a_png(demo_digest: build.Digest) -> None:
    picture = Image.open(io.BytesIO(files(demo_digest, "es")["png"]))
    picture.verify()
    assert picture.format == "PNG"


def site(n: int, *, filled: int, shifts: int, unfilled: int = 0) -> build.SiteWeek:
    ops = replace(EMPTY, requests=shifts, live=shifts, decided=shifts, filled=filled, fill_rate=filled / shifts)
    ops = replace(ops, unfilled_at_start=unfilled)
    return build.SiteWeek(f"Site {n:04}", ops, EMPTY, Enrollment(0.9, 5.0, answered=True), NO_ANSWER)


def alliance(sites: list[build.SiteWeek]) -> build.Digest:
    total = replace(EMPTY, requests=1, live=1, decided=1, filled=1, fill_rate=1.0)
    return build.Digest(parse_week("2026-W48", NY), total, EMPTY, NO_ANSWER, NO_ANSWER, tuple(sites))


def test_of_a_thousand_sites_the_chart_draws_those_the_text_names_first() -> None:
    calm = [site(n, filled=10, shifts=10) for n in range(990)]
    worrying = [site(990 + n, filled=5 + n % 4, shifts=10, unfilled=n % 3) for n in range(10)]
    digest = alliance(calm + worrying)
    drawn = chart.shown(digest)
    assert len(drawn) == chart.CHART_SITES
    assert drawn[:3] == digest.needing_attention()  # the sites the text digest lists
    assert all(s in worrying for s in drawn)
    assert [s.ops.unfilled_at_start for s in drawn] == sorted((s.ops.unfilled_at_start for s in drawn), reverse=True)


def test_a_missing_answer_is_written_out_and_a_zero_is_drawn() -> None:
    none = replace(EMPTY, requests=3, live=3, decided=3, filled=0, fill_rate=0.0)
    none_filled = chart.bar("Oak", none, NO_ANSWER, "en")
    assert (none_filled.fill, none_filled.fill_text, none_filled.enrolled_text) == (0.0, "0 of 3 (0%)", "no answer")
    quiet = chart.bar("Elm", EMPTY, Enrollment(0.0, 60.0, answered=True), "es")
    assert pd.isna(quiet.fill)
    assert quiet.fill_text == "sin turnos"
    assert (quiet.enrolled, quiet.enrolled_text) == (0.0, "0\xa0% (60 lugares libres)")
