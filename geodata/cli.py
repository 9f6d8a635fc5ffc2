"""``python -m geodata build|check|report``.

Exit status: 0 fine, 1 a build or check failure (unplaced members, points
outside their country, stale output), 2 malformed seeds or a refused output
(empty, shrinking by more than 10% without --allow-shrink, or breaking the data
contract of geodata/schema.py); with 1 and 2 nothing is written.
"""

import argparse
import logging
import sys
from pathlib import Path

from geodata import published_schema
from geodata.build import (
    GENERATOR,
    OutputError,
    build_features,
    dumps,
    is_current,
    output_collection,
    read_collection,
)
from geodata.checks import COAST_TOLERANCE_KM, CountryShapes
from geodata.paths import atomic_write, default_cache_dir
from geodata.roster import SeedErrors, display_path, load_seeds, seed_digests
from geodata.schema import summary_text
from geodata.verify import MAX_SHRINK, refusal, roster_problems

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT / "seeds"
DEFAULT_OUT = ROOT / "geodata" / "members.geojson"
CONTRACT = "geodata/schema.py, published as geodata/members.schema.json"


def _load(seeds_dir: Path):
    try:
        seeds = load_seeds(seeds_dir)
    except SeedErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"{len(exc.errors)} error(s) in {display_path(seeds_dir)}/; nothing written",
              file=sys.stderr)
        return None
    for warning in seeds.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return seeds


def _names(pairs) -> str:
    return "; ".join(f"{m.city} ({m.iso2}, {m.id}): {why}" for m, why in pairs)


def cmd_build(args) -> int:
    seeds = _load(args.seeds)
    if seeds is None:
        return 2
    nominatim = None
    if args.geocoder == "nominatim":
        nominatim = _nominatim(args)
        if nominatim is None:
            return 2
    if not args.force and is_current(args.out, seeds.digests):
        print(f"{display_path(args.out)} is up to date with {display_path(args.seeds)}/ "
              f"({len(seeds.members)} members); nothing changed (use --force to rebuild)")
        return 0
    result = _place(seeds, nominatim, args)
    _print_summary(result, len(seeds.members))
    if _print_failures(result, args):
        print(f"{display_path(args.out)} not written (the previous file is untouched)",
              file=sys.stderr)
        return 1
    collection = output_collection(seeds, result)
    if refused(collection, args):
        return 2
    atomic_write(args.out, dumps(collection))
    print(f"wrote {display_path(args.out)}: {len(collection['features'])} features")
    return 0


def _nominatim(args):
    """The online geocoder the arguments ask for, or None (said on stderr) if misconfigured."""
    from geopy.exc import ConfigurationError

    from geodata.geocoders.nominatim import CachedNominatim
    try:
        return CachedNominatim(
            user_agent=args.user_agent, domain=args.nominatim_domain,
            scheme=args.nominatim_scheme,
            cache_path=args.nominatim_cache
            or (args.cache_dir or default_cache_dir()) / "nominatim.json",
        )
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _place(seeds, nominatim, args):
    from tqdm import tqdm

    from geodata.geocoders.gazetteer import GeoNamesGazetteer
    from geodata.subdivisions import NearestPlaces

    use_cache = not args.no_cache
    shapes_ready = CountryShapes.load_in_background(args.cache_dir, use_cache)
    gazetteer = GeoNamesGazetteer(
        names=[m.city for m in seeds.members],
        ids=[o.geonames_id for o in seeds.overrides if o.geonames_id],
        cache_dir=args.cache_dir, use_cache=use_cache,
    )
    shapes = shapes_ready()

    def progress(items):
        return tqdm(items, desc="placing", unit="member", disable=args.no_progress,
                    file=sys.stderr)

    nearest = NearestPlaces(args.cache_dir, use_cache)
    return build_features(seeds, gazetteer, shapes, nominatim, progress, nearest)


def _print_summary(result, total: int) -> None:
    for line in result.geocoder_errors:
        print(line, file=sys.stderr)
    placed = len(result.features)
    by_method = ", ".join(f"{k} {v}" for k, v in sorted(result.methods.items()))
    print(f"placed {placed}/{total} ({by_method})")
    print("precision: " + precision_counts(result.precisions, total - placed))
    for member, detail in result.notices:
        print(f"note: {member.city} ({member.iso2}): {detail}")
    if result.capital_mismatches:
        print(f"capital flag differs from GeoNames for {len(result.capital_mismatches)}: "
              + _names(result.capital_mismatches))
    for member, detail in result.subdivision_unknown:
        print(f"note: {member.city} ({member.iso2}, {member.id}): {detail}")
    if result.subdivision_differs:
        print(f"WARNING subdivision differs from members.csv for "
              f"{len(result.subdivision_differs)}: " + _names(result.subdivision_differs),
              file=sys.stderr)


def _print_failures(result, args) -> bool:
    """Say on stderr what keeps the file from being written; True if anything does."""
    failed = False
    if result.ambiguous:
        failed = True
        print(f"FAIL ambiguous names, not placed ({len(result.ambiguous)}): the name matches "
              "several places and nothing in seeds/ says which:", file=sys.stderr)
        for member, why in result.ambiguous:
            print(f"  {member.city} ({member.iso2}, {member.id}, seeds/members.csv:"
                  f"{member.line}): {why}", file=sys.stderr)
    if result.stacked:
        failed = True
        print(f"FAIL stacked points ({len(result.stacked)}): members at one point that no "
              "override declares the same place (same_place_as):", file=sys.stderr)
        for sentence in result.stacked:
            print(f"  {sentence}", file=sys.stderr)
    if result.outside:
        failed = True
        print(f"FAIL outside their country (> {COAST_TOLERANCE_KM:g} km): "
              + _names(result.outside), file=sys.stderr)
    if result.unplaced:
        print(f"{'WARNING' if args.allow_unplaced else 'FAIL'} unplaced "
              f"{len(result.unplaced)}: " + _names(result.unplaced), file=sys.stderr)
        failed = failed or not args.allow_unplaced
    return failed


def refused(collection: dict, args) -> bool:
    """Refuse (with the reason on stderr) an output the page could not use or that loses data."""
    out = display_path(args.out)
    why = refusal(collection, read_collection(args.out), args.allow_shrink)
    if why is None:
        return False
    if why.problems:
        print(summary_text(f"error: {out} would break the data contract ({CONTRACT}):",
                           list(why.problems)), file=sys.stderr)
    else:
        print(f"error: {display_path(args.seeds)}/ would shrink the map from {why.before} to "
              f"{why.after} members (-{why.shrink:.1%}, more than {MAX_SHRINK:.0%}); if that "
              "is intended, build with --allow-shrink", file=sys.stderr)
    print(f"{out} not written (the previous file is untouched)", file=sys.stderr)
    return True


def precision_counts(counts, unplaced: int) -> str:
    """"place 390, seat 28, area 1, not placed 0"."""
    kinds = ("place", "seat", "area")
    shown = [f"{kind} {counts.get(kind, 0)}" for kind in kinds]
    shown += [f"{kind} {n}" for kind, n in sorted(counts.items()) if kind not in kinds]
    return ", ".join([*shown, f"not placed {unplaced}"])


def cmd_check(args) -> int:
    seeds = _load(args.seeds)
    if seeds is None:
        return 2
    out = display_path(args.out)
    try:
        collection = read_collection(args.out)
    except OutputError as error:
        print(f"FAIL {error}; run python -m geodata build", file=sys.stderr)
        return 1
    if collection is None:
        print(f"FAIL {out}: missing; run python -m geodata build", file=sys.stderr)
        return 1
    meta = collection.get("metadata") if isinstance(collection.get("metadata"), dict) else {}
    if meta.get("generator") != GENERATOR:
        print(f"FAIL {out}: made by {meta.get('generator')!r}, this is {GENERATOR!r}; "
              "run python -m geodata build", file=sys.stderr)
        return 1
    if not published_schema.is_current():
        print(f"FAIL {display_path(published_schema.SCHEMA_FILE)} differs from the tables in "
              "geodata/schema.py; run python -m geodata schema", file=sys.stderr)
        return 1
    checked = published_schema.full_check(collection)
    if not checked.ok:  # and from here on the file has the shape roster_problems() expects
        print(summary_text(f"FAIL {out} breaks the data contract ({CONTRACT}); run "
                           "python -m geodata build:", checked.all_problems()), file=sys.stderr)
        return 1
    digests = seed_digests(args.seeds)
    stale = [name for name, digest in digests.items()
             if (meta.get("seeds_sha256") or {}).get(name) != digest]
    if stale:
        print(f"FAIL {out} is stale: {', '.join(stale)} changed since it was built; "
              "run python -m geodata build", file=sys.stderr)
        return 1
    problems = roster_problems(collection, seeds,
                               CountryShapes(args.cache_dir, not args.no_cache))
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if problems:
        return 1
    unplaced = meta.get("unplaced") or []
    if unplaced:
        print(f"warning: {len(unplaced)} member(s) not placed: {', '.join(unplaced)}",
              file=sys.stderr)
    print(f"{out}: up to date with {display_path(args.seeds)}/ and valid "
          f"({len(collection['features'])} features)")
    return 0


def cmd_schema(args) -> int:
    from geodata.published_schema import SCHEMA_FILE, schema_text

    atomic_write(SCHEMA_FILE, schema_text())
    print(f"wrote {display_path(SCHEMA_FILE)}")
    return 0


def cmd_report(args) -> int:
    from geodata.report import gaps_report, placement_report, report

    seeds = _load(args.seeds)
    if seeds is None:
        return 2
    previous = read_collection(args.out)  # OutputError: main() says what stands there
    print(report(seeds))
    print(gaps_report(seeds))
    if previous is not None and is_current(args.out, seeds.digests):
        print(placement_report(previous))
    else:
        print(f"== Placement ==\n{display_path(args.out)} is missing or older than "
              f"{display_path(args.seeds)}/: run python -m geodata build for the precision "
              "counts\n")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geodata", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seeds directory")
    common.add_argument("--out", type=Path, default=DEFAULT_OUT, help="GeoJSON file")
    common.add_argument("--cache-dir", type=Path, default=None,
                        help="index cache (default ~/.cache/learning-cities-atlas)")
    common.add_argument("--no-cache", action="store_true", help="neither read nor write caches")

    b = sub.add_parser("build", parents=[common], help="place members, write the GeoJSON")
    b.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--allow-unplaced", action="store_true",
                   help="write anyway, unplaced members with null geometry")
    b.add_argument("--allow-shrink", action="store_true",
                   # argparse formats help with %: the percent sign is written twice
                   help=f"write even if the map loses more than {MAX_SHRINK * 100:.0f}%% "
                        "of its members")
    b.add_argument("--geocoder", choices=("gazetteer", "nominatim"), default="gazetteer",
                   help="nominatim: also ask Nominatim for names the gazetteer lacks")
    b.add_argument("--user-agent", default=None, help="required with --geocoder nominatim")
    b.add_argument("--nominatim-domain", default="nominatim.openstreetmap.org")
    b.add_argument("--nominatim-scheme", default="https", choices=("http", "https"))
    b.add_argument("--nominatim-cache", type=Path, default=None,
                   help="answers cache (default <cache dir>/nominatim.json)")
    b.set_defaults(func=cmd_build)

    sub.add_parser("check", parents=[common], help="fail if the GeoJSON is stale or invalid"
                   ).set_defaults(func=cmd_check)
    sub.add_parser("schema", help="write geodata/members.schema.json from geodata/schema.py"
                   ).set_defaults(func=cmd_schema)
    sub.add_parser("report", parents=[common],
                   help="rounds: roster against announcements; precision of the points"
                   ).set_defaults(func=cmd_report)
    return p


def main(argv=None) -> int:
    # Library warnings (e.g. a Nominatim retry) as one plain line on stderr.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except OutputError as error:  # build and report: the output path holds something else
        print(f"error: {error}; move it aside or delete it, then run the command again",
              file=sys.stderr)
        return 2
