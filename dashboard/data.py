"""Load geodata/members.geojson into the table the dashboard filters and maps.

The file is checked with geodata.schema, the contract the build writes by: a file
unusable as a whole raises DataError (the page shows what is wrong instead of the
map); features that break the contract one by one are left out and listed in
``Atlas.problems``. The rounds, and their order, come from the file's metadata.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from geodata import datafile, gaps, published_schema, schema
from geodata.seedmodel import Gap

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "geodata" / "members.geojson"
DATA_ENV = "ATLAS_DATA"
REBUILD = "Rebuild the data with `python -m geodata build`, then reload this page."

# The member properties, as geodata/schema.py defines them (the placement contract's four
# included: None when a file predates them).
COLUMNS = tuple(f.name for f in schema.PROPERTIES)
_TEXT = schema.TEXT_PROPERTIES  # "" if absent
_AS_IS = ("id", "round", "capital", "check_in_country", "lapse_sources")


@dataclass(frozen=True)
class RoundInfo:
    """One admission round and what was announced for it."""

    key: str
    label: str
    announced_on: str | None = None
    announced_members: int | None = None
    announced_countries: int | None = None
    network_members_after: int | None = None
    network_countries_after: int | None = None
    announced_first_time: tuple[str, ...] = ()  # ISO codes the announcement calls new
    source_url: str | None = None  # the announcement
    dated: bool = True  # False for a round with no date (e.g. 'unknown'): never "latest",
    # never earlier or later than another round


class DataError(ValueError):
    """The data file cannot be shown at all: what is wrong, where, and what to do.

    Messages name the file (its name only, never a server path), features by index and
    id, and properties.
    """

    def __init__(self, summary: str, problems: tuple[str, ...] = (), advice: str = REBUILD):
        self.summary, self.problems, self.advice = summary, tuple(problems), advice
        super().__init__("\n".join([summary, *self.problems, advice]))


@dataclass(frozen=True)
class Atlas:
    """Everything the page shows: placed members, rounds, and who could not be placed."""

    members: pd.DataFrame  # one row per placed member, withdrawn rows excluded
    roster: pd.DataFrame  # every non-withdrawn member, placed or not (lat/lon NaN if not)
    rounds: tuple[RoundInfo, ...]
    unplaced: tuple[tuple[str, str], ...]  # ("City, Country", round) of members not placed
    withdrawn: tuple[str, ...]
    problems: tuple[str, ...] = ()  # why features were left out (they break the contract)
    left_out: int = 0  # how many features were left out
    gaps: tuple[Gap, ...] = ()  # sourced counts of members not named yet (seeds/gaps.csv)

    def round_label(self, key: str) -> str:
        for info in self.rounds:
            if info.key == key:
                return info.label
        return key

    @cached_property  # read several times per rerun; the Atlas never changes
    def round_keys(self) -> tuple[str, ...]:
        present = set(self.members["round"])
        return tuple(r.key for r in self.rounds if r.key in present)

    @cached_property
    def dated_round_keys(self) -> tuple[str, ...]:
        """The rounds on the map that have a date: the ones a focus round can be."""
        dated = {r.key for r in self.rounds if r.dated}
        return tuple(k for k in self.round_keys if k in dated)

    @cached_property
    def latest_round(self) -> str:
        return (self.dated_round_keys or self.round_keys)[-1]


def data_path() -> Path:
    """The GeoJSON to show: $ATLAS_DATA, else the committed geodata/members.geojson.

    A relative $ATLAS_DATA is taken from the project root (the folder holding dashboard/),
    so the same setting works whatever directory the server was started in.
    """
    raw = os.environ.get(DATA_ENV, "").strip()
    if not raw:
        return DEFAULT_DATA
    path = Path(raw).expanduser()
    return path if path.is_absolute() else ROOT / path


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One version of the data file: a rerun takes one and reads everything through it, so it
    never mixes two versions of the file."""

    path: str
    version: int  # the file's modification time (ns): changes when the file is rebuilt


def snapshot() -> Snapshot:
    """The data file as it is now (one stat). Raises DataError when it is missing."""
    path = data_path()
    try:
        return Snapshot(str(path), path.stat().st_mtime_ns)
    except OSError:
        raise missing_file(path) from None


def _rounds_from(metadata: dict) -> tuple[RoundInfo, ...]:
    """Rounds in the order `python -m geodata build` wrote them (by date, undated last)."""
    rounds = []
    for row in metadata["rounds"]:
        rounds.append(
            RoundInfo(
                key=row["round"],
                label=row["label"],
                announced_on=row.get("announced_on"),
                announced_members=row.get("announced_members"),
                announced_countries=row.get("announced_countries"),
                network_members_after=row.get("network_members_after"),
                network_countries_after=row.get("network_countries_after"),
                announced_first_time=tuple(row.get("first_time_countries") or ()),
                source_url=row.get("source_url"),
                dated=row["period_start"] is not None,
            )
        )
    return tuple(rounds)


def _unusable(problems) -> DataError:
    problems = [str(p) for p in problems]
    listed = problems[:schema.MAX_LISTED]
    if len(problems) > len(listed):
        listed.append(f"and {len(problems) - len(listed)} more")
    return DataError("The map's data file does not hold a usable members map.", tuple(listed))


def parse_atlas(collection) -> Atlas:
    """Turn a members FeatureCollection into an Atlas.

    Pure; raises DataError (a ValueError) if the collection is unusable as a whole, and
    leaves out (listing them in ``problems``) features that break the contract."""
    checked = published_schema.full_check(collection)
    if not checked.usable:
        raise _unusable(checked.all_problems())
    rows, unplaced, withdrawn = [], [], []
    unplaced_rows = []
    for index in checked.good:
        feature = collection["features"][index]
        props = feature["properties"]
        row = {column: props.get(column) for column in COLUMNS}
        row["lapse_sources"] = tuple(row["lapse_sources"] or ())  # hashable, like the rest
        name = f"{row['city']}, {row['country']}"
        if row["status"] == "withdrawn":
            withdrawn.append(name)
            continue
        geometry = feature["geometry"]
        if geometry is None:
            unplaced.append((name, row["round"]))
            unplaced_rows.append({**row, "lon": None, "lat": None})
            continue
        row["lon"], row["lat"] = (float(v) for v in geometry["coordinates"])
        rows.append(row)
    rounds = _rounds_from(collection["metadata"])
    members = _frame(rows, rounds)
    roster = _frame(rows + unplaced_rows, rounds)
    problems = tuple(str(p) for ps in checked.feature_problems.values() for p in ps)
    found_gaps = tuple(gaps.from_record(g) for g in collection["metadata"].get("gaps") or ())
    return Atlas(members, roster, rounds, tuple(sorted(unplaced)), tuple(sorted(withdrawn)),
                 problems, len(checked.feature_problems), found_gaps)


def _frame(rows: list[dict], rounds: tuple[RoundInfo, ...]) -> pd.DataFrame:
    """Member rows as the typed, ordered table the page works on."""
    members = pd.DataFrame(rows, columns=[*COLUMNS, "lat", "lon"])
    members["lat"] = members["lat"].astype(float)
    members["lon"] = members["lon"].astype(float)
    members["capital"] = members["capital"].fillna(False).astype(bool)
    members["round"] = members["round"].astype(str)
    for column in _TEXT:
        members[column] = members[column].fillna("").astype(str)
    # Optional fields stay None when absent: pandas would otherwise show NaN as "nan".
    for column in set(COLUMNS) - set(_TEXT) - set(_AS_IS):
        members[column] = members[column].astype(object).where(members[column].notna(), None)
    # The round's place in the file's order, and whether it may be compared with others
    # (highlights.py: "first-time" means the earliest dated round of a country).
    order = {r.key: i for i, r in enumerate(rounds)}
    dated = {r.key for r in rounds if r.dated}
    members["round_order"] = members["round"].map(order).astype(int)
    members["round_dated"] = members["round"].isin(dated)
    members = members.sort_values(["round_order", "country", "city"], kind="stable")
    return members.reset_index(drop=True)


def missing_file(path: Path) -> DataError:
    where = f"{DATA_ENV}={path.name}" if os.environ.get(DATA_ENV, "").strip() else path.name
    return DataError(f"The map's data file ({where}) is missing or cannot be read.",
                     advice="Build it with `python -m geodata build` (or point "
                            f"{DATA_ENV} at a members.geojson), then reload this page.")


def load_atlas(path: Path | None = None) -> Atlas:
    """Read, check and parse the members GeoJSON (the only file the dashboard reads)."""
    path = Path(path or data_path())
    try:
        raw = path.read_bytes()
    except OSError:
        raise missing_file(path) from None
    try:
        collection = datafile.parse_text(raw)
    except datafile.ContractError as error:
        raise DataError("The map's data file cannot be read.",
                        tuple(str(p) for p in error.problems)) from None
    return parse_atlas(collection)
