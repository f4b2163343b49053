"""Understanding a free-text request for cover, in English and Spanish (spec/parsing.md)."""

from handlers.parsing.request import ParsedRequest, ShiftSpec, parse_request

__all__ = ["ParsedRequest", "ShiftSpec", "parse_request"]
