"""Forms: what a platform with dialogs (Slack's modals) shows instead of a conversation, in neutral terms.

A feature registers a form with `registry.form`: `describe` says which fields a person gets (her site's rooms,
its hours, the reasons) and `submit` takes the submitted values and either raises `FieldErrors` (each message
the one the chat would give, on the field to change) or does what the chat's last step does, with the same
replies. The adapter renders a `Form` as widgets and hands the values back; it never validates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum

from handlers.contract import Reply
from handlers.errors import UserError
from handlers.i18n import Msg, _

Values = Mapping[str, str]  # field name → the value submitted ("" when an optional field was left empty)


class FieldKind(StrEnum):
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # HH:MM
    CHOICE = "choice"  # one of the options' values


@dataclass(frozen=True)
class Option:
    value: str
    label: Msg


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind
    label: Msg
    options: tuple[Option, ...] = ()
    initial: str | None = None
    optional: bool = False
    hint: Msg | None = None


@dataclass(frozen=True)
class Form:
    """A dialog: its title, the fields in order, the submit button's label."""

    name: str
    title: Msg
    submit: Msg
    fields: tuple[Field, ...]


class FieldErrors(UserError):
    """Submitted values that cannot be used: a message for each field to change. Nothing is stored."""

    def __init__(self, errors: Mapping[str, Msg]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = dict(errors)


@dataclass(frozen=True)
class FormSpec:
    """What a feature registers: who may open the form, how it looks for her, what a submission does."""

    name: str
    roles: frozenset[str]
    describe: Callable[..., Form]  # (ctx) → Form; raises UserError when she cannot use it now
    submit: Callable[..., list[Reply]]  # (ctx, values) → the replies; raises FieldErrors
    main_field: str  # where a problem that names no field is shown
    command: str  # the chat command it stands for (`floater`): said with nothing after it, the form opens


@dataclass
class Errors:
    """Collects one message per field, the first found for each (the chat would have said that one first)."""

    found: dict[str, Msg] = field(default_factory=dict)

    def add(self, name: str, message: Msg) -> None:
        self.found.setdefault(name, message)

    def check(self) -> None:
        if self.found:
            raise FieldErrors(self.found)


PICK_ONE = _("Please choose one of the options.")
A_DATE = _("Please pick a date.")
A_TIME = _("Please pick a time.")


def read_date(values: Values, name: str, errors: Errors, *, optional: bool = False) -> date | None:
    raw = values.get(name, "").strip()
    if not raw and optional:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.add(name, A_DATE)
        return None


def read_time(values: Values, name: str, errors: Errors) -> time | None:
    try:
        return time.fromisoformat(values.get(name, "").strip())
    except ValueError:
        errors.add(name, A_TIME)
        return None


def read_choice(values: Values, name: str, allowed: Mapping[str, object], errors: Errors) -> str | None:
    raw = values.get(name, "")
    if raw not in allowed:
        errors.add(name, PICK_ONE)
        return None
    return raw
