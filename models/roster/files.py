"""Reading the roster CSV files into validated rows, with every problem tied to its file and line. The same reader
serves the other CSV files the Hub keeps (supervision slots). Reading never raises: a file's problems travel with
its good rows, so the checks against the database can add theirs and everything is reported at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from models.problems import Problem, from_validation
from models.roster.rows import (
    OPTIONAL_PEOPLE_COLUMNS,
    OPTIONAL_SITE_COLUMNS,
    PEOPLE_COLUMNS,
    PREFERENCE_COLUMNS,
    SITE_COLUMNS,
    PersonRow,
    PreferenceRow,
    SiteRow,
)

Row = TypeVar("Row", bound=BaseModel)


@dataclass(frozen=True)
class RowFile(Generic[Row]):
    """One file as read: (line, row) for each good line, a Problem for each bad one, and what the bad lines name
    in each column (lower-case), so later checks do not call a name unknown whose own line is already reported."""

    source: str
    rows: list[tuple[int, Row]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, cells) of each bad line

    def rejected_names(self, column: str) -> set[str]:
        return {cells[column].strip().lower() for _line, cells in self.rejected if cells.get(column, "").strip()}


def decode(data: bytes) -> str:
    """Spreadsheets export UTF-8 with a byte-order mark; accept both."""
    return data.decode("utf-8-sig")


def read_sites(text: str, source: str = "SITES.csv") -> RowFile[SiteRow]:
    return read_rows(text, source, SITE_COLUMNS, OPTIONAL_SITE_COLUMNS, SiteRow)


def read_people(text: str, source: str = "PEOPLE.csv") -> RowFile[PersonRow]:
    return read_rows(text, source, PEOPLE_COLUMNS, OPTIONAL_PEOPLE_COLUMNS, PersonRow)


def read_preferences(text: str, source: str = "PREFERENCES.csv") -> RowFile[PreferenceRow]:
    return read_rows(text, source, PREFERENCE_COLUMNS, (), PreferenceRow)


def read_rows(
    text: str, source: str, columns: Sequence[str], optional: Sequence[str], model: type[Row]
) -> RowFile[Row]:
    """Every non-empty line checked on its own; a missing column is the file's one problem (no row can be read)."""
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in columns if column not in header]
    if missing:
        return RowFile(source, problems=[Problem(source, 1, f"missing column(s): {', '.join(missing)}")])
    wanted = [*columns, *(column for column in optional if column in header)]
    read: RowFile[Row] = RowFile(source)
    line = reader.line_num
    for cells in reader:
        line, start = reader.line_num, line + 1
        if not any(cell.strip() for cell in cells):
            continue
        record = {name: cells[header.index(name)] if header.index(name) < len(cells) else "" for name in wanted}
        try:
            read.rows.append((start, model.model_validate(record)))
        except ValidationError as problem:
            read.problems.extend(from_validation(source, problem, start))
            read.rejected.append((start, record))
    return read


def write_csv(columns: Sequence[str], records: Sequence[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()
