"""Reading the roster CSV files into validated rows, with every problem tied to its file and line. The same reader
serves the other CSV files the Hub keeps (supervision slots)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from models.roster.rows import (
    OPTIONAL_PEOPLE_COLUMNS,
    PEOPLE_COLUMNS,
    PREFERENCE_COLUMNS,
    SITE_COLUMNS,
    PersonRow,
    PreferenceRow,
    SiteRow,
)

OPTIONAL_SITE_COLUMNS = ("address", "bring")


@dataclass(frozen=True)
class RowError:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.message}"


class RosterError(Exception):
    """The files have problems; nothing was imported. Every file the Hub imports raises it."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = list(errors)


def decode(data: bytes) -> str:
    """Spreadsheets export UTF-8 with a byte-order mark; accept both."""
    return data.decode("utf-8-sig")


def read_sites(text: str, source: str = "SITES.csv") -> list[tuple[int, SiteRow]]:
    return read_rows(text, source, SITE_COLUMNS, OPTIONAL_SITE_COLUMNS, SiteRow)  # type: ignore[return-value]


def read_people(text: str, source: str = "PEOPLE.csv") -> list[tuple[int, PersonRow]]:
    return read_rows(text, source, PEOPLE_COLUMNS, OPTIONAL_PEOPLE_COLUMNS, PersonRow)  # type: ignore[return-value]


def read_preferences(text: str, source: str = "PREFERENCES.csv") -> list[tuple[int, PreferenceRow]]:
    return read_rows(text, source, PREFERENCE_COLUMNS, (), PreferenceRow)  # type: ignore[return-value]


def read_rows(
    text: str, source: str, columns: Sequence[str], optional: Sequence[str], model: type[BaseModel]
) -> list[tuple[int, BaseModel]]:
    """(line, row) for each non-empty line; raises RosterError naming every bad line."""
    rows, errors = parse_rows(text, source, columns, optional, model)
    if errors:
        raise RosterError(errors)
    return rows


def parse_rows(
    text: str, source: str, columns: Sequence[str], optional: Sequence[str], model: type[BaseModel]
) -> tuple[list[tuple[int, BaseModel]], list[RowError]]:
    """The good rows and the problems of the bad ones, for a caller that checks more before it reports; a
    missing column still raises at once (no row can be read)."""
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in columns if column not in header]
    if missing:
        raise RosterError([RowError(source, 1, f"missing column(s): {', '.join(missing)}")])
    wanted = [*columns, *(column for column in optional if column in header)]
    rows: list[tuple[int, BaseModel]] = []
    errors: list[RowError] = []
    line = reader.line_num
    for cells in reader:
        line, start = reader.line_num, line + 1
        if not any(cell.strip() for cell in cells):
            continue
        record = {name: cells[header.index(name)] if header.index(name) < len(cells) else "" for name in wanted}
        try:
            rows.append((start, model.model_validate(record)))
        except ValidationError as problem:
            errors.extend(RowError(source, start, _describe(error)) for error in problem.errors())
    return rows, errors


def _describe(error: object) -> str:
    assert isinstance(error, dict)
    where = ".".join(str(part) for part in error.get("loc", ()) if not isinstance(part, int))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def write_csv(columns: Sequence[str], records: Sequence[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()
