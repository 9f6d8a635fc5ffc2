"""The kinds of value a members-file field holds: a test for Python's checks, the words its
messages use, and the same rule in JSON Schema (geodata/published_schema.py)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Kind:
    """What a value must be, with the words a message uses for it."""

    name: str
    test: Callable[[object], bool]
    # The same in JSON Schema (geodata/published_schema.py).
    json: dict = field(default_factory=dict, hash=False, compare=False)


def _is_text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_date(value) -> bool:
    if not (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_partial_date(value) -> bool:
    if not isinstance(value, str):
        return False
    if re.fullmatch(r"[0-9]{4}(-(0[1-9]|1[0-2]))?", value):
        return True
    return _is_date(value)


def list_of(kind: Kind) -> Kind:
    return Kind(f"a list of {kind.name}",
                lambda v: isinstance(v, list) and all(kind.test(x) for x in v),
                {"type": "array", "items": kind.json})


def _whole(pattern: str) -> str:
    """A JSON Schema pattern for the whole text. (?!\\n): Python's re (which jsonschema uses)
    lets $ match before a final newline; ECMA-262's does not. This reads the same in both."""
    return f"^(?:{pattern})(?!\\n)$"


_FULL_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"


TEXT = Kind("non-empty text", _is_text, {"type": "string", "pattern": "\\S"})
ANY_TEXT = Kind("text", lambda v: isinstance(v, str), {"type": "string"})
BOOL = Kind("true or false", lambda v: isinstance(v, bool), {"type": "boolean"})
COUNT = Kind("a whole number ≥ 0",
             lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
             {"type": "integer", "minimum": 0})
POSITIVE_COUNT = Kind("a whole number > 0", lambda v: COUNT.test(v) and v > 0,
                      {"type": "integer", "minimum": 1})
POSITIVE = Kind("a number > 0", lambda v: is_number(v) and v > 0,
                {"type": "number", "exclusiveMinimum": 0})
# JSON Schema cannot tell 2025-02-30 from a date ("format" is only a note by default): the
# calendar is one of the checks beyond the published schema (published_schema.BEYOND).
DATE = Kind("a date YYYY-MM-DD", _is_date,
            {"type": "string", "pattern": _whole(_FULL_DATE), "format": "date"})
PARTIAL_DATE = Kind("a date YYYY, YYYY-MM or YYYY-MM-DD", _is_partial_date,
                    {"type": "string",
                     "pattern": _whole(f"[0-9]{{4}}(-(0[1-9]|1[0-2]))?|{_FULL_DATE}")})
_ID_PATTERN = "[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*"
MEMBER_ID = Kind("an id like 'ae-ajman'", lambda v: isinstance(v, str) and bool(
    re.fullmatch(_ID_PATTERN, v)), {"type": "string", "pattern": _whole(_ID_PATTERN)})
ISO2 = Kind("an ISO 3166-1 alpha-2 code like 'AE'",
            lambda v: isinstance(v, str) and bool(re.fullmatch(r"[A-Z]{2}", v)),
            {"type": "string", "pattern": _whole("[A-Z]{2}")})
ISO3166_2 = Kind("an ISO 3166-2 code like 'AR-S'",
                 lambda v: isinstance(v, str) and bool(re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", v)),
                 {"type": "string", "pattern": _whole("[A-Z]{2}-[A-Z0-9]{1,3}")})
SHA256 = Kind("a SHA-256 hex digest or null", lambda v: v is None or (
    isinstance(v, str) and bool(re.fullmatch(r"[0-9a-f]{64}", v))),
    {"type": ["string", "null"], "pattern": _whole("[0-9a-f]{64}")})
