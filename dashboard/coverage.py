"""How complete the roster is, per round, against what UNESCO announced."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from dashboard.data import Atlas


@dataclass(frozen=True)
class Coverage:
    mapped: int  # members on the map
    unplaced: int  # in the roster, without coordinates
    found_in_announced_rounds: int  # roster members of rounds with an announced size
    announced: int  # sum of those announced sizes
    network_size: int | None  # members after the latest round, as announced
    network_countries: int | None
    latest_label: str
    first_announced_label: str  # the earliest round with an announced size
    table: pd.DataFrame  # per round: found, announced, still missing

    @property
    def percent(self) -> int:
        return round(100 * self.found_in_announced_rounds / self.announced) if self.announced else 0

    def headline(self) -> str:
        """One plain sentence for the top of the page."""
        # Lead with the figure people check first: how much of the announced network is mapped.
        if self.network_size:
            text = (f"{self.mapped} of {self.network_size} members mapped (UNESCO's count after "
                    f"the {self.latest_label} round, {self.network_countries} countries)")
        else:
            text = f"{self.mapped} members mapped"
        if self.unplaced:
            text += f" · {self.unplaced} more in the roster could not be placed"
        if self.announced:
            text += (f" · {self.found_in_announced_rounds} of the {self.announced} admissions "
                     f"announced since {self.first_announced_label} found ({self.percent}%)")
        return text


def coverage(atlas: Atlas) -> Coverage:
    found = Counter(atlas.members["round"])
    unplaced_by_round = Counter(round_ for _, round_ in atlas.unplaced)
    found.update(unplaced_by_round)
    rows, found_total, announced_total = [], 0, 0
    for info in atlas.rounds:
        n = found.get(info.key, 0)
        missing = None
        if info.announced_members is not None:
            missing = max(info.announced_members - n, 0)
            found_total += n
            announced_total += info.announced_members
        rows.append({"Round": info.label, "Found": n, "Announced": info.announced_members,
                     "Still missing": missing})
    latest = next((r for r in reversed(atlas.rounds) if r.network_members_after), None)
    first_announced = next((r for r in atlas.rounds if r.announced_members is not None), None)
    return Coverage(
        mapped=len(atlas.members),
        unplaced=len(atlas.unplaced),
        found_in_announced_rounds=found_total,
        announced=announced_total,
        network_size=latest.network_members_after if latest else None,
        network_countries=latest.network_countries_after if latest else None,
        latest_label=latest.label if latest else "",
        first_announced_label=first_announced.label if first_announced else "",
        table=pd.DataFrame(rows, columns=["Round", "Found", "Announced", "Still missing"]).astype(
            {"Found": "Int64", "Announced": "Int64", "Still missing": "Int64"}),
    )


def markdown_table(table: pd.DataFrame, escape) -> str:
    """The per-round table as Markdown (cells escaped with ``escape``).

    A Markdown table instead of st.dataframe: the data grid's ~1.3 MB of JavaScript delayed
    the map's first paint by about half a second, for a seven-row table.
    """
    def cell(value) -> str:
        return "–" if pd.isna(value) else escape(value)

    lines = ["| " + " | ".join(table.columns) + " |", "|" + " --- |" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines)
