"""Validate seeds/ (members.csv, rounds.csv, overrides.csv, gaps.csv) row by row.

``geodata.seedcsv`` reads and splits each file; this module checks what each
row means (vocabularies, dates, ids, cross-file references) and builds the
value objects of ``geodata.seedmodel``. Every problem is collected, so one run
reports all of them; the build then stops before it writes anything.
"""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pycountry

from geodata.gaps import load_gaps
from geodata.normalize import normalise
from geodata.seedcsv import (  # noqa: F401  (re-exported for existing callers)
    SeedError,
    SeedErrors,
    SeedReader,
    display_path,
    echo,
    file_digest,
    is_http_url,
)
from geodata.seedmodel import (  # noqa: F401  (re-exported for existing callers)
    EVIDENCE,
    LAPSES,
    MEMBER_COLUMNS,
    METHODS,
    OVERRIDE_COLUMNS,
    PRECISIONS,
    REGIONS,
    ROUND_BASES,
    ROUND_COLUMNS,
    SEED_FILES,
    STATUSES,
    UNKNOWN_ROUND,
    Member,
    Override,
    Round,
    Seeds,
    rounds_in_order,
)
from geodata.subdivisions import code_problem

_ID = re.compile(r"^[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
_ADMITTED = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # [0-9]: ASCII only


def admitted_span(value: str) -> tuple[date, date] | None:
    """First and last day a YYYY / YYYY-MM / YYYY-MM-DD value can mean; None if invalid."""
    match = _ADMITTED.fullmatch(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            first = date(year, month, 1)
            following = date(year + (month == 12), month % 12 + 1, 1)
            return first, date.fromordinal(following.toordinal() - 1)
        exact = date(year, month, day)
        return exact, exact
    except ValueError:
        return None


def _country_code(value: str) -> bool:
    if not (value.isupper() and len(value) == 2):
        return False
    return pycountry.countries.get(alpha_2=value) is not None


def load_rounds(path: Path, errors: list[SeedError]) -> tuple[Round, ...]:
    reader = SeedReader(path, ROUND_COLUMNS, errors)
    rounds, seen = [], {}
    for line, row in reader.rows():
        key = row["round"]
        if not reader.require(line, row, "round", "label"):
            continue
        if key in seen:
            reader.error(line, f"round: {echo(key)} repeats line {seen[key]}")
            continue
        seen[key] = line
        start = reader.iso_date(line, "period_start", row["period_start"])
        end = reader.iso_date(line, "period_end", row["period_end"])
        if key != UNKNOWN_ROUND and (start is None or end is None) and not (
            row["period_start"] and row["period_end"]
        ):
            reader.error(line, "period_start/period_end: both are needed for a dated round")
        if start and end and start > end:
            reader.error(line, f"period_start {start} is after period_end {end}")
        codes = tuple(c for c in row["first_time_countries"].split(";") if c)
        for code in codes:
            if not _country_code(code):
                reader.error(line, f"first_time_countries: {echo(code)} is not an ISO alpha-2 code")
        if row["source_url"]:
            reader.url(line, row)
        rounds.append(
            Round(
                round=key,
                label=row["label"],
                announced_on=reader.iso_date(line, "announced_on", row["announced_on"]),
                period_start=start,
                period_end=end,
                announced_members=reader.whole_number(
                    line, "announced_members", row["announced_members"]
                ),
                announced_countries=reader.whole_number(
                    line, "announced_countries", row["announced_countries"]
                ),
                network_members_after=reader.whole_number(
                    line, "network_members_after", row["network_members_after"]
                ),
                network_countries_after=reader.whole_number(
                    line, "network_countries_after", row["network_countries_after"]
                ),
                capitals=tuple(c for c in row["capitals"].split(";") if c),
                first_time_countries=codes,
                source_url=row["source_url"],
                note=row["note"],
                line=line,
            )
        )
    return tuple(rounds)


def load_members(path: Path, rounds: tuple[Round, ...], errors: list[SeedError], warnings=None):
    reader = SeedReader(path, MEMBER_COLUMNS, errors, warnings)
    by_key = {r.round: r for r in rounds}
    members, ids, cities = [], {}, {}
    for line, row in reader.rows():
        before = len(errors)
        reader.require(line, row, "id", "city", "country", "iso2", "region", "round")
        _check_identity(reader, line, row, ids)
        if row["region"]:
            reader.choice(line, row, "region", REGIONS)
        reader.choice(line, row, "round_basis", ROUND_BASES)
        reader.choice(line, row, "capital", ("yes", "no"))
        reader.choice(line, row, "first_time_country", ("yes", "no"), empty_ok=True)
        reader.choice(line, row, "status", STATUSES)
        reader.choice(line, row, "evidence", EVIDENCE)
        reader.url(line, row)
        lapse_sources = _lapse(reader, line, row)
        _check_round(reader, line, row, by_key)
        iso2, key = row["iso2"], row["round"]
        city_key = (normalise(row["city"]), iso2, key)
        if row["city"] and city_key in cities:
            reader.error(
                line,
                f"duplicate member: {row['city']} ({iso2}, round {key}) repeats line "
                f"{cities[city_key]}",
            )
        cities.setdefault(city_key, line)
        if len(errors) > before:
            continue
        members.append(
            Member(
                id=row["id"], city=row["city"], country=row["country"], iso2=iso2,
                region=row["region"], round=key, admitted=row["admitted"] or None,
                round_basis=row["round_basis"], capital=row["capital"] == "yes",
                first_time_country=row["first_time_country"] or None, status=row["status"],
                evidence=row["evidence"], source_url=row["source_url"], note=row["note"],
                subdivision=row["subdivision"] or None, line=line,
                lapse=row["lapse"] or None, lapse_date=row["lapse_date"] or None,
                lapse_sources=lapse_sources,
            )
        )
    return tuple(members)


def _check_identity(reader: SeedReader, line: int, row: dict, ids: dict[str, int]) -> None:
    """The country and subdivision codes, and the id: its form and that it is new (noted)."""
    iso2 = row["iso2"]
    if iso2 and not _country_code(iso2):
        reader.error(line, f"iso2: {echo(iso2)} is not an ISO 3166-1 alpha-2 code (pycountry)")
    if row["subdivision"] and (problem := code_problem(row["subdivision"], iso2)):
        reader.error(line, f"subdivision: {problem}")
    if not row["id"]:
        return
    if not _ID.match(row["id"]) or (iso2 and not row["id"].startswith(iso2.lower() + "-")):
        reader.error(line, f"id: {echo(row['id'])} is not '<iso2 lower>-<ascii slug>'")
    if row["id"] in ids:
        first = ids[row["id"]]
        reader.error(line, f"duplicate member: id {echo(row['id'])} repeats line {first}")
    else:
        ids[row["id"]] = line


def _check_round(reader: SeedReader, line: int, row: dict, by_key: dict[str, Round]) -> None:
    """The round, its basis and the admission date, against rounds.csv."""
    key, admitted = row["round"], row["admitted"]
    if key == UNKNOWN_ROUND:
        if admitted:
            reader.error(line, f"admitted: {echo(admitted)} given, but round is 'unknown'")
        if row["round_basis"] and row["round_basis"] != "unresolved":
            reader.error(line, "round_basis: must be 'unresolved' when round is 'unknown'")
    elif key:
        if key not in by_key:
            reader.error(line, f"round: {echo(key)} is not a round in rounds.csv")
        elif row["round_basis"] == "unresolved":
            reader.error(line, f"round_basis: 'unresolved' but round is {echo(key)}")
        span = admitted_span(admitted) if admitted else None
        if admitted and span is None:
            reader.error(line, f"admitted: {echo(admitted)} is not YYYY, YYYY-MM or YYYY-MM-DD")
        elif span and key in by_key:
            r = by_key[key]
            if r.period_start and r.period_end and (
                span[1] < r.period_start or span[0] > r.period_end
            ):
                reader.error(
                    line,
                    f"admitted: {admitted} is outside round {key} "
                    f"({r.period_start} to {r.period_end})",
                )
    # seeds/README.md: 'dated' = a source gives a date, 'undated' = none does.
    # A mismatch is a doubt about the row, not malformed input: warn.
    if row["round_basis"] == "dated" and not admitted:
        reader.warn(line, "round_basis: 'dated' but admitted is empty")
    if row["round_basis"] == "undated" and admitted:
        reader.warn(line, f"round_basis: 'undated' but admitted is {echo(admitted)}")


def _lapse(reader: SeedReader, line: int, row: dict) -> tuple[str, ...]:
    """Check lapse / lapse_date / lapse_sources; the source URLs (space-separated)."""
    reader.choice(line, row, "lapse", LAPSES, empty_ok=True)
    lapse, when, sources = row["lapse"], row["lapse_date"], tuple(row["lapse_sources"].split())
    if not lapse:
        for column in ("lapse_date", "lapse_sources"):
            if row[column]:
                reader.error(line, f"{column}: leave empty unless lapse is set")
        return ()
    if when and admitted_span(when) is None:
        reader.error(line, f"lapse_date: {echo(when)} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if lapse == "lapsed" and not when:
        reader.error(line, "lapse_date: a lapsed member needs the date it left")
    if not sources:
        reader.error(line, f"lapse_sources: empty (a lapse '{lapse}' needs its source)")
    for url in sources:
        if not is_http_url(url):
            reader.error(line, f"lapse_sources: {echo(url)} is not an absolute http(s) URL")
    return sources


def load_overrides(path: Path, member_ids: set[str] | None, errors: list[SeedError]):
    """``member_ids`` None: members.csv could not be read, so ids are not cross-checked."""
    reader = SeedReader(path, OVERRIDE_COLUMNS, errors)
    overrides, seen = [], {}
    for line, row in reader.rows():
        before = len(errors)
        reader.require(line, row, "id", "method", "reason")
        if row["id"] in seen:
            first = seen[row["id"]]
            reader.error(line, f"duplicate override: id {echo(row['id'])} repeats line {first}")
        seen.setdefault(row["id"], line)
        if row["id"] and member_ids is not None and row["id"] not in member_ids:
            reader.error(line, f"id: {echo(row['id'])} is not a member id in members.csv")
        reader.choice(line, row, "method", METHODS)
        reader.url(line, row)
        gid = lat = lon = None
        if row["method"] == "geonames":
            if not re.fullmatch(r"[0-9]+", row["geonames_id"]):
                reader.error(line, f"geonames_id: {echo(row['geonames_id'])} is not a GeoNames id")
            else:
                gid = int(row["geonames_id"])
            if row["lat"] or row["lon"]:
                reader.error(line, "lat/lon: leave empty with method geonames")
        elif row["method"] == "coordinates":
            if row["geonames_id"]:
                reader.error(line, "geonames_id: leave empty with method coordinates")
            lat = reader.decimal(line, "lat", row["lat"])
            lon = reader.decimal(line, "lon", row["lon"])
            if lat is not None and lon is not None and not (
                -90 <= lat <= 90 and -180 <= lon <= 180
            ):
                shown = f"{echo(row['lat'])}, {echo(row['lon'])}"
                reader.error(line, f"lat/lon: {shown} are not decimal degrees")
        radius = _precision(reader, line, row)
        same = row["same_place_as"]
        if same and (same == row["id"] or (member_ids is not None and same not in member_ids)):
            reader.error(line,
                         f"same_place_as: {echo(same)} is not another member id in members.csv")
        if len(errors) > before:
            continue
        overrides.append(
            Override(
                row["id"], row["method"], gid, lat, lon, row["reason"], row["source_url"], line,
                precision=row["precision"], radius_km=radius, same_place_as=same or None,
            )
        )
    return tuple(overrides)


def _precision(reader: SeedReader, line: int, row: dict) -> float | None:
    """Check precision/radius_km; the radius (km) of an "area", else None."""
    if not reader.choice(line, row, "precision", PRECISIONS):
        return None
    if row["precision"] != "area":
        if row["radius_km"]:
            reader.error(line, f"radius_km: leave empty unless precision is 'area' "
                               f"(it is {echo(row['precision'])})")
        return None
    if not row["radius_km"]:
        reader.error(line, "radius_km: an 'area' needs its radius in km")
        return None
    radius = reader.decimal(line, "radius_km", row["radius_km"])
    if radius is not None and radius <= 0:
        reader.error(line, f"radius_km: {echo(row['radius_km'])} is not a positive distance")
        return None
    return radius


def load_seeds(seeds_dir: Path) -> Seeds:
    """Read and validate the three seed files; raise ``SeedErrors`` listing every problem."""
    seeds_dir = Path(seeds_dir)
    errors: list[SeedError] = []
    warnings: list[SeedError] = []
    rounds = load_rounds(seeds_dir / "rounds.csv", errors)
    members_path = seeds_dir / "members.csv"
    members = load_members(members_path, rounds, errors, warnings)
    if not members and not errors:
        errors.append(SeedError(display_path(members_path), 1,
                                "no members: the file has a header but no rows; nothing to map"))
    overrides_path = seeds_dir / "overrides.csv"
    overrides = ()
    if overrides_path.exists():
        # Ids are checked against every id in members.csv, even rows with errors.
        ids = _all_ids(members_path)
        overrides = load_overrides(overrides_path, ids if ids is None else ids | {
            m.id for m in members}, errors)
    gaps_path = seeds_dir / "gaps.csv"
    gaps = load_gaps(gaps_path, rounds, _country_code, errors) if gaps_path.exists() else ()
    if errors:
        raise SeedErrors(errors)
    return Seeds(members, rounds_in_order(rounds), overrides, seed_digests(seeds_dir),
                 tuple(warnings), gaps)


def _all_ids(path: Path) -> set[str] | None:
    """Every id in members.csv, rows with errors included; None if it cannot be read.

    The errors themselves were reported by the main read of the file.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    ids = set()
    try:
        for row in csv.DictReader(io.StringIO(text, newline="")):
            ids.add((row.get("id") or "").strip())
    except csv.Error:  # e.g. a field over csv.field_size_limit(): no reliable list of ids
        return None
    return ids


def seed_digests(seeds_dir: Path) -> dict:
    """SHA-256 of each seed file (None when absent), for the staleness check."""
    seeds_dir = Path(seeds_dir)
    return {
        name: file_digest(seeds_dir / name) if (seeds_dir / name).exists() else None
        for name in SEED_FILES
    }
