"""Load and validate seeds/ (members.csv, rounds.csv, overrides.csv).

Each file becomes a tuple of frozen value objects. Every problem found is
collected as a ``SeedError`` with the file and the line a text editor shows
(header = line 1), so one run reports all of them; the build then stops
before it writes anything.
"""

import csv
import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pycountry

from geodata.normalize import normalise

MEMBER_COLUMNS = (
    "id", "city", "country", "iso2", "region", "round", "admitted", "round_basis",
    "capital", "first_time_country", "status", "evidence", "source_url", "note",
)
ROUND_COLUMNS = (
    "round", "label", "announced_on", "period_start", "period_end", "announced_members",
    "announced_countries", "network_members_after", "network_countries_after", "capitals",
    "first_time_countries", "source_url", "note",
)
OVERRIDE_COLUMNS = ("id", "method", "geonames_id", "lat", "lon", "reason", "source_url")
SEED_FILES = ("members.csv", "rounds.csv", "overrides.csv")

REGIONS = (
    "Africa", "Arab States", "Asia and the Pacific", "Europe and North America",
    "Latin America and the Caribbean",
)
UNKNOWN_ROUND = "unknown"
ROUND_BASES = ("announced", "dated", "undated", "unresolved")
STATUSES = ("member", "doubtful", "withdrawn")
EVIDENCE = ("official", "secondary")
METHODS = ("geonames", "coordinates")

_ID = re.compile(r"^[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
_ADMITTED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class SeedError:
    """One problem in a seed file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class SeedErrors(Exception):
    """Raised with every ``SeedError`` found."""

    def __init__(self, errors: list[SeedError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Round:
    round: str
    label: str
    announced_on: date | None
    period_start: date | None
    period_end: date | None
    announced_members: int | None
    announced_countries: int | None
    network_members_after: int | None
    network_countries_after: int | None
    capitals: tuple[str, ...]
    first_time_countries: tuple[str, ...]
    source_url: str
    note: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    city: str
    country: str
    iso2: str
    region: str
    round: str
    admitted: str | None
    round_basis: str
    capital: bool
    first_time_country: str | None  # "yes" / "no" / None: what a source states
    status: str
    evidence: str
    source_url: str
    note: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Override:
    id: str
    method: str
    geonames_id: int | None
    lat: float | None
    lon: float | None
    reason: str
    source_url: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Seeds:
    members: tuple[Member, ...]
    rounds: tuple[Round, ...]
    overrides: tuple[Override, ...]
    digests: dict  # file name -> SHA-256 of its bytes
    warnings: tuple[SeedError, ...] = ()

    def round_by_key(self) -> dict[str, Round]:
        return {r.round: r for r in self.rounds}

    def override_by_id(self) -> dict[str, Override]:
        return {o.id: o for o in self.overrides}


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is below it."""
    try:
        return str(Path(os.path.relpath(path)))
    except ValueError:
        return str(path)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(
        ch.isspace() for ch in value
    )


class _Reader:
    """Decode and split one CSV file, recording errors with line numbers."""

    def __init__(self, path: Path, columns, errors: list[SeedError], warnings=None):
        self.path, self.columns, self.errors = Path(path), columns, errors
        self.warnings = warnings if warnings is not None else []
        self.name = display_path(self.path)

    def error(self, line: int, message: str) -> None:
        self.errors.append(SeedError(self.name, line, message))

    def warn(self, line: int, message: str) -> None:
        """A doubt that does not stop the build (printed as a warning)."""
        self.warnings.append(SeedError(self.name, line, message))

    def rows(self):
        """Yield (line, dict) for each well-formed record; errors for the rest."""
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self.error(0, f"cannot read: {exc.strerror or exc}")
            return
        if data.startswith(b"\xef\xbb\xbf"):
            self.error(1, "starts with a UTF-8 byte order mark (BOM); save without BOM")
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.error(line, f"not UTF-8: byte {data[exc.start]:#04x} cannot be decoded")
            return
        # split("\n") and not splitlines(): the latter also breaks at \x0b, \x1c...
        # and would shift the line numbers an editor shows.
        for number, raw_line in enumerate(text.split("\n"), start=1):
            raw_line = raw_line.removesuffix("\r")
            bad = [ch for ch in raw_line if unicodedata.category(ch) == "Cc"]
            if bad:
                self.error(number, f"control character {bad[0]!r} in the line")
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            self.error(1, "empty file: no header row")
            return
        except csv.Error as exc:
            self.error(1, f"CSV syntax: {exc}")
            return
        missing = [c for c in self.columns if c not in header]
        for column in missing:
            self.error(1, f"missing column '{column}'")
        for column in header:
            if column not in self.columns:
                self.error(1, f"unknown column '{column}' (see seeds/README.md)")
        if missing:
            return
        end = reader.line_num
        while True:
            start = end + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.error(start, f"CSV syntax: {exc}")
                return
            end = reader.line_num
            if not fields:
                continue  # a blank line
            if len(fields) != len(header):
                self.error(start, f"{len(fields)} fields, the header has {len(header)}")
                continue
            row = dict(zip(header, fields, strict=True))
            for column, value in row.items():
                if value != value.strip():
                    self.error(start, f"{column}: leading or trailing whitespace in {value!r}")
            yield start, {c: row[c].strip() for c in self.columns}

    def require(self, line: int, row: dict, *columns: str) -> bool:
        ok = True
        for column in columns:
            if not row[column]:
                self.error(line, f"{column}: empty")
                ok = False
        return ok

    def choice(self, line: int, row: dict, column: str, allowed, empty_ok=False) -> bool:
        value = row[column]
        if (empty_ok and value == "") or value in allowed:
            return True
        shown = " / ".join(allowed) + (" / empty" if empty_ok else "")
        self.error(line, f"{column}: {value!r} is not one of {shown}")
        return False

    def url(self, line: int, row: dict, column: str = "source_url") -> None:
        value = row[column]
        if not value:
            self.error(line, f"{column}: empty (every row needs its source)")
        elif not is_http_url(value):
            self.error(line, f"{column}: {value!r} is not an absolute http(s) URL")


def _iso_date(reader: _Reader, line: int, column: str, value: str) -> date | None:
    if not value:
        return None
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    reader.error(line, f"{column}: {value!r} is not an ISO date YYYY-MM-DD")
    return None


def _int(reader: _Reader, line: int, column: str, value: str) -> int | None:
    if not value:
        return None
    if value.isdigit():
        return int(value)
    reader.error(line, f"{column}: {value!r} is not a whole number")
    return None


def admitted_span(value: str) -> tuple[date, date] | None:
    """First and last day a YYYY / YYYY-MM / YYYY-MM-DD value can mean; None if invalid."""
    match = _ADMITTED.match(value)
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
    reader = _Reader(path, ROUND_COLUMNS, errors)
    rounds, seen = [], {}
    for line, row in reader.rows():
        key = row["round"]
        if not reader.require(line, row, "round", "label"):
            continue
        if key in seen:
            reader.error(line, f"round: {key!r} repeats line {seen[key]}")
            continue
        seen[key] = line
        start = _iso_date(reader, line, "period_start", row["period_start"])
        end = _iso_date(reader, line, "period_end", row["period_end"])
        if key != UNKNOWN_ROUND and (start is None or end is None) and not (
            row["period_start"] and row["period_end"]
        ):
            reader.error(line, "period_start/period_end: both are needed for a dated round")
        if start and end and start > end:
            reader.error(line, f"period_start {start} is after period_end {end}")
        codes = tuple(c for c in row["first_time_countries"].split(";") if c)
        for code in codes:
            if not _country_code(code):
                reader.error(line, f"first_time_countries: {code!r} is not an ISO alpha-2 code")
        if row["source_url"]:
            reader.url(line, row)
        rounds.append(
            Round(
                round=key,
                label=row["label"],
                announced_on=_iso_date(reader, line, "announced_on", row["announced_on"]),
                period_start=start,
                period_end=end,
                announced_members=_int(reader, line, "announced_members", row["announced_members"]),
                announced_countries=_int(
                    reader, line, "announced_countries", row["announced_countries"]
                ),
                network_members_after=_int(
                    reader, line, "network_members_after", row["network_members_after"]
                ),
                network_countries_after=_int(
                    reader, line, "network_countries_after", row["network_countries_after"]
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
    reader = _Reader(path, MEMBER_COLUMNS, errors, warnings)
    by_key = {r.round: r for r in rounds}
    members, ids, cities = [], {}, {}
    for line, row in reader.rows():
        before = len(errors)
        reader.require(line, row, "id", "city", "country", "iso2", "region", "round")
        iso2 = row["iso2"]
        if iso2 and not _country_code(iso2):
            reader.error(line, f"iso2: {iso2!r} is not an ISO 3166-1 alpha-2 code (pycountry)")
        if row["id"]:
            if not _ID.match(row["id"]) or (iso2 and not row["id"].startswith(iso2.lower() + "-")):
                reader.error(line, f"id: {row['id']!r} is not '<iso2 lower>-<ascii slug>'")
            if row["id"] in ids:
                first = ids[row["id"]]
                reader.error(line, f"duplicate member: id {row['id']!r} repeats line {first}")
            else:
                ids[row["id"]] = line
        if row["region"]:
            reader.choice(line, row, "region", REGIONS)
        reader.choice(line, row, "round_basis", ROUND_BASES)
        reader.choice(line, row, "capital", ("yes", "no"))
        reader.choice(line, row, "first_time_country", ("yes", "no"), empty_ok=True)
        reader.choice(line, row, "status", STATUSES)
        reader.choice(line, row, "evidence", EVIDENCE)
        reader.url(line, row)

        key = row["round"]
        admitted = row["admitted"]
        if key == UNKNOWN_ROUND:
            if admitted:
                reader.error(line, f"admitted: {admitted!r} given, but round is 'unknown'")
            if row["round_basis"] and row["round_basis"] != "unresolved":
                reader.error(line, "round_basis: must be 'unresolved' when round is 'unknown'")
        elif key:
            if key not in by_key:
                reader.error(line, f"round: {key!r} is not a round in rounds.csv")
            elif row["round_basis"] == "unresolved":
                reader.error(line, f"round_basis: 'unresolved' but round is {key!r}")
            span = admitted_span(admitted) if admitted else None
            if admitted and span is None:
                reader.error(line, f"admitted: {admitted!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
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
            reader.warn(line, f"round_basis: 'undated' but admitted is {admitted!r}")

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
                region=row["region"], round=key, admitted=admitted or None,
                round_basis=row["round_basis"], capital=row["capital"] == "yes",
                first_time_country=row["first_time_country"] or None, status=row["status"],
                evidence=row["evidence"], source_url=row["source_url"], note=row["note"],
                line=line,
            )
        )
    return tuple(members)


def load_overrides(path: Path, member_ids: set[str], errors: list[SeedError]):
    reader = _Reader(path, OVERRIDE_COLUMNS, errors)
    overrides, seen = [], {}
    for line, row in reader.rows():
        before = len(errors)
        reader.require(line, row, "id", "method", "reason")
        if row["id"] in seen:
            first = seen[row["id"]]
            reader.error(line, f"duplicate override: id {row['id']!r} repeats line {first}")
        seen.setdefault(row["id"], line)
        if row["id"] and row["id"] not in member_ids:
            reader.error(line, f"id: {row['id']!r} is not a member id in members.csv")
        reader.choice(line, row, "method", METHODS)
        reader.url(line, row)
        gid = lat = lon = None
        if row["method"] == "geonames":
            if not row["geonames_id"].isdigit():
                reader.error(line, f"geonames_id: {row['geonames_id']!r} is not a GeoNames id")
            else:
                gid = int(row["geonames_id"])
            if row["lat"] or row["lon"]:
                reader.error(line, "lat/lon: leave empty with method geonames")
        elif row["method"] == "coordinates":
            if row["geonames_id"]:
                reader.error(line, "geonames_id: leave empty with method coordinates")
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
            except ValueError:
                shown = f"{row['lat']!r}, {row['lon']!r}"
                reader.error(line, f"lat/lon: {shown} are not decimal degrees")
        if len(errors) > before:
            continue
        overrides.append(
            Override(
                row["id"], row["method"], gid, lat, lon, row["reason"], row["source_url"], line
            )
        )
    return tuple(overrides)


def load_seeds(seeds_dir: Path) -> Seeds:
    """Read and validate the three seed files; raise ``SeedErrors`` listing every problem."""
    seeds_dir = Path(seeds_dir)
    errors: list[SeedError] = []
    warnings: list[SeedError] = []
    rounds = load_rounds(seeds_dir / "rounds.csv", errors)
    members = load_members(seeds_dir / "members.csv", rounds, errors, warnings)
    overrides_path = seeds_dir / "overrides.csv"
    overrides = ()
    if overrides_path.exists():
        # Ids are checked against every id in members.csv, even rows with errors.
        ids = {m.id for m in members} | _all_ids(seeds_dir / "members.csv")
        overrides = load_overrides(overrides_path, ids, errors)
    if errors:
        raise SeedErrors(errors)
    return Seeds(members, rounds, overrides, seed_digests(seeds_dir), tuple(warnings))


def _all_ids(path: Path) -> set[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return set()
    return {row.get("id", "").strip() for row in csv.DictReader(io.StringIO(text))}


def seed_digests(seeds_dir: Path) -> dict:
    """SHA-256 of each seed file (None when absent), for the staleness check."""
    seeds_dir = Path(seeds_dir)
    return {
        name: file_digest(seeds_dir / name) if (seeds_dir / name).exists() else None
        for name in SEED_FILES
    }
