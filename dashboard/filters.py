"""The filter state of the page and how it narrows the members table."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.highlights import Highlights
from dashboard.names import country_search_text, fold

__all__ = ["FILTER_FIELDS", "Counts", "FilterState", "apply_filters", "counts", "described",
           "fold", "is_filtered", "new_capitals_shown", "searchable"]


@dataclass(frozen=True)
class FilterState:
    """Everything the sidebar controls. Empty selections mean "all"."""

    rounds: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO alpha-2 codes
    search: str = ""
    new_capitals_only: bool = False
    first_time_only: bool = False
    focus_round: str = ""  # "" = the latest round
    mark_capitals: bool = True
    mark_first_time: bool = True
    city: str = ""  # the selected member id, so a shared link opens on that city
    # The network as it stood after one round: only members admitted in as_of_rounds (the
    # rounds up to and including as_of, in the data's order; see dashboard.asof).
    as_of: str = ""
    as_of_rounds: tuple[str, ...] = ()
    view: str = "map"  # which view of the selection the page shows (urlstate.VIEWS)


# The fields that narrow the members ("Clear filters" resets these); the focus round, the
# marks and the selected city only change how the members are shown.
FILTER_FIELDS = ("rounds", "regions", "countries", "search", "new_capitals_only",
                 "first_time_only", "as_of")


def is_filtered(state: FilterState) -> bool:
    """Whether any filter narrows the members."""
    default = FilterState()
    return any(getattr(state, name) != getattr(default, name) for name in FILTER_FIELDS)


def described(state: FilterState, round_label: Callable[[str], str],
              country_name: Callable[[str], str]) -> tuple[str, ...]:
    """The active filters in words, for the empty state ("round 2019", "name “zzz”")."""
    parts = []
    if state.rounds:
        parts.append("round " + ", ".join(map(round_label, state.rounds)))
    if state.regions:
        parts.append(", ".join(state.regions))
    if state.countries:
        parts.append(", ".join(map(country_name, state.countries)))
    if state.search.strip():
        parts.append(f"name “{state.search.strip()}”")
    if state.new_capitals_only:
        parts.append("only new capitals")
    if state.first_time_only:
        parts.append("only first-time countries")
    if state.as_of:
        parts.append(f"the network as of {round_label(state.as_of)}")
    return tuple(parts)


def searchable(members: pd.DataFrame) -> pd.Series:
    """Per member, the folded text a name search looks in: city, country and the country's
    other names ("Turkey" finds Türkiye's members, "setubal" finds Setúbal)."""
    return (members["city"].map(fold) + " | " + members["country"].map(fold) + " | "
            + members["iso2"].map(country_search_text))


def apply_filters(members: pd.DataFrame, state: FilterState, marks: Highlights,
                  search_text: pd.Series | None = None) -> pd.DataFrame:
    """The members the current filters let through (a view; never mutates the input).

    search_text is searchable(members) when the caller keeps it (the page does, once per data
    version): folding every name again on each search is most of a search's cost.
    """
    keep = pd.Series(True, index=members.index)
    if state.rounds:
        keep &= members["round"].isin(state.rounds)
    if state.regions:
        keep &= members["region"].isin(state.regions)
    if state.countries:
        keep &= members["iso2"].isin(state.countries)
    if state.search.strip():
        # At the start of a word: "usa" finds Tacoma (USA), not Lusaka.
        needle = r"(?<!\w)" + re.escape(fold(state.search))
        text = searchable(members) if search_text is None else search_text
        keep &= text.str.contains(needle, regex=True)
    if state.new_capitals_only:
        keep &= members["id"].isin(marks.new_capital_ids)
    if state.first_time_only:
        keep &= members["iso2"].isin(marks.first_time_iso2) & (
            members["round"] == marks.focus_round
        )
    if state.as_of:
        keep &= members["round"].isin(state.as_of_rounds)
    return members[keep]


@dataclass(frozen=True)
class Counts:
    """The headline numbers of the members shown (so every one follows the filters)."""

    members: int
    countries: int
    rounds: int
    new_capitals: int  # shown members that are capitals admitted in the focus round
    first_time_countries: int  # countries of shown focus-round members that are new in it


def new_capitals_shown(shown: pd.DataFrame, marks: Highlights) -> tuple[tuple[str, str], ...]:
    """(city, country) of the focus round's new capitals among the members shown."""
    capitals = shown[shown["id"].isin(marks.new_capital_ids)]
    return tuple(zip(capitals["city"], capitals["country"], strict=True))


def counts(shown: pd.DataFrame, marks: Highlights) -> Counts:
    in_focus = shown[shown["round"] == marks.focus_round]
    return Counts(
        members=len(shown),
        countries=shown["iso2"].nunique(),
        rounds=shown["round"].nunique(),
        new_capitals=int(shown["id"].isin(marks.new_capital_ids).sum()),
        first_time_countries=len(set(in_focus["iso2"]) & marks.first_time_iso2),
    )
