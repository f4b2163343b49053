"""Understanding a free-text request for cover, in English and Spanish (spec/parsing.md)."""

from handlers.parsing.request import CLOSES, OPENS, ParsedRequest, ShiftSpec, parse_request
from handlers.parsing.rooms import named_after_in
from handlers.parsing.text import fold, normalise
from handlers.parsing.times import read_clock

__all__ = [
    "CLOSES",
    "OPENS",
    "ParsedRequest",
    "ShiftSpec",
    "fold",
    "named_after_in",
    "normalise",
    "parse_request",
    "read_clock",
]
