"""One validated row of each roster file. Validation only: nothing here touches the database."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.roster.vocab import AgeGroup, Language, Role

SITE_COLUMNS = ("site", "timezone", "opens", "closes", "rooms")
# What people are shown about a site, in English and (optionally: empty means the English) Spanish.
OPTIONAL_SITE_COLUMNS = ("address", "bring", "address_es", "bring_es")
PEOPLE_COLUMNS = (
    "name",
    "site",
    "roles",
    "room",
    "email",
    "phone",
    "language",
    "age_groups",
    "credentials",
    "slack_user_id",
    "telegram_user_id",
)
OPTIONAL_PEOPLE_COLUMNS = ("supervisor",)  # a file without it leaves everyone's supervisor as it is
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CREDENTIAL_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
PHONE_REGION = "US"  # how a number written without +country code is read


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class RoomSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    age_group: AgeGroup


class SiteRow(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    site: str
    timezone: str = ""
    opens: time
    closes: time
    rooms: tuple[RoomSpec, ...] = ()
    address: str = ""
    bring: str = ""
    address_es: str = ""
    bring_es: str = ""

    @field_validator("site")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value:
            raise ValueError("site name is empty")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {value!r} (use an IANA name like America/New_York)") from exc
        return value

    @field_validator("rooms", mode="before")
    @classmethod
    def _rooms(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        specs = []
        for part in split_list(value):
            name, sep, group = part.rpartition(":")
            if not sep or not name.strip():
                raise ValueError(f"room {part!r} should look like Name:age_group")
            specs.append({"name": name.strip(), "age_group": group.strip().lower()})
        names = [spec["name"].lower() for spec in specs]
        if len(names) != len(set(names)):
            raise ValueError("a room is listed twice")
        return specs

    @model_validator(mode="after")
    def _hours(self) -> SiteRow:
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self


class PersonRow(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    name: str
    site: str = ""
    roles: frozenset[Role]
    room: str = ""
    email: str = ""
    phone: str = ""
    language: Language = Language.en
    age_groups: frozenset[AgeGroup] = frozenset()
    credentials: tuple[tuple[str, date | None], ...] = ()
    slack_user_id: str = ""
    telegram_user_id: str = ""
    supervisor: str | None = None  # a teacher's reflective supervisor, by name; None: the file has no such column

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value:
            raise ValueError("name is empty")
        return value

    @field_validator("roles", "age_groups", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return [part.lower() for part in split_list(value)] if isinstance(value, str) else value

    @field_validator("roles")
    @classmethod
    def _some_role(cls, value: frozenset[Role]) -> frozenset[Role]:
        if not value:
            raise ValueError("at least one role is needed")
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        return (value.strip().lower() or "en") if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not EMAIL.match(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value.lower()

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        """Stored as +15551234567 (E.164), whatever the spreadsheet's punctuation."""
        if not value:
            return value
        try:
            number = phonenumbers.parse(value, PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValueError(f"{value!r} is not a phone number (write the area code, and +country code outside the US)")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @field_validator("credentials", mode="before")
    @classmethod
    def _credentials(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        parsed: list[tuple[str, date | None]] = []
        for part in split_list(value):
            code, sep, expiry = part.partition(":")
            code = code.strip().lower()
            if not CREDENTIAL_CODE.match(code):
                raise ValueError(f"credential code {code!r} should be lower_case_with_underscores")
            try:
                parsed.append((code, date.fromisoformat(expiry.strip()) if sep else None))
            except ValueError as exc:
                raise ValueError(f"credential {part!r}: the date must be YYYY-MM-DD") from exc
        return tuple(sorted(parsed))

    @model_validator(mode="after")
    def _coherent(self) -> PersonRow:
        if self.room and not self.site:
            raise ValueError("a room needs a site")
        if Role.teacher in self.roles and not self.site:
            raise ValueError("a teacher needs a site")
        if Role.director in self.roles and not self.site:
            raise ValueError("a director needs a site")
        if self.supervisor and Role.teacher not in self.roles:
            raise ValueError("supervisor: only a teacher has a reflective supervisor")
        if self.supervisor and self.supervisor.lower() == self.name.lower():
            raise ValueError("supervisor: a teacher cannot be her own supervisor")
        return self


PREFERENCE_COLUMNS = ("site", "floater", "kind")


class PreferenceRow(BaseModel):
    """A site's favourite floater (offered first) or a blocked one (never offered there)."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    site: str = Field(min_length=1)
    floater: str = Field(min_length=1)
    kind: Literal["favourite", "blocked"]

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return value.strip().lower().replace("favorite", "favourite") if isinstance(value, str) else value
