"""Display names of the roster's vocabularies, as translatable messages."""

from __future__ import annotations

from handlers.i18n import Msg, _

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
