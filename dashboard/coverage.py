"""How complete the roster is, per round, against what UNESCO announced."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.data import Atlas
from dashboard.details import md_link, safe_url
from geodata.countries import country_name, country_names
from geodata.gaps import Tally, first_time_gaps, tally


@dataclass(frozen=True)
class LocatedGap:
    """Members a source counts in one scope that the atlas does not name yet."""

    scope: str  # "Republic of Korea, 2015–2018 (rolling), admitted in 2018"
    announced: int
    named: int
    missing: int
    at_least: bool  # the source's figure is a lower bound
    claim: str  # what the source says
    source_url: str | None  # None: no safe link
    note: str

    def sentence(self) -> str:
        """'5 of 9 members not yet named: Republic of Korea, ...' in plain words."""
        if self.at_least:
            return f"At least {self.missing} not yet named: {self.scope}"
        return f"{self.missing} of {self.announced} not yet named: {self.scope}"


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
    located: tuple[LocatedGap, ...] = ()  # where the missing members are, with the evidence

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


def _scope(tallied: Tally, atlas: Atlas, names: dict[str, str]) -> str:
    gap = tallied.gap
    parts = [country_name(gap.iso2, names) if gap.iso2 else "", gap.region or "",
             ", ".join(atlas.round_label(k) for k in gap.rounds) or "all rounds",
             f"admitted in {gap.admitted_year}" if gap.admitted_year else ""]
    return ", ".join(p for p in parts if p)


def located_gaps(atlas: Atlas) -> tuple[LocatedGap, ...]:
    """The sourced gaps (seeds/gaps.csv) and the announced first-time countries that still
    lack a member, each with the roster's count of its scope."""
    members = atlas.roster.to_dict("records")
    names = country_names(zip(atlas.roster["iso2"], atlas.roster["country"], strict=True))
    announced = [(r.key, r.announced_first_time, r.source_url) for r in atlas.rounds]
    found = []
    for t in (*tally(atlas.gaps, members), *tally(first_time_gaps(announced), members)):
        if not t.missing:
            continue
        claim = t.gap.claim or (f"The {atlas.round_label(t.gap.rounds[0])} announcement names "
                                "this country among those new to the network.")
        found.append(LocatedGap(_scope(t, atlas, names), t.gap.announced, t.named, t.missing,
                                t.gap.bound == "at_least", claim, safe_url(t.gap.source_url),
                                t.gap.note))
    return tuple(found)


def located_markdown(located: tuple[LocatedGap, ...], escape: Callable[[object], str],
                     brief: bool = False) -> str:
    """One line per gap: the count and scope, then what the source says and its caveat (or,
    brief, the source's link alone)."""
    lines = []
    for gap in located:
        line = f"- **{escape(gap.sentence())}.**"
        if not brief:
            line += f" {escape(gap.claim)}"
        if gap.source_url:
            line += " " + md_link("Source", gap.source_url)
        if not brief and gap.note:
            line += f"  \n  *{escape(gap.note)}*"
        lines.append(line)
    return "\n".join(lines)


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
        located=located_gaps(atlas),
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
