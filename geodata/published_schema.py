"""members.schema.json: the members file's contract as JSON Schema (draft 2020-12), for
readers outside this project. It is generated from the field tables in geodata/schema.py, so
the two cannot drift apart (``python -m geodata schema`` writes it; a test compares).

The schema says what each value must be. What it cannot say, the build, ``check`` and the
page still check, listed in ``BEYOND`` (and in the README).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from geodata.schema import (
    GAP_FIELDS,
    METADATA_FIELDS,
    PROPERTIES,
    ROUND_FIELDS,
    Checked,
    Field,
    Problem,
    check_collection,
    feature_where,
    nothing_to_show,
)

SCHEMA_FILE = Path(__file__).resolve().parent / "members.schema.json"

# The file's checks that JSON Schema cannot express, in the words of the README.
BEYOND = (
    "each member's round is one of metadata.rounds[].round",
    "ids are unique, and a feature's id equals its property 'id'",
    "no round is listed twice in metadata.rounds",
    "dates are real calendar dates (2025-02-30 is not)",
    "numbers are finite (JSON has no NaN, but some writers emit it)",
    "at least one feature is valid, current (not withdrawn) and placed",
)


def _value(f: Field) -> dict:
    value = dict(f.kind.json)
    if f.choices:
        value["enum"] = list(f.choices)
    if f.doc:
        value["description"] = f.doc
    if f.nullable:
        value = {"anyOf": [value, {"type": "null"}]}
    return value


def _object(fields: tuple[Field, ...], **more) -> dict:
    return {"type": "object",
            "required": [f.name for f in fields if not f.optional],
            "properties": {f.name: _value(f) for f in fields}, **more}


_POINT = {
    "type": "object", "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "minItems": 2, "maxItems": 2, "prefixItems": [
            {"type": "number", "minimum": -180, "maximum": 180, "description": "longitude"},
            {"type": "number", "minimum": -90, "maximum": 90, "description": "latitude"}]},
    },
}

# An "area" has a radius; nothing else does.
_AREA_RADIUS = {
    "if": {"required": ["place_precision"], "properties": {"place_precision": {"const": "area"}}},
    "then": {"required": ["place_radius_km"],
             "properties": {"place_radius_km": {"type": "number"}}},
    "else": {"properties": {"place_radius_km": {"type": "null"}}},
}


def json_schema() -> dict:
    """The members file's JSON Schema, built from geodata/schema.py's tables."""
    metadata = _object(METADATA_FIELDS)
    metadata["properties"]["rounds"]["items"] = _object(ROUND_FIELDS)
    metadata["properties"]["gaps"]["items"] = _object(GAP_FIELDS)
    feature = {
        "type": "object", "required": ["type", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": "string"},
            "geometry": {"anyOf": [_POINT, {"type": "null"}],
                         "description": "null: a member not placed"},
            "properties": _object(PROPERTIES, allOf=[_AREA_RADIUS]),
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Learning Cities Atlas: members of the UNESCO Global Network of Learning Cities",
        "description": "geodata/members.geojson, as `python -m geodata build` writes it. "
                       "Checked beyond this schema: " + "; ".join(BEYOND) + ".",
        "type": "object", "required": ["type", "features", "metadata"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "minItems": 1, "items": feature},
            "metadata": metadata,
        },
    }


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=1) + "\n"


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema())


def schema_problems(collection, limit: int = 12) -> list[str]:
    """What the published schema rejects in a parsed members file (through the jsonschema
    library), each as "where: what" with a JSON path; at most ``limit``."""
    found = sorted(_validator().iter_errors(collection), key=lambda e: list(e.absolute_path))
    return [f"{e.json_path}: {e.message[:160]}" for e in found[:limit]]


def _problem(error, features: list) -> tuple[int | None, Problem]:
    """A jsonschema error in the words of schema.py: which feature (index, id), which
    property; None for a problem of the file as a whole."""
    path = list(error.absolute_path)
    what = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    if len(path) >= 2 and path[0] == "features" and isinstance(path[1], int):
        where = feature_where(path[1], features[path[1]])
        if len(path) >= 4 and path[2] == "properties":
            where += f", property '{path[3]}'"
        elif len(path) >= 3:
            where += f", {path[2]}"
        return path[1], Problem(where, what)
    return None, Problem(".".join(map(str, path)), what)


def full_check(collection) -> Checked:
    """schema.check_collection, then the published schema through jsonschema: a feature it
    alone rejects is left out too, a file problem it alone finds makes the file unusable."""
    checked = check_collection(collection)
    if not checked.usable:
        return checked
    features = collection["features"]
    for error in _validator().iter_errors(collection):
        index, problem = _problem(error, features)
        if index is None:
            checked.file_problems.append(problem)
        elif index not in checked.feature_problems:
            checked.feature_problems[index] = [problem]
    if len(checked.good) > len(features) - len(checked.feature_problems):
        checked.good = [i for i in checked.good if i not in checked.feature_problems]
        checked.file_problems += nothing_to_show(features, checked)
    return checked


def is_current() -> bool:
    """Whether the committed members.schema.json is the one the tables give."""
    try:
        return SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
    except OSError:
        return False
