"""Reading and showing one answer: typed numbers (checked against the range), choices, yes/no, short text."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from handlers.errors import UserError
from handlers.i18n import Localized, Msg, Number, _, verbatim
from handlers.parsing import fold
from handlers.surveys.schema import Question, Survey

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


class NeedsChoice(Exception):
    """A typed number that reads two ways ("1,200": a thousand two hundred, or one point two): ask which — or,
    when only one of them is in range, whether that one is meant."""

    def __init__(self, readings: tuple[float, ...]) -> None:
        super().__init__(readings)
        self.readings = readings


NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*$")


def readings(text: str) -> list[Decimal]:
    """Every way a typed number may be read, in either language: "41.5" and "41,5" are 41.5; "1.234,5" and
    "1,234.5" are 1234.5; "1,200" and "1.200" are 1200 or 1.2 (two readings). Empty when it is not a number."""
    cleaned = re.sub(r"[\s\u00a0$]|USD|FTE|%", "", text.strip(), flags=re.IGNORECASE)
    if not NUMBER.match(cleaned):
        return []
    separators = [c for c in cleaned if c in ".,"]
    if not separators:
        return [Decimal(cleaned)]
    last = separators[-1]
    head, _sep, tail = cleaned.rpartition(last)
    if len(set(separators)) == 2:
        grouping = "," if last == "." else "."
        return [Decimal(_grouped(head, grouping) + "." + tail)] if _grouped(head, grouping) and tail.isdigit() else []
    if len(separators) > 1:  # "1.200.000": groups of three
        whole = _grouped(cleaned, last)
        return [Decimal(whole)] if whole else []
    if not tail.isdigit() or not head.lstrip("+-"):
        return []
    decimal = Decimal(f"{head}.{tail}")
    if len(tail) == 3 and head.lstrip("+-") not in ("0", ""):
        return [Decimal(head + tail), decimal]  # thousands, or three decimals
    return [decimal]


def _grouped(text: str, separator: str) -> str:
    """ "1.234.567" with "." → "1234567"; "" unless every group after the first has three digits."""
    first, *rest = text.split(separator)
    if not first.lstrip("+-").isdigit() or any(len(group) != 3 or not group.isdigit() for group in rest):
        return ""
    return first + "".join(rest)


def _number(question: Question, text: str, lang: str) -> float:
    """The number typed, in range; asks which is meant when two readings fit (NeedsChoice)."""
    assert question.min is not None
    assert question.max is not None
    read = readings(text)
    fitting = [
        value
        for value in read
        if question.min <= value <= question.max and not (question.integer and value != int(value))
    ]
    if not fitting:
        raise UserError(range_hint(question))
    if len(read) == 2:  # "1,200" / "1.000": never guessed, even when one reading is out of range
        raise NeedsChoice(tuple(float(value) for value in fitting))
    return int(fitting[0]) if question.integer else float(fitting[0])


def implausible(survey: Survey, question: Question, value: Any, draft: dict[str, Any]) -> Msg | None:
    """Why a number in range is still unlikely, against the other answers (enrollment above the capacity), to be
    confirmed before it is stored; None when it is plausible."""
    for low, high in survey.limits():
        mine, other = (low, high) if question.id == low.id else (high, low) if question.id == high.id else (None, None)
        if mine is None or other is None or draft.get(other.id) is None:
            continue
        below, above = (value, draft[other.id]) if mine is low else (draft[other.id], value)
        if float(below) > float(above):
            return _(
                "“{low}” {low_value} is more than “{high}” {high_value}.",
                low=low.text.both,
                low_value=show(low, below),
                high=high.text.both,
                high_value=show(high, above),
            )
    return None


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


def _n(value: float | None) -> Number | str:
    """A number the reader's way: "20,5" and "5.000.000" in Spanish, "20.5" and "5,000,000" in English."""
    if value is None:
        return "?"
    return Number(float(value), digits=2)
