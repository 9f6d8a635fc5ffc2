"""Load geodata/members.geojson into the table the dashboard filters and maps."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "geodata" / "members.geojson"
DATA_ENV = "ATLAS_DATA"

# Order of the cohorts on screen; "unknown" always last.
ROUND_ORDER = ("2015-2018", "2019", "2020", "2022", "2024", "2025", "unknown")
DEFAULT_LABELS = {
    "2015-2018": "2015–2018 (rolling)",
    "unknown": "Round unknown",
}
COLUMNS = (
    "id", "city", "country", "iso2", "region", "round", "admitted", "round_basis", "capital",
    "first_time_country", "status", "evidence", "source_url", "note", "place_method",
    "place_name", "geonames_id", "place_source", "check_in_country", "check_capital",
    # Added by the placement work; None when a file predates them.
    "subdivision", "place_precision", "place_radius_km", "check_subdivision",
)


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


@dataclass(frozen=True)
class Atlas:
    """Everything the page shows: placed members, rounds, and who could not be placed."""

    members: pd.DataFrame  # one row per placed member, withdrawn rows excluded
    roster: pd.DataFrame  # every non-withdrawn member, placed or not (lat/lon NaN if not)
    rounds: tuple[RoundInfo, ...]
    unplaced: tuple[tuple[str, str], ...]  # ("City, Country", round) of members not placed
    withdrawn: tuple[str, ...]

    def round_label(self, key: str) -> str:
        for info in self.rounds:
            if info.key == key:
                return info.label
        return DEFAULT_LABELS.get(key, key)

    @cached_property  # read several times per rerun; the Atlas never changes
    def round_keys(self) -> tuple[str, ...]:
        present = set(self.members["round"])
        return tuple(r.key for r in self.rounds if r.key in present)

    @cached_property
    def latest_round(self) -> str:
        dated = [k for k in self.round_keys if k not in ("unknown", "2015-2018")]
        return dated[-1] if dated else self.round_keys[-1]


def data_path() -> Path:
    """The GeoJSON to show: $ATLAS_DATA, else the committed geodata/members.geojson."""
    return Path(os.environ.get(DATA_ENV) or DEFAULT_DATA)


def _rounds_from(metadata: dict, keys_present: set[str]) -> tuple[RoundInfo, ...]:
    """Rounds as `python -m geodata build` copies them from seeds/rounds.csv into the file."""
    described = {r["round"]: r for r in metadata.get("rounds", []) if "round" in r}
    rounds = []
    for key in [*ROUND_ORDER, *sorted(keys_present - set(ROUND_ORDER))]:
        if key not in described and key not in keys_present:
            continue
        row = described.get(key, {})
        rounds.append(
            RoundInfo(
                key=key,
                label=row.get("label") or DEFAULT_LABELS.get(key, key),
                announced_on=row.get("announced_on"),
                announced_members=row.get("announced_members"),
                announced_countries=row.get("announced_countries"),
                network_members_after=row.get("network_members_after"),
                network_countries_after=row.get("network_countries_after"),
                announced_first_time=tuple(row.get("first_time_countries") or ()),
            )
        )
    return tuple(rounds)


def parse_atlas(collection: dict) -> Atlas:
    """Turn a members FeatureCollection into an Atlas.

    Pure; raises ValueError if the collection is malformed."""
    if collection.get("type") != "FeatureCollection" or not isinstance(
        collection.get("features"), list
    ):
        raise ValueError("not a GeoJSON FeatureCollection")
    rows, unplaced, withdrawn = [], [], []
    unplaced_rows = []
    for feature in collection["features"]:
        props = feature.get("properties") or {}
        row = {column: props.get(column) for column in COLUMNS}
        row["id"] = row["id"] or feature.get("id")
        name = f"{row['city']}, {row['country']}"
        if row["status"] == "withdrawn":
            withdrawn.append(name)
            continue
        geometry = feature.get("geometry")
        if not geometry or geometry.get("type") != "Point":
            unplaced.append((name, row["round"] or "unknown"))
            unplaced_rows.append({**row, "lon": None, "lat": None})
            continue
        row["lon"], row["lat"] = (float(v) for v in geometry["coordinates"][:2])
        rows.append(row)
    members = _frame(rows)
    roster = _frame(rows + unplaced_rows)
    rounds = _rounds_from(collection.get("metadata") or {}, set(roster["round"]))
    return Atlas(members, roster, rounds, tuple(sorted(unplaced)), tuple(sorted(withdrawn)))


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Member rows as the typed, ordered table the page works on."""
    members = pd.DataFrame(rows, columns=[*COLUMNS, "lat", "lon"])
    members["lat"] = members["lat"].astype(float)
    members["lon"] = members["lon"].astype(float)
    members["capital"] = members["capital"].fillna(False).astype(bool)
    members["round"] = members["round"].fillna("unknown").astype(str)
    for column in ("city", "country", "iso2", "region", "status", "note", "source_url"):
        members[column] = members[column].fillna("").astype(str)
    # Optional fields stay None when absent: pandas would otherwise show NaN as "nan".
    for column in ("admitted", "round_basis", "first_time_country", "evidence", "place_method",
                   "place_name", "geonames_id", "place_source", "check_capital", "subdivision",
                   "place_precision", "place_radius_km", "check_subdivision"):
        members[column] = members[column].astype(object).where(members[column].notna(), None)
    order = {key: i for i, key in enumerate(ROUND_ORDER)}
    members["round_order"] = members["round"].map(lambda k: order.get(k, len(order)))
    members = members.sort_values(["round_order", "country", "city"], kind="stable")
    return members.reset_index(drop=True)


def load_atlas(path: Path | None = None) -> Atlas:
    """Read and parse the members GeoJSON (the only file the dashboard reads)."""
    path = Path(path or data_path())
    with path.open(encoding="utf-8") as fh:
        return parse_atlas(json.load(fh))
