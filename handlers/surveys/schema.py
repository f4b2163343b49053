"""Survey definitions: YAML files checked with pydantic. A file with any error is reported and not loaded."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from handlers.i18n import Localized, Msg, localized

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


class SurveyFileError(Exception):
    """A definition file that cannot be used, with the file and the field named."""


def load_file(path: Path) -> Survey:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as problem:
        raise SurveyFileError(f"{path.name}: not valid YAML ({problem})") from problem
    try:
        survey = Survey.model_validate(data)
    except ValidationError as problem:
        first = problem.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top)"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SurveyFileError(f"{path.name}: {where}: {message}") from problem
    if survey.id != path.stem:
        raise SurveyFileError(f"{path.name}: id: must match the file name ({path.stem!r})")
    return survey


def load_all(paths: Iterable[Path]) -> tuple[dict[str, Survey], list[str]]:
    """Every valid survey by id, and a message per rejected file (nothing of a rejected file is kept)."""
    surveys: dict[str, Survey] = {}
    problems = []
    for path in sorted(paths):
        try:
            survey = load_file(path)
        except SurveyFileError as problem:
            problems.append(str(problem))
            continue
        surveys[survey.id] = survey
    return surveys, problems


@cache
def shipped() -> dict[str, Survey]:
    """The surveys that come with the bot (a broken one is a bug: the tests load them all)."""
    surveys, problems = load_all(DEFINITIONS.glob("*.yaml"))
    if problems:
        raise SurveyFileError("; ".join(problems))
    return surveys
