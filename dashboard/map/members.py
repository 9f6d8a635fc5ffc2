"""What the members map is told: the member table, once per data version, and on each rerun
the small state that says which rows show and which stand out (atlas-members.js reads both).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from dashboard.highlights import Highlights
from dashboard.map.colours import SHADE_COLOUR, round_colours
from dashboard.map.jsdata import row_set, safe_json

# Bit flags of a row (atlas-core.js FLAG): the table holds DOUBTFUL, AREA and the lapses; the
# browser adds NEW_CAPITAL and FIRST_TIME from each rerun's state, as dashboard.highlights
# decides them for the focus round (the rule lives there only).
NEW_CAPITAL, FIRST_TIME, DOUBTFUL, AREA, LAPSE, LAPSED = 1, 2, 4, 8, 16, 32
LAPSE_FLAGS = {"possible": LAPSE, "lapsed": LAPSED}


def _radius_km(value) -> float:
    try:
        radius = float(value)
    except (TypeError, ValueError):
        return 0.0
    return radius if math.isfinite(radius) and radius > 0 else 0.0


@dataclass(frozen=True)
class MemberTable:
    """The members by round, as the browser gets them (JSON text), and what the
    state needs to point into it."""

    text: str
    size: int
    positions: dict[str, int]   # member id -> row
    countries: dict[str, int]   # ISO code -> country index
    rounds: dict[str, int]      # round key -> round index


def member_table(members: pd.DataFrame, round_labels: tuple[tuple[str, str], ...]
                 ) -> MemberTable:
    """Rows [id, city, country, round, lon, lat, flags, area radius km or 0]; round_labels
    lists every round (key, label) of the data in order, so a round keeps its colour whatever
    the filters show."""
    keys = [key for key, _ in round_labels]
    colours = round_colours(keys)
    rounds = {key: i for i, key in enumerate(keys)}
    countries: dict[str, int] = {}
    names: list[list[str]] = []
    rows = []
    # Rows go by round (stable: the data's order within a round), so a round or as-of filter
    # keeps stretches of rows, which a row set sends as a few run lengths.
    by_round = members.iloc[members["round"].map(rounds).argsort(kind="stable")]
    for m in by_round.itertuples(index=False):
        if m.iso2 not in countries:
            countries[m.iso2] = len(names)
            names.append([m.iso2, m.country])
        flags = (DOUBTFUL if m.status == "doubtful" else 0) | LAPSE_FLAGS.get(m.lapse, 0)
        radius = _radius_km(m.place_radius_km) if m.place_precision == "area" else 0.0
        if radius:
            flags |= AREA
        rows.append([m.id, m.city, countries[m.iso2], rounds[m.round], round(float(m.lon), 5),
                     round(float(m.lat), 5), flags, radius])
    text = safe_json({"countries": names, "shade": SHADE_COLOUR,
                      "rounds": [[key, label, colours[key]] for key, label in round_labels],
                      "rows": rows})
    return MemberTable(text, len(rows), {row[0]: i for i, row in enumerate(rows)},
                       countries, rounds)


def map_state(table: MemberTable, shown: pd.DataFrame, marks: Highlights, mark_capitals: bool,
              mark_first_time: bool, focus_label: str) -> dict:
    """What a rerun tells the map (its size does not grow with the roster but for row sets, a
    few run lengths or a bit a member): the rows shown, the focus round's new capitals to mark,
    the first-time countries to mark and shade."""
    positions = [table.positions[i] for i in shown["id"]]
    capitals = [table.positions[i] for i in sorted(marks.new_capital_ids)
                if i in table.positions] if mark_capitals else []
    first = sorted(table.countries[c] for c in marks.first_time_iso2
                   if c in table.countries) if mark_first_time else []
    shade = sorted(set(shown["iso2"]) & marks.first_time_iso2) if mark_first_time else []
    return {"visible": row_set(positions, table.size),
            "capitals": row_set(capitals, table.size) if capitals else "",
            "first": first, "focus": table.rounds.get(marks.focus_round, -1),
            "focusLabel": focus_label, "shade": shade}
