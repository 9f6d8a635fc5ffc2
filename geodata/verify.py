"""What ``python -m geodata check`` and ``build`` decide about a members file beyond its
contract: does it match the roster, and may it replace the previous file. The CLI prints."""

from __future__ import annotations

from dataclasses import dataclass

from geodata import published_schema
from geodata.build import member_properties
from geodata.checks import CountryShapes, same_place_pairs, stacked_points
from geodata.schema import Problem

MAX_SHRINK = 0.10  # a smaller map than this needs --allow-shrink


@dataclass(frozen=True)
class Refusal:
    """Why a new members file must not replace the previous one: it breaks the contract
    (``problems``), or it would shrink the map by more than MAX_SHRINK."""

    problems: tuple[Problem, ...] = ()
    before: int = 0  # members drawn by the previous file, when it would shrink
    after: int = 0
    shrink: float = 0.0


def refusal(collection: dict, previous, allow_shrink: bool = False) -> Refusal | None:
    """None when ``collection`` may be written over ``previous`` (None: no file yet)."""
    checked = published_schema.full_check(collection)
    if not checked.ok:
        return Refusal(tuple(checked.all_problems()))
    shrink = shrink_fraction(previous, collection)
    if shrink <= MAX_SHRINK or allow_shrink:
        return None
    return Refusal(before=map_size(previous), after=map_size(collection), shrink=shrink)


def map_size(collection) -> int:
    """Members the page draws: placed and not withdrawn (0 for anything unreadable)."""
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        return 0
    return sum(
        1 for f in features
        if isinstance(f, dict) and f.get("geometry")
        and (f.get("properties") or {}).get("status") != "withdrawn"
    )


def shrink_fraction(previous, new) -> float:
    """How much smaller the new map is than the previous one (0 when it is not smaller)."""
    before, after = map_size(previous), map_size(new)
    return (before - after) / before if before > after else 0.0



def roster_problems(collection: dict, seeds, shapes: CountryShapes) -> list[str]:
    """What ``check`` finds wrong with a members file against the roster it was built from:
    sentences naming the member (the file already passed the contract)."""
    problems = []
    if collection.get("type") != "FeatureCollection":
        return ["not a GeoJSON FeatureCollection"]
    members = {m.id: m for m in seeds.members}
    features = collection.get("features") or []
    ids = [f.get("id") for f in features]
    if ids != sorted(members):
        missing = sorted(set(members) - set(ids))
        extra = sorted(set(ids) - set(members))
        problems.append(f"features do not match the roster (missing {missing}, extra {extra}, "
                        "or not sorted by id)")
    allowed_unplaced = set(collection.get("metadata", {}).get("unplaced", []))
    points = []  # features with a usable Point, for the stacking check
    for feature in features:
        member = members.get(feature.get("id"))
        if member is None:
            continue
        props = feature.get("properties") or {}
        expected = member_properties(member)
        if {k: props.get(k) for k in expected} != expected:
            problems.append(f"{member.city} ({member.id}): properties differ from members.csv")
        geometry = feature.get("geometry")
        if geometry is None:
            if member.id not in allowed_unplaced:
                problems.append(f"{member.city} ({member.id}): no geometry")
            continue
        coords = geometry.get("coordinates") or []
        if geometry.get("type") != "Point" or len(coords) != 2:
            problems.append(f"{member.city} ({member.id}): geometry is not a Point")
            continue
        lon, lat = coords
        points.append(feature)
        check = shapes.check(member.iso2, lat, lon)
        if not check.ok:
            problems.append(f"{member.city} ({member.id}): {check.detail}")
    problems += stacked_points(points, same_place_pairs(seeds))
    return problems
