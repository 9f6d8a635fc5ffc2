"""The filtered members as files to take away: CSV for spreadsheets, GeoJSON for GIS.

Both hold exactly the rows they are given (placed or not). Pure functions of a members
table; the page caches them per filter state and builds them only when a button is clicked.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pandas as pd

from dashboard.filters import fold
from dashboard.state.model import Scope
from geodata import schema

# Worked out from the whole network (dashboard.highlights.first_rounds), not stored in the
# members file: the round in which the member's country was new, and whether that is the
# member's own round (its country's first-time round).
COUNTRY_ROUND_COLUMNS = ("country_first_round", "country_new_in_round")
# Column order of the CSV, and the GeoJSON's properties (lat/lon become its geometry there).
EXPORT_COLUMNS = (*schema.EXPORTED_PROPERTIES, *COUNTRY_ROUND_COLUMNS, "lat", "lon")
BOOL_COLUMNS = ("capital", "country_new_in_round")
NUMBER_COLUMNS = ("lat", "lon", "place_radius_km")
# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection),
# also after leading blanks, and some read the fullwidth signs as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FILE_PREFIX = "gnlc-members"


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as text: one apostrophe goes in front of a cell that
    starts, after any blanks, with a formula sign, and in front of one that already starts
    with an apostrophe, so that "drop one leading apostrophe" always gives the value back."""
    if text.startswith("'") or text.lstrip(" \u00a0\u3000\f\v").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def restored(cell: str) -> str:
    """The value neutralise() was given (the rule the README states for readers)."""
    return cell[1:] if cell.startswith("'") else cell


def _plain(value):
    """A cell value as plain Python: None for missing, floats for numbers, else itself."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def _number(value) -> float | None:
    value = _plain(value)
    return None if value is None else float(value)


def _records(members: pd.DataFrame) -> list[dict]:
    present = [c for c in EXPORT_COLUMNS if c in members.columns]
    rows = []
    for record in members[present].to_dict("records"):
        row = {c: _plain(record.get(c)) for c in EXPORT_COLUMNS}
        for column in NUMBER_COLUMNS:
            row[column] = _number(row[column])
        for column in BOOL_COLUMNS:
            row[column] = None if row[column] is None else bool(row[column])
        row["lapse_sources"] = list(row["lapse_sources"] or ())
        rows.append(row)
    return rows


def _csv_cell(column: str, value) -> str:
    if value is None:
        return ""
    if column in BOOL_COLUMNS:
        return "true" if value else "false"
    if column in NUMBER_COLUMNS:
        return repr(float(value))  # numbers are written by us, never as formulas
    if column == "lapse_sources":
        return neutralise(" ".join(value))  # space-separated, as in seeds/members.csv
    return neutralise(str(value))


def to_csv(members: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read the accents) of the members."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in _records(members):
        writer.writerow([_csv_cell(c, row[c]) for c in EXPORT_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def to_geojson(members: pd.DataFrame) -> bytes:
    """An RFC 7946 FeatureCollection: WGS 84 lon/lat points, null geometry when unplaced."""
    features = []
    for row in _records(members):
        lon, lat = row.pop("lon"), row.pop("lat")
        geometry = None
        if lon is not None and lat is not None:
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "id": row["id"], "geometry": geometry,
                         "properties": row})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False,
                      indent=1).encode("utf-8")


def with_country_rounds(members: pd.DataFrame, first_rounds: dict[str, str]) -> pd.DataFrame:
    """The members with COUNTRY_ROUND_COLUMNS, from ``first_rounds`` (ISO code -> round). A
    country with only undated members has neither value."""
    first = members["iso2"].map(first_rounds)
    return members.assign(country_first_round=first,
                          country_new_in_round=(first == members["round"]).where(first.notna()))


def _narrowing(scope: Scope) -> list[tuple[str, tuple[str, ...]]]:
    """What narrows the network, in a fixed order: (what, its values), the empty ones left out.
    The file name and the exported map's title both say it, each in its own way."""
    state, focus, search = scope.filters, scope.focus, scope.filters.search.strip()
    found = [("round", state.rounds), ("region", state.regions), ("country", state.countries),
             ("search", (search,) if search else ()),
             ("new-capitals", (focus,) if state.new_capitals_only else ()),
             ("first-time-countries", (focus,) if state.first_time_only else ()),
             ("as-of", (scope.as_of,) if scope.as_of else ())]
    return [(what, values) for what, values in found if values]


# How the title says each part; {} is its values, named and joined by commas.
_TITLE_WORDS = {"round": "round {}", "region": "{}", "country": "{}",
                "search": "names with \u201c{}\u201d", "new-capitals": "capitals new in {}",
                "first-time-countries": "countries new in {}", "as-of": "as of {}"}
_ROUND_PARTS = ("round", "new-capitals", "first-time-countries", "as-of")


def describe(scope: Scope, round_label, country_name) -> str:
    """What the filters let through, in words ("" when nothing narrows the network), for the
    title of an exported map. ``round_label(key)`` and ``country_name(code)`` name things."""
    def named(what: str, value: str) -> str:
        if what in _ROUND_PARTS:
            return round_label(value)
        return country_name(value) if what == "country" else value
    return " \u00b7 ".join(
        _TITLE_WORDS[what].format(", ".join(named(what, v) for v in values))
        for what, values in _narrowing(scope))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:40]


def file_stem(scope: Scope) -> str:
    """A file name (without extension) that says what the filters let through."""
    parts = [FILE_PREFIX]
    for what, values in _narrowing(scope):
        slugs = [v.lower() if what == "country" else _slug(v) for v in values]
        if any(slugs):
            parts.append(f"{what}-{'_'.join(slugs)}")
    return "-".join(parts)[:150]
