"""Problems found in a file the Hub hands in — the roster's CSV files, SLOTS.csv, a survey definition — each tied to
its file and line. Every check of a file adds to one list, and the list is reported whole: a file with any problem
changes nothing, and its author sees every bad line at once instead of one after another."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import ErrorDetails

LineOf = Callable[[tuple[int | str, ...]], int]  # a pydantic error's location → the line it was written on


@dataclass(frozen=True)
class Problem:
    """One problem: `PEOPLE.csv, line 7: site: unknown site 'Nowhere'`."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.message}"


class FileProblems(Exception):
    """The files have problems; nothing was stored. `errors` are in file order (files as first named), then line."""

    def __init__(self, errors: Iterable[Problem]) -> None:
        self.errors = in_order(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Each file's problems together, by line; the order of checks is kept within a line."""
    problems = list(problems)
    files = {source: rank for rank, source in enumerate(dict.fromkeys(p.source for p in problems))}
    return sorted(problems, key=lambda problem: (files[problem.source], problem.line))


def raise_if_any(problems: Sequence[Problem]) -> None:
    """The one place a check of a whole file ends: every problem reported together, or none."""
    if problems:
        raise FileProblems(problems)


def from_validation(source: str, error: ValidationError, line: int | LineOf, *, indexes: bool = False) -> list[Problem]:
    """One Problem per pydantic error: all on `line` (a CSV row), or each where `line` finds its location. An error
    of a container that also has errors inside ("at least 1 item" once its bad item is dropped) is their echo and
    left out."""
    found = line if callable(line) else (lambda _loc: line)
    details = error.errors()
    inner = {tuple(detail["loc"][:depth]) for detail in details for depth in range(len(detail["loc"]))}
    return [
        Problem(source, found(tuple(detail["loc"])), describe(detail, indexes=indexes))
        for detail in details
        if tuple(detail["loc"]) not in inner
    ]


def describe(detail: ErrorDetails, *, indexes: bool = False) -> str:
    """`field: reason` as a person reads it (pydantic's "Value error, " prefix dropped); list positions are left
    out of the field name unless `indexes` (a CSV row has none; a survey's `questions.0` does)."""
    parts = [str(part) for part in detail["loc"] if indexes or not isinstance(part, int)]
    message = str(detail["msg"]).removeprefix("Value error, ")
    return f"{'.'.join(parts)}: {message}" if parts else message
