"""The small closed vocabularies the roster and the requests use."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    teacher = "teacher"
    floater = "floater"
    director = "director"
    supervisor = "supervisor"
    hub = "hub"


class AgeGroup(StrEnum):
    infant = "infant"
    toddler = "toddler"
    preschool = "preschool"
    school_age = "school_age"


class Language(StrEnum):
    en = "en"
    es = "es"


class Platform(StrEnum):
    console = "console"
    telegram = "telegram"
    slack = "slack"
