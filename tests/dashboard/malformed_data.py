"""Malformed members.geojson files, each with what the page must say about it.

Each case turns the small fixture into a broken file. ``page`` is "error" when the file is
unusable as a whole (the page shows only the error) or "warning" when single features are
bad (they are left out, listed in a warning, and the rest is shown). ``says`` is a piece of
the message the user sees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "members_small.geojson"


def small() -> dict:
    return json.loads(SMALL.read_text(encoding="utf-8"))


def dump(collection) -> bytes:
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def edited(edit):
    """A case body: apply ``edit`` to the parsed small fixture and serialise it again."""
    def make() -> bytes:
        collection = small()
        edit(collection)
        return dump(collection)
    return make


def feature(collection, fid: str) -> dict:
    return next(f for f in collection["features"] if f["id"] == fid)


def _set(fid, **props):
    def edit(c):
        feature(c, fid)["properties"].update(props)
    return edit


def _geometry(fid, geometry):
    def edit(c):
        feature(c, fid)["geometry"] = geometry
    return edit


def _all(fn):
    def edit(c):
        for f in c["features"]:
            fn(f)
    return edit


def _raw(text: bytes):
    return lambda: text


@dataclass(frozen=True)
class Case:
    make: object  # () -> bytes, or None for "no file at all"
    page: str  # "error" | "warning"
    says: str  # part of the message the user sees


CASES: dict[str, Case] = {
    # the file as a whole is unusable: an error page, no map
    "missing file": Case(None, "error", "is missing or cannot be read"),
    "empty file": Case(_raw(b""), "error", "the file is empty"),
    "not JSON": Case(_raw(b"id,city\nae-ajman,Ajman\n"), "error",
                     "not valid JSON: Expecting value (line 1, column 1)"),
    "truncated": Case(lambda: SMALL.read_bytes()[:5000], "error",
                      "the text ends early (truncated?)"),
    "latin-1": Case(lambda: SMALL.read_text(encoding="utf-8").encode("latin-1", "replace"),
                    "error", "not UTF-8 text: byte 0xfc on line 518"),
    "byte order mark": Case(lambda: b"\xef\xbb\xbf" + SMALL.read_bytes(), "error",
                            "starts with a byte order mark"),
    "JSON array": Case(lambda: dump(small()["features"]), "error",
                       "not a GeoJSON FeatureCollection (got a list of 21)"),
    "not a FeatureCollection": Case(edited(lambda c: c.update(type="Feature")), "error",
                                    "not a GeoJSON FeatureCollection (got type text 'Feature')"),
    "features not a list": Case(edited(lambda c: c.update(features={"a": 1})), "error",
                                "features: expected a list of features, got an object"),
    "empty features": Case(edited(lambda c: c.update(features=[])), "error",
                           "the list is empty: the file holds no members"),
    "all geometry null": Case(edited(_all(lambda f: f.update(geometry=None))), "error",
                              "no member has a location (every geometry is null)"),
    "only withdrawn members": Case(
        edited(_all(lambda f: f["properties"].update(status="withdrawn"))), "error",
        "every member in the file is withdrawn"),
    "every feature invalid": Case(edited(_all(lambda f: f["properties"].update(capital="no"))),
                                  "error", "none of the 21 features is valid"),
    "metadata missing": Case(edited(lambda c: c.pop("metadata")), "error",
                             "metadata: expected an object with the rounds, got null"),
    "rounds missing": Case(edited(lambda c: c["metadata"].pop("rounds")), "error",
                           "metadata, property 'rounds': missing"),
    "announced figure as text": Case(
        edited(lambda c: c["metadata"]["rounds"][1].update(announced_members="38")), "error",
        "metadata.rounds[1] (round '2019'), property 'announced_members': expected a whole "
        "number ≥ 0 or null, got text '38'"),
    "round listed twice": Case(
        edited(lambda c: c["metadata"]["rounds"].append(c["metadata"]["rounds"][0])), "error",
        "(round '2015-2018'): this round is listed twice"),
    "NaN in the file": Case(
        lambda: SMALL.read_bytes().replace(b"-40.35", b"NaN", 1), "error",
        "NaN is not allowed in JSON"),
    # single features are bad: they are left out and listed, the rest is shown
    "coordinates not numbers": Case(
        edited(_geometry("br-sobral", {"type": "Point", "coordinates": ["-40.35", "-3.69"]})),
        "warning", "feature 19 (id 'br-sobral'), geometry: coordinates must be numbers, "
                   "got text '-40.35', text '-3.69'"),
    "Point without coordinates": Case(
        edited(_geometry("br-sobral", {"type": "Point"})), "warning",
        "feature 19 (id 'br-sobral'), geometry: a Point needs coordinates [longitude, "
        "latitude], got none"),
    "coordinates out of range": Case(
        edited(_geometry("br-sobral", {"type": "Point", "coordinates": [-40.35, 93.7]})),
        "warning", "are outside longitude -180..180 / latitude -90..90"),
    "wrong property type": Case(
        edited(_set("br-sobral", capital="yes")), "warning",
        "feature 19 (id 'br-sobral'), property 'capital': expected true or false, got text 'yes'"),
    "value not allowed": Case(
        edited(_set("br-sobral", region="Atlantis")), "warning",
        "property 'region': text 'Atlantis' is not one of 'Africa'"),
    "required property missing": Case(
        edited(lambda c: feature(c, "br-sobral")["properties"].pop("city")), "warning",
        "feature 19 (id 'br-sobral'), property 'city': missing"),
    "round not in the metadata": Case(
        edited(_set("br-sobral", round="2031")), "warning",
        "property 'round': text '2031' is not a round listed in metadata.rounds"),
    "area without a radius": Case(
        edited(_set("br-sobral", place_precision="area")), "warning",
        "property 'place_radius_km': required when place_precision is 'area'"),
    "bad subdivision": Case(
        edited(_set("br-sobral", subdivision="Ceará")), "warning",
        "property 'subdivision': expected an ISO 3166-2 code like 'AR-S' or null"),
    "duplicate id": Case(
        edited(lambda c: c["features"].append(feature(c, "br-sobral"))), "warning",
        "feature 21 (id 'br-sobral'): the id repeats feature 19"),
    "feature not an object": Case(
        edited(lambda c: c["features"].append("oops")), "warning",
        "feature 21: expected a GeoJSON Feature object, got text 'oops'"),
}

# What every "warning" case leaves on the map: the fixture's 19 placed members less the bad one.
WARNING_SHOWN = {"duplicate id": 19, "feature not an object": 19}
