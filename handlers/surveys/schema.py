"""Survey definitions: YAML files checked with pydantic. A file with any error is reported and not loaded."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from handlers.i18n import Localized, Msg, localized
from models.problems import FileProblems, Problem, from_validation, raise_if_any

DEFINITIONS = Path(__file__).parent / "definitions"
QuestionType = Literal["rating", "single", "multi", "yesno", "number", "text"]
NUMERIC = ("rating", "number", "yesno")


class Texts(BaseModel):
    """A text in English and Spanish."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    en: str = Field(min_length=1)
    es: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en

    @property
    def both(self) -> Localized:
        return Localized(self.en, self.es)

    @property
    def msg(self) -> Msg:
        return localized(self.en, self.es)


class Option(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]{1,30}$")
    label: Texts


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]{1,30}$")
    type: QuestionType
    text: Texts
    required: bool = True
    options: tuple[Option, ...] = ()
    labels: tuple[Texts, ...] = ()  # rating: five labels, 1 to 5
    min: float | None = None
    max: float | None = None
    unit: Texts | None = None
    integer: bool = False
    at_most: str | None = None  # the id of another number question this one is usually not above
    metric: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,40}$")

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        if self.type in ("single", "multi") and len(self.options) < 2:
            raise ValueError(f"a {self.type} question needs at least two options")
        if self.type not in ("single", "multi") and self.options:
            raise ValueError(f"a {self.type} question has no options")
        if self.type == "rating" and len(self.labels) != 5:
            raise ValueError("a rating question needs five labels (1 to 5)")
        if self.type == "number" and (self.min is None or self.max is None or self.min >= self.max):
            raise ValueError("a number question needs min < max")
        if self.metric is not None and self.type not in NUMERIC:
            raise ValueError("only rating, number and yes/no questions can feed a metric")
        if self.at_most is not None and self.type != "number":
            raise ValueError("only a number question can be compared with another (at_most)")
        if len({o.id for o in self.options}) != len(self.options):
            raise ValueError("option ids must be different")
        return self


class Survey(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    title: Texts
    intro: Texts
    anonymous: bool = False
    period: Literal["week", "month", "last_month"] = "week"  # what the numbers describe
    questions: tuple[Question, ...] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique_questions(self) -> Survey:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids must be different")
        numbers = {q.id for q in self.questions if q.type == "number"}
        for question in self.questions:
            if question.at_most is not None and question.at_most not in numbers - {question.id}:
                raise ValueError(f"{question.id}: at_most must name another number question of this survey")
        return self

    def question(self, index: int) -> Question:
        return self.questions[index]

    def limits(self) -> list[tuple[Question, Question]]:
        """(lower, upper) pairs: each number question with an `at_most`, and the question it names."""
        by_id = {q.id: q for q in self.questions}
        return [(q, by_id[q.at_most]) for q in self.questions if q.at_most is not None]


def load_file(path: Path) -> Survey:
    """The survey of one file; FileProblems naming every bad field with the line it is on (an error of a whole
    question or of the survey: the line where it starts)."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        message = f"not valid YAML ({getattr(problem, 'problem', None) or problem})"
        raise FileProblems([Problem(path.name, line, message)]) from problem
    problems: list[Problem] = []
    survey = None
    try:
        survey = Survey.model_validate(data)
    except ValidationError as problem:
        problems += from_validation(path.name, problem, lambda loc: _line(root, loc), indexes=True)
    stated = data.get("id") if isinstance(data, dict) else None
    if isinstance(stated, str) and stated != path.stem:
        problems.append(Problem(path.name, _line(root, ("id",)), f"id: must match the file name ({path.stem!r})"))
    raise_if_any(problems)
    assert survey is not None
    return survey


def _line(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int:
    """The line (from 1) of the deepest node of `loc` the file has: a missing field is reported where its parent
    starts."""
    if node is None:
        return 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((value for name, value in node.value if name.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            found = node.value[key]
        else:
            found = None
        if found is None:
            break
        node = found
    return int(node.start_mark.line) + 1


def load_all(paths: Iterable[Path]) -> tuple[dict[str, Survey], list[Problem]]:
    """Every valid survey by id, and every problem of each rejected file (nothing of a rejected file is kept)."""
    surveys: dict[str, Survey] = {}
    problems: list[Problem] = []
    for path in sorted(paths):
        try:
            survey = load_file(path)
        except FileProblems as rejected:
            problems += rejected.errors
            continue
        surveys[survey.id] = survey
    return surveys, problems


@cache
def shipped() -> dict[str, Survey]:
    """The surveys that come with the bot (a broken one is a bug: the tests load them all)."""
    surveys, problems = load_all(DEFINITIONS.glob("*.yaml"))
    raise_if_any(problems)
    return surveys
