"""Reading and showing one answer: typed numbers (checked against the range), choices, yes/no, short text."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal

from handlers.errors import UserError
from handlers.i18n import Localized, Msg, _, verbatim
from handlers.parsing import fold
from handlers.surveys.schema import Question

YES = {"yes", "y", "si", "s", "yeah", "yep"}
NO = {"no", "n", "nope"}
MAX_TEXT = 300


def read_typed(question: Question, text: str, lang: str) -> Any:
    """The value of a typed answer, or a UserError that says what to type instead."""
    words = fold(text.strip())
    if question.type == "number":
        return _number(question, text, lang)
    if question.type == "text":
        if not text.strip():
            raise UserError(_("Please type a short answer, or press Skip."))
        return text.strip()[:MAX_TEXT]
    if question.type == "yesno":
        if words in YES or words in NO:
            return words in YES
        raise UserError(_("Please answer yes or no (or press a button)."))
    if question.type == "rating" and words.isdigit() and 1 <= int(words) <= 5:
        return int(words)
    if question.type == "single":
        for index, option in enumerate(question.options, start=1):
            if words == str(index) or fold(option.label.en) == words or fold(option.label.es) == words:
                return option.id
    raise UserError(_("Please choose with the buttons."))


def _number(question: Question, text: str, lang: str) -> float:
    cleaned = text.strip().replace("$", "").replace("USD", "").replace("FTE", "").strip()
    try:
        value = Decimal(parse_decimal(cleaned, locale=lang))
    except (NumberFormatError, InvalidOperation, ValueError):
        try:
            value = Decimal(cleaned.replace(",", "."))
        except InvalidOperation:
            value = Decimal("NaN")
    assert question.min is not None
    assert question.max is not None
    if value.is_nan() or not question.min <= value <= question.max or (question.integer and value != int(value)):
        raise UserError(range_hint(question))
    return int(value) if question.integer else float(value)


def range_hint(question: Question) -> Msg:
    values = {"min": _n(question.min), "max": _n(question.max), "unit": _unit(question)}
    if question.integer:
        return _("Please type a whole number from {min} to {max}{unit}.", **values)
    return _("Please type a number from {min} to {max}{unit}.", **values)


def _unit(question: Question) -> Localized | str:
    """ " FTE" after a number, or nothing."""
    return Localized(f" {question.unit.en}", f" {question.unit.es}") if question.unit else ""


def show(question: Question, value: Any) -> Msg:
    """An answer as the person reads it back on the review screen."""
    if value is None:
        return _("(skipped)")
    if question.type == "rating":
        return _("{n} · {label}", n=value, label=question.labels[int(value) - 1].both)
    if question.type == "yesno":
        return _("Yes") if value else _("No")
    if question.type == "single":
        return next((o.label.msg for o in question.options if o.id == value), verbatim(str(value)))
    if question.type == "multi":
        chosen = [o for o in question.options if o.id in value]
        return Msg(
            "{text}",
            (("text", Localized(", ".join(o.label.en for o in chosen), ", ".join(o.label.es for o in chosen))),),
        )
    if question.type == "number":
        return _("{value}{unit}", value=_n(value), unit=_unit(question))
    return verbatim(str(value))


def numeric(question: Question, value: Any) -> float | None:
    """The number an answer contributes to a metric (yes = 1, no = 0)."""
    if value is None:
        return None
    if question.type == "yesno":
        return 1.0 if value else 0.0
    return float(value)


def _n(value: float | None) -> float | int | str:
    """Whole numbers as ints; others as floats, which the catalog renders per language (20.5 / 20,5)."""
    if value is None:
        return "?"
    return int(value) if float(value).is_integer() else float(value)
