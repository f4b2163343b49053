"""Display names of the roster's vocabularies, as translatable messages."""

from __future__ import annotations

from handlers.i18n import Localized, Msg, _

ROLE_LABELS: dict[str, Msg] = {
    "teacher": _("teacher"),
    "floater": _("floating teacher"),
    "director": _("director"),
    "supervisor": _("reflective supervisor"),
    "hub": _("Hub staff"),
}

AGE_GROUP_LABELS: dict[str, Msg] = {
    "infant": _("infants"),
    "toddler": _("toddlers"),
    "preschool": _("preschool"),
    "school_age": _("school age"),
}

CREDENTIAL_LABELS: dict[str, Msg] = {
    "background_check": _("background check"),
    "cpr_first_aid": _("pediatric CPR / first aid"),
    "infant_toddler": _("infant/toddler credential"),
}

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español"}


def role_label(role: str) -> Msg:
    return ROLE_LABELS.get(role, Msg(role))


def age_group_label(age_group: str) -> Msg:
    return AGE_GROUP_LABELS.get(age_group, Msg(age_group))


def credential_label(code: str) -> Msg:
    return CREDENTIAL_LABELS.get(code, Msg(code))


def month_label(month: int) -> Localized:
    """`February` / `febrero` (Babel's names: loaded when a date no calendar has is named, not at start-up)."""
    from babel.dates import get_month_names

    return Localized(*(str(get_month_names("wide", locale=lang)[month]) for lang in ("en", "es")))


def ordinal_label(day: int) -> Localized:
    """`30th` / `30`: a day of the month as a sentence says it ("February has no 30th", "No existe el 30 de …")."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return Localized(f"{day}{suffix}", str(day))
