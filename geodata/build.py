"""Place every member and write geodata/members.geojson (RFC 7946), deterministically."""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from geopy.exc import GeocoderUnavailable, GeopyError

from geodata import __version__, gaps
from geodata.checks import CountryShapes, capital_check, same_place_pairs, stacked_points
from geodata.datafile import ContractError, parse_text
from geodata.kinds import BOOL
from geodata.roster import Member, Seeds
from geodata.schema import (
    COPIED_PROPERTIES,
    PLACEMENT_PROPERTIES,
    UNPLACED_VALUES,
    Field,
)
from geodata.seedcsv import display_path
from geodata.subdivisions import DIFFERS, admin1_iso, check_subdivision, label

GENERATOR = f"geodata {__version__}"

@dataclass(frozen=True, slots=True)
class Placement:
    method: str  # "gazetteer" | "override" | "nominatim"
    lat: float
    lon: float
    place_name: str | None
    geonames_id: int | None
    source: str
    subdivision: str | None = None  # ISO 3166-2 of the point's first-level division
    precision: str = "place"  # "place" | "seat" | "area" (seeds/README.md)
    radius_km: float | None = None  # for "area" only


@dataclass(frozen=True, slots=True)
class NotPlaced:
    why: str
    candidates: tuple = ()  # the namesakes, when the name is ambiguous
    geocoder_failure: str = ""  # "unreachable" or "failed": Nominatim gave no answer
    reason: str = ""  # the geocoder's reason, in short


def geocoder_failed(word: str, reason: str) -> NotPlaced:
    return NotPlaced(f"Nominatim {word}: {reason}", geocoder_failure=word, reason=reason)


@dataclass
class BuildResult:
    features: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # (member, why)
    ambiguous: list = field(default_factory=list)  # (member, why): namesakes, no choice made
    outside: list = field(default_factory=list)  # (member, detail)
    capital_mismatches: list = field(default_factory=list)  # (member, text)
    subdivision_differs: list = field(default_factory=list)  # (member, detail)
    subdivision_unknown: list = field(default_factory=list)  # (member, detail)
    stacked: list = field(default_factory=list)  # sentences from checks.stacked_points
    notices: list = field(default_factory=list)  # accepted oddities worth a look
    geocoder_errors: list = field(default_factory=list)  # one line per member
    methods: Counter = field(default_factory=Counter)
    precisions: Counter = field(default_factory=Counter)


def geonames_url(geonameid: int) -> str:
    return f"https://www.geonames.org/{geonameid}"


def describe_place(place) -> str:
    """"San Justo (AR-S Santa Fe, population 21,809, GeoNames 3836277)", for messages."""
    return (f"{place.name} ({label(admin1_iso(place.countrycode, place.admin1code))}, "
            f"population {place.population:,}, GeoNames {place.geonameid})")


def gazetteer_choice(member: Member, gazetteer) -> Placement | NotPlaced | None:
    """The one GeoNames place the member's name can mean, or why there is none.

    A name is ambiguous when two or more places of the member's country carry
    it as their name or an alternate name (normalised, see normalize.py). The
    roster's ``subdivision`` keeps only the places inside it; if two or more
    remain, only a reviewed override chooses. None: no place by this name.
    """
    found = gazetteer.candidates(member.city, member.iso2)
    if not found:
        return None
    if member.subdivision:
        inside = [p for p in found
                  if admin1_iso(p.countrycode, p.admin1code) == member.subdivision]
        if not inside:
            return NotPlaced(
                f"no place by this name in {label(member.subdivision)}, the subdivision "
                f"members.csv states; in {member.iso2}: "
                + "; ".join(map(describe_place, found)))
        found = inside
    if len(found) > 1:
        where = label(member.subdivision) if member.subdivision else member.iso2
        needed = ("an override (seeds/overrides.csv) naming one" if member.subdivision
                  else "a subdivision (seeds/members.csv) or an override naming one")
        return NotPlaced(
            f"ambiguous: {len(found)} places by this name in {where}, and {needed}: "
            + "; ".join(map(describe_place, found)), tuple(found))
    place = found[0]
    return Placement("gazetteer", place.latitude, place.longitude, place.name, place.geonameid,
                     geonames_url(place.geonameid),
                     admin1_iso(place.countrycode, place.admin1code))


def place_member(member: Member, override, gazetteer, nominatim=None, nearest=None):
    """Where the member goes: the reviewed override, else the gazetteer, else Nominatim.

    Returns a ``Placement`` or a ``NotPlaced``. ``nearest`` (a
    ``subdivisions.NearestPlaces``) gives points without a GeoNames record
    their subdivision, from the places around them.
    """
    def near(lat, lon):
        found = nearest.around(member.iso2, lat, lon) if nearest is not None else None
        return found.subdivision(member.subdivision) if found is not None else None

    if override is not None:
        extra = {"precision": override.precision, "radius_km": override.radius_km}
        if override.method == "coordinates":
            return Placement("override", override.lat, override.lon, None, None,
                             override.source_url, near(override.lat, override.lon), **extra)
        loc = gazetteer.by_id(override.geonames_id)
        if loc is None:
            return NotPlaced(f"seeds/overrides.csv:{override.line}: GeoNames id "
                             f"{override.geonames_id} is not in cities500")
        return Placement("override", loc.latitude, loc.longitude, loc.raw["name"],
                         loc.raw["geonameid"], override.source_url, loc.raw["subdivision"],
                         **extra)
    choice = gazetteer_choice(member, gazetteer)
    if choice is not None:
        return choice
    if nominatim is not None:
        try:
            loc = nominatim.geocode(member.city, country_codes=member.iso2)
        except GeopyError as error:  # after its retries: place nothing by guess
            from geodata.geocoders.nominatim import short_reason

            word = "unreachable" if isinstance(error, GeocoderUnavailable) else "failed"
            return geocoder_failed(word, short_reason(error))
        if loc is not None:
            raw = loc.raw
            source = (f"https://www.openstreetmap.org/{raw['osm_type']}/{raw['osm_id']}"
                      if raw.get("osm_type") and raw.get("osm_id") else "Nominatim")
            return Placement("nominatim", loc.latitude, loc.longitude,
                             raw.get("display_name"), None, source,
                             near(loc.latitude, loc.longitude))
    return NotPlaced("no gazetteer entry by this name in its country and no override")


def _copied(field: Field, value):
    if field.kind is BOOL:
        return bool(value)
    if isinstance(value, tuple):
        return list(value)
    return (value or None) if field.nullable else value


def member_properties(member: Member) -> dict:
    """The properties schema.py copies from members.csv, as the GeoJSON carries them.

    The roster's ``subdivision`` is not copied: the GeoJSON's ``subdivision``
    is where the point lies, and ``check_subdivision`` compares the two.
    """
    return {f.name: _copied(f, getattr(member, f.name)) for f in COPIED_PROPERTIES}


def placement_properties(**values) -> dict:
    """The placement's properties in the schema's order (a KeyError if one is missing)."""
    return {f.name: values[f.name] for f in PLACEMENT_PROPERTIES}


def build_features(seeds: Seeds, gazetteer, shapes: CountryShapes, nominatim=None, progress=None,
                   nearest=None):
    """Place, check and turn every member into a Feature; collect every failure."""
    result = BuildResult()
    overrides = seeds.override_by_id()
    members = sorted(seeds.members, key=lambda m: m.id)
    for member in progress(members) if progress else members:
        placement = place_member(member, overrides.get(member.id), gazetteer, nominatim,
                                 nearest)
        props = member_properties(member)
        if isinstance(placement, NotPlaced):
            (result.ambiguous if placement.candidates else result.unplaced).append(
                (member, placement.why))
            if placement.geocoder_failure:
                result.geocoder_errors.append(
                    f"Nominatim {placement.geocoder_failure} for {member.city} "
                    f"({member.iso2}): {placement.reason}")
            continue
        result.methods[placement.method] += 1
        result.precisions[placement.precision] += 1
        lat, lon = round(placement.lat, 5), round(placement.lon, 5)
        country = shapes.check(member.iso2, lat, lon)
        if not country.ok:
            result.outside.append((member, country.detail))
        elif country.detail.startswith("accepted"):
            result.notices.append((member, country.detail))
        # GeoNames' view of the member's own name: is a capital listed under it?
        gn_capital = any(p.capital for p in gazetteer.candidates(member.city, member.iso2))
        capital = capital_check(member.capital, gn_capital)
        if capital != "agrees":
            result.capital_mismatches.append((member, capital))
        in_subdivision = check_subdivision(member.subdivision, placement.subdivision)
        if in_subdivision == DIFFERS:
            result.subdivision_differs.append(
                (member, f"members.csv states {label(member.subdivision)}, the point lies in "
                         f"{label(placement.subdivision)}"))
        elif in_subdivision is None:
            result.subdivision_unknown.append(
                (member, f"members.csv states {label(member.subdivision)}; the point's "
                         "subdivision is unknown (GeoNames admin1 without an ISO 3166-2 code)"))
        props.update(placement_properties(
            place_method=placement.method,
            place_name=placement.place_name,
            geonames_id=placement.geonames_id,
            place_source=placement.source,
            check_in_country=country.ok,
            check_capital=capital,
            subdivision=placement.subdivision,
            check_subdivision=in_subdivision,
            place_precision=placement.precision,
            place_radius_km=placement.radius_km,
        ))
        result.features.append(
            {"type": "Feature", "id": member.id,
             "geometry": {"type": "Point", "coordinates": [lon, lat]},
             "properties": props}
        )
    result.stacked = stacked_points(result.features, same_place_pairs(seeds))
    if nearest is not None:
        nearest.save()
    return result


def round_metadata(seeds: Seeds) -> list[dict]:
    """The rounds in order and their announced figures: readers of the GeoJSON need nothing else.

    The order is seeds.rounds' (by date, undated last); period_start null marks an undated
    round, which the page neither calls the latest nor compares with others.
    """
    def day(value):
        return value.isoformat() if value else None

    return [
        {"round": r.round, "label": r.label,
         "announced_on": day(r.announced_on),
         "period_start": day(r.period_start), "period_end": day(r.period_end),
         "announced_members": r.announced_members,
         "announced_countries": r.announced_countries,
         "network_members_after": r.network_members_after,
         "network_countries_after": r.network_countries_after,
         "capitals": list(r.capitals), "first_time_countries": list(r.first_time_countries),
         "source_url": r.source_url or None}
        for r in seeds.rounds
    ]


def feature_collection(seeds: Seeds, features: list) -> dict:
    return {
        "type": "FeatureCollection",
        "metadata": {"generator": GENERATOR, "seeds_sha256": dict(sorted(seeds.digests.items())),
                     "rounds": round_metadata(seeds),
                     "gaps": [gaps.to_record(g) for g in seeds.gaps]},
        "features": sorted(features, key=lambda f: f["id"]),
    }


def output_collection(seeds: Seeds, result) -> dict:
    """The members file of a build: its placed features, and any unplaced member (only built
    with --allow-unplaced) as a feature with a null geometry, listed in the metadata."""
    features = list(result.features)
    for member, _why in result.unplaced:
        props = member_properties(member)
        props.update(UNPLACED_VALUES)
        features.append({"type": "Feature", "id": member.id, "geometry": None,
                         "properties": props})
    collection = feature_collection(seeds, features)
    if result.unplaced:
        collection["metadata"]["unplaced"] = sorted(m.id for m, _ in result.unplaced)
    return collection


def dumps(collection: dict) -> str:
    """Stable text: fixed key order as built, no timestamps, newline at the end."""
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number",
               bool: "true/false value", type(None): "null"}


class OutputError(Exception):
    """Something stands at the output path that is not a members file (the text says what)."""


def read_collection(path: Path) -> dict | None:
    """The previous output as a JSON object, None when there is none yet; OutputError when
    what is there is no members file (a directory, not JSON, too deep, an array...)."""
    path = Path(path)
    if not path.exists():
        return None
    shown = display_path(path)
    if path.is_dir():
        raise OutputError(f"{shown} is a directory, not a members file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OutputError(f"{shown} cannot be read: {exc.strerror}") from None
    try:
        value = parse_text(raw)
    except ContractError as exc:
        reason = exc.problems[0].what if exc.problems else exc.summary
        raise OutputError(f"{shown} is not a members file: {reason}") from None
    if not isinstance(value, dict):
        raise OutputError(f"{shown} is not a members file: it holds a JSON "
                          f"{_JSON_KINDS.get(type(value), 'value')}, not an object")
    return value


def is_current(path: Path, seeds_digests: dict) -> bool:
    """The file exists and was generated by this version from these exact seeds."""
    try:
        data = read_collection(path)
    except OutputError:
        return False
    if not data or not isinstance(data.get("metadata"), dict):
        return False
    meta = data["metadata"]
    return meta.get("generator") == GENERATOR and meta.get("seeds_sha256") == dict(
        sorted(seeds_digests.items())
    )
