"""The one definition of geodata/members.geojson: what the build writes and the page reads.

A FeatureCollection whose ``metadata`` lists the rounds in order (earliest first,
undated rounds last) with their announced figures, and whose features are the
members: a Point ``[lon, lat]`` or a null geometry (not placed), with the
properties in ``PROPERTIES``. ``python -m geodata build``, ``check`` and the
dashboard check a file with ``published_schema.full_check`` (``check_collection``
here, then the published JSON Schema): the build writes nothing that fails, the
dashboard shows the rows that pass.

Problems come in two sizes. A *file* problem (not JSON, not a FeatureCollection,
bad metadata, nothing left to show) makes the file unusable as a whole. A
*feature* problem (one bad coordinate, a wrong type) leaves that feature out; the
rest is still usable. Every message says where (``feature 12 (id 'ae-ajman')``,
property) and what is wrong, and never names a path on the server.

To add a property, add one ``Field`` row to ``PROPERTIES`` (and a rule to
``_feature_rules`` if it depends on another property).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geodata.kinds import (
    ANY_TEXT,
    BOOL,
    COUNT,
    DATE,
    ISO2,
    ISO3166_2,
    MEMBER_ID,
    PARTIAL_DATE,
    POSITIVE,
    POSITIVE_COUNT,
    SHA256,
    TEXT,
    Kind,
    is_number,
    list_of,
)
from geodata.seedmodel import (
    BOUNDS,
    EVIDENCE,
    LAPSES,
    PRECISIONS,
    REGIONS,
    ROUND_BASES,
    STATUSES,
)

MAX_LISTED = 12  # problems spelled out in a message; the rest are counted


@dataclass(frozen=True, slots=True)
class Field:
    """One property: its kind, whether it may be null or absent, and its allowed values."""

    name: str
    kind: Kind
    nullable: bool = False
    optional: bool = False  # may be absent: added later, files from before lack it
    choices: tuple = ()
    doc: str = ""
    placed: bool = False  # written by the placement; else copied from seeds/members.csv
    unplaced: object = None  # a placement field's value on a member with no point
    exported: bool = True  # in the page's CSV and GeoJSON downloads


# --- the table ----------------------------------------------------------------------------

PLACE_METHODS = ("gazetteer", "override", "nominatim")
SUBDIVISION_CHECKS = ("agrees", "differs", "not stated")
PLACE_PRECISIONS = PRECISIONS  # seeds/overrides.csv's precision; gazetteer matches are "place"

PROPERTIES: tuple[Field, ...] = (
    # members.csv, as the build copies it
    Field("id", MEMBER_ID, doc="also the feature's id"),
    Field("city", TEXT),
    Field("country", TEXT),
    Field("iso2", ISO2),
    Field("region", TEXT, choices=REGIONS),
    Field("round", TEXT, doc="one of metadata.rounds[].round"),
    Field("admitted", PARTIAL_DATE, nullable=True),
    Field("round_basis", TEXT, choices=ROUND_BASES, exported=False),
    Field("capital", BOOL),
    Field("first_time_country", TEXT, nullable=True, choices=("yes", "no"), exported=False),
    Field("status", TEXT, choices=STATUSES),
    Field("evidence", TEXT, choices=EVIDENCE),
    Field("source_url", TEXT),
    Field("note", ANY_TEXT),
    # how the build placed the member (null when not placed)
    Field("place_method", TEXT, nullable=True, choices=PLACE_METHODS, placed=True),
    Field("place_name", TEXT, nullable=True, placed=True, exported=False),
    Field("geonames_id", COUNT, nullable=True, placed=True, exported=False),
    Field("place_source", TEXT, nullable=True, placed=True, exported=False),
    Field("check_in_country", BOOL, placed=True, unplaced=False, exported=False),
    Field("check_capital", TEXT, doc="'agrees', 'not placed' or the disagreement in words",
          placed=True, unplaced="not placed", exported=False),
    # the placement contract (issue 11): optional until every file carries them
    Field("subdivision", ISO3166_2, nullable=True, optional=True,
          doc="first-level subdivision of the point", placed=True),
    Field("place_precision", TEXT, nullable=True, optional=True, choices=PLACE_PRECISIONS,
          placed=True),
    Field("place_radius_km", POSITIVE, nullable=True, optional=True,
          doc="required when place_precision is 'area'", placed=True),
    Field("check_subdivision", TEXT, nullable=True, optional=True, choices=SUBDIVISION_CHECKS,
          placed=True, exported=False),
    # a member that may have left, or did (seeds/README.md): optional, files from before lack it
    Field("lapse", TEXT, nullable=True, optional=True, choices=LAPSES),
    Field("lapse_date", PARTIAL_DATE, nullable=True, optional=True),
    Field("lapse_sources", list_of(TEXT), optional=True, doc="the pages that say so"),
)

# Every module that names member properties takes them from here.
COPIED_PROPERTIES = tuple(f for f in PROPERTIES if not f.placed)  # from seeds/members.csv
PLACEMENT_PROPERTIES = tuple(f for f in PROPERTIES if f.placed)
UNPLACED_VALUES = {f.name: f.unplaced for f in PLACEMENT_PROPERTIES}
EXPORTED_PROPERTIES = tuple(f.name for f in PROPERTIES if f.exported)
# Text a reader may show as it is: never null in a valid file.
TEXT_PROPERTIES = tuple(f.name for f in PROPERTIES
                        if f.kind in (TEXT, ANY_TEXT, ISO2) and not f.nullable)

ROUND_FIELDS: tuple[Field, ...] = (
    Field("round", TEXT, doc="the key members' 'round' property refers to"),
    Field("label", TEXT),
    Field("announced_on", DATE, nullable=True),
    Field("period_start", DATE, nullable=True, doc="null: an undated round (e.g. 'unknown')"),
    Field("period_end", DATE, nullable=True),
    Field("announced_members", COUNT, nullable=True),
    Field("announced_countries", COUNT, nullable=True),
    Field("network_members_after", COUNT, nullable=True),
    Field("network_countries_after", COUNT, nullable=True),
    Field("capitals", list_of(TEXT), optional=True),
    Field("first_time_countries", list_of(ISO2), optional=True),
    Field("source_url", TEXT, nullable=True),
)

GAP_FIELDS: tuple[Field, ...] = (
    Field("id", TEXT),
    Field("rounds", list_of(TEXT), doc="empty: every round"),
    Field("region", TEXT, nullable=True, choices=REGIONS),
    Field("iso2", ISO2, nullable=True),
    Field("admitted_year", COUNT, nullable=True),
    Field("announced", POSITIVE_COUNT),
    Field("bound", TEXT, choices=BOUNDS),
    Field("claim", TEXT),
    Field("source_url", TEXT),
    Field("note", ANY_TEXT, optional=True),
)

METADATA_FIELDS: tuple[Field, ...] = (
    Field("generator", TEXT, optional=True),
    Field("seeds_sha256", Kind("an object of file name -> SHA-256", lambda v: isinstance(
        v, dict) and all(SHA256.test(x) for x in v.values()),
        {"type": "object", "additionalProperties": SHA256.json}), optional=True),
    Field("rounds", Kind("a list of rounds", lambda v: isinstance(v, list) and v != [],
                         {"type": "array", "minItems": 1}),
          doc="in order: earliest first, undated rounds last"),
    Field("unplaced", list_of(MEMBER_ID), optional=True, doc="ids of members with no point"),
    Field("gaps", Kind("a list of gaps", lambda v: isinstance(v, list), {"type": "array"}),
          optional=True,
          doc="seeds/gaps.csv: counts of members the roster does not name yet"),
)


# --- problems ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Problem:
    """Where (feature, property) and what is wrong, in words a maintainer can act on."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what


@dataclass
class Checked:
    """The outcome of a check: file problems, and the problems of each left-out feature."""

    file_problems: list[Problem] = field(default_factory=list)
    feature_problems: dict[int, list[Problem]] = field(default_factory=dict)
    good: list[int] = field(default_factory=list)  # indices of the features that pass

    @property
    def usable(self) -> bool:
        return not self.file_problems

    @property
    def ok(self) -> bool:
        return not self.file_problems and not self.feature_problems

    def all_problems(self) -> list[Problem]:
        return self.file_problems + [p for ps in self.feature_problems.values() for p in ps]


def describe(value) -> str:
    """A value as a message shows it: its JSON type and a short excerpt."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}" if value.strip() else "empty text"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _check_fields(values: dict, fields, where: str) -> list[Problem]:
    problems = []
    for f in fields:
        at = f"{where}, property '{f.name}'"
        if f.name not in values:
            if not f.optional:
                problems.append(Problem(at, "missing"))
            continue
        value = values[f.name]
        if value is None:
            if not f.nullable:
                problems.append(Problem(at, f"null, expected {f.kind.name}"))
            continue
        if not f.kind.test(value):
            expected = f.kind.name + (" or null" if f.nullable else "")
            problems.append(Problem(at, f"expected {expected}, got {describe(value)}"))
        elif f.choices and value not in f.choices:
            allowed = ", ".join(repr(c) for c in f.choices)
            problems.append(Problem(at, f"{describe(value)} is not one of {allowed}"))
    return problems


def feature_where(index: int, feature) -> str:
    fid = feature.get("id") if isinstance(feature, dict) else None
    if isinstance(fid, str) and fid:
        shown = fid if len(fid) <= 40 else fid[:37] + "..."
        return f"feature {index} (id {shown!r})"
    return f"feature {index}"


def _check_geometry(geometry, where: str) -> list[Problem]:
    at = f"{where}, geometry"
    if geometry is None:
        return []  # not placed
    if not isinstance(geometry, dict):
        return [Problem(at, f"expected a Point or null, got {describe(geometry)}")]
    if geometry.get("type") != "Point":
        return [Problem(at, f"expected a Point or null, got type {describe(geometry.get('type'))}")]
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) != 2:
        return [Problem(at, "a Point needs coordinates [longitude, latitude], got "
                            + ("none" if coords is None else describe(coords)))]
    lon, lat = coords
    if not (is_number(lon) and is_number(lat)):
        return [Problem(at, f"coordinates must be numbers, got {describe(lon)}, {describe(lat)}")]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return [Problem(at, f"coordinates [{lon}, {lat}] are outside longitude -180..180 "
                            "/ latitude -90..90")]
    return []


def _feature_rules(props: dict, where: str, round_keys: set[str]) -> list[Problem]:
    """Rules between properties (run once each property has the right kind)."""
    problems = []
    rnd = props.get("round")
    if isinstance(rnd, str) and rnd and rnd not in round_keys:
        problems.append(Problem(f"{where}, property 'round'",
                                f"{describe(rnd)} is not a round listed in metadata.rounds"))
    if props.get("place_precision") == "area" and props.get("place_radius_km") is None:
        problems.append(Problem(f"{where}, property 'place_radius_km'",
                                "required when place_precision is 'area'"))
    if props.get("place_precision") != "area" and props.get("place_radius_km") is not None:
        problems.append(Problem(f"{where}, property 'place_radius_km'",
                                "only an 'area' has a radius; expected null"))
    return problems


def check_feature(index: int, feature, round_keys: set[str]) -> list[Problem]:
    """Problems of one feature (empty when it can be shown)."""
    where = feature_where(index, feature)
    if not isinstance(feature, dict):
        return [Problem(where, f"expected a GeoJSON Feature object, got {describe(feature)}")]
    if feature.get("type") != "Feature":
        return [Problem(where, f"'type' must be 'Feature', got {describe(feature.get('type'))}")]
    props = feature.get("properties")
    if not isinstance(props, dict):
        return [Problem(f"{where}, properties", f"expected an object, got {describe(props)}")]
    problems = _check_geometry(feature.get("geometry"), where)
    problems += _check_fields(props, PROPERTIES, where)
    if problems:
        return problems
    if "id" in feature and feature["id"] != props["id"]:
        problems.append(Problem(f"{where}, id",
                                f"the feature id differs from property 'id' {props['id']!r}"))
    return problems + _feature_rules(props, where, round_keys)


def _check_metadata(collection: dict) -> tuple[list[Problem], set[str]]:
    metadata = collection.get("metadata")
    if not isinstance(metadata, dict):
        return [Problem("metadata", f"expected an object with the rounds, got {describe(metadata)}"
                        )], set()
    problems = _check_fields(metadata, METADATA_FIELDS, "metadata")
    keys: set[str] = set()
    rounds = metadata.get("rounds")
    if not isinstance(rounds, list):
        return problems, keys
    for i, entry in enumerate(rounds):
        where = f"metadata.rounds[{i}]"
        if not isinstance(entry, dict):
            problems.append(Problem(where, f"expected an object, got {describe(entry)}"))
            continue
        if isinstance(entry.get("round"), str) and entry["round"].strip():
            where += f" (round {entry['round']!r})"
            if entry["round"] in keys:
                problems.append(Problem(where, "this round is listed twice"))
            keys.add(entry["round"])
        problems += _check_fields(entry, ROUND_FIELDS, where)
    for i, entry in enumerate(metadata.get("gaps") or []):
        where = f"metadata.gaps[{i}]"
        if not isinstance(entry, dict):
            problems.append(Problem(where, f"expected an object, got {describe(entry)}"))
            continue
        problems += _check_fields(entry, GAP_FIELDS, where)
    return problems, keys


def check_collection(collection) -> Checked:
    """Check a parsed members.geojson against the contract."""
    result = Checked()
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        got = (f"type {describe(collection.get('type'))}" if isinstance(collection, dict)
               else describe(collection))
        result.file_problems.append(Problem(
            "", f"the file is not a GeoJSON FeatureCollection (got {got})"))
        return result
    features = collection.get("features")
    if not isinstance(features, list):
        result.file_problems.append(Problem(
            "features", f"expected a list of features, got {describe(features)}"))
        return result
    meta_problems, round_keys = _check_metadata(collection)
    if meta_problems:
        result.file_problems += meta_problems
        return result
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        problems = check_feature(index, feature, round_keys)
        if not problems:
            fid = feature["properties"]["id"]
            if fid in seen:
                problems = [Problem(feature_where(index, feature),
                                    f"the id repeats feature {seen[fid]}")]
            else:
                seen[fid] = index
        if problems:
            result.feature_problems[index] = problems
        else:
            result.good.append(index)
    result.file_problems += nothing_to_show(features, result)
    return result


def nothing_to_show(features: list, result: Checked) -> list[Problem]:
    """A file whose valid rows hold no placed, current member cannot make a map."""
    if not features:
        return [Problem("features", "the list is empty: the file holds no members")]
    if not result.good:
        return [Problem("features", f"none of the {len(features)} features is valid")]
    good = [features[i] for i in result.good]
    current = [f for f in good if f["properties"]["status"] != "withdrawn"]
    if not current:
        return [Problem("features", "every member in the file is withdrawn: nothing to show")]
    if all(f["geometry"] is None for f in current):
        return [Problem("features", "no member has a location (every geometry is null)")]
    return []


def summary_text(summary: str, problems: list[Problem]) -> str:
    """A heading and the first MAX_LISTED problems as '- ' lines, the rest counted."""
    lines = [summary, *(f"- {p}" for p in problems[:MAX_LISTED])]
    if len(problems) > MAX_LISTED:
        lines.append(f"- and {len(problems) - MAX_LISTED} more")
    return "\n".join(lines)
