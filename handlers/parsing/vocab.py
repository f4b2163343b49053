"""The calendar and clock words a request is read with, English and Spanish, accent-folded and lower-case."""

from __future__ import annotations


def words(listing: str) -> tuple[str, ...]:
    """`"a|b c|d"` → `("a", "b c", "d")`: word lists kept short to read."""
    return tuple(word.strip() for word in listing.split("|") if word.strip())


# Spanish abbreviations too (`lun`, `mié`, `vie`), but not `mar`: that is March.
WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(words("monday|mon|lunes|lun"), 0),
    **dict.fromkeys(words("tuesday|tues|tue|martes"), 1),
    **dict.fromkeys(words("wednesday|weds|wed|miercoles|mie|mier"), 2),
    **dict.fromkeys(words("thursday|thurs|thur|thu|jueves|jue|juev"), 3),
    **dict.fromkeys(words("friday|fri|viernes|vie|vier"), 4),
    **dict.fromkeys(words("saturday|sat|sabado|sab"), 5),
    **dict.fromkeys(words("sunday|sun|domingo|dom"), 6),
}

# "mondays", "los sabados": plural weekdays, read as every week.
WEEKDAY_PLURALS: dict[str, int] = {
    **dict.fromkeys(words("mondays|lunes"), 0),
    **dict.fromkeys(words("tuesdays|martes"), 1),
    **dict.fromkeys(words("wednesdays|miercoles"), 2),
    **dict.fromkeys(words("thursdays|jueves"), 3),
    **dict.fromkeys(words("fridays|viernes"), 4),
    **dict.fromkeys(words("saturdays|sabados"), 5),
    **dict.fromkeys(words("sundays|domingos"), 6),
}

MONTHS: dict[str, int] = {
    **dict.fromkeys(words("january|jan|enero|ene"), 1),
    **dict.fromkeys(words("february|feb|febrero"), 2),
    **dict.fromkeys(words("march|mar|marzo"), 3),
    **dict.fromkeys(words("april|apr|abril"), 4),
    **dict.fromkeys(words("may|mayo"), 5),
    **dict.fromkeys(words("june|jun|junio"), 6),
    **dict.fromkeys(words("july|jul|julio"), 7),
    **dict.fromkeys(words("august|aug|agosto|ago"), 8),
    **dict.fromkeys(words("september|sept|sep|septiembre|setiembre"), 9),
    **dict.fromkeys(words("october|oct|octubre"), 10),
    **dict.fromkeys(words("november|nov|noviembre"), 11),
    **dict.fromkeys(words("december|dec|diciembre|dic"), 12),
}

TODAY = words("today|hoy|tonight")
TOMORROW = words("tomorrow|tmrw|tmr|tmw|tmrow|2morrow|2moro|manana")
DAY_AFTER_TOMORROW = words("day after tomorrow|pasado manana")
YESTERDAY = words("yesterday|yday|ayer|last night|anoche")
DAY_BEFORE_YESTERDAY = words("day before yesterday|anteayer|antier|antes de ayer|antes de anoche|antenoche")
NEXT_WEEK = words(
    "next week|la proxima semana|proxima semana|la semana que viene|semana que viene|la semana proxima|semana proxima"
)
THIS_WEEK = words("this week|esta semana|en esta semana")
LAST_WEEK = words("last week|past week|la semana pasada|semana pasada|la pasada semana")

NUMBER_WORDS: dict[str, float] = {
    **{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8},
    **{"una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8},
    **{"half a": 0.5, "half an": 0.5, "media": 0.5},
}

# Spelling fixes are only tried towards these words (and only for words of five letters or more).
SPELLING_TARGETS = (
    *(word for word in WEEKDAYS if len(word) >= 5),
    *(word for word in WEEKDAY_PLURALS if len(word) >= 5),
    *(word for word in MONTHS if len(word) >= 5),
    *words("tomorrow|today|yesterday|toddler|toddlers|infant|infants|babies|preschool|planning|training"),
    *words("supervision|reflective|coaching|appointment|dentist|doctor|vacation|wedding|funeral|workshop"),
    *words("conference|coverage|floater|substitute|morning|afternoon|until"),
    *words("preescolar|capacitacion|planificacion|vacaciones|enferma|enfermo|cobertura|suplente|flotante|necesito"),
    *words("entrenamiento|conferencia|reflexion"),
)
