"""The filter state of the page and how it narrows the members table."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pandas as pd

from dashboard.highlights import Highlights


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


def fold(text: str) -> str:
    """Case- and accent-insensitive form for name search ("Đà Nẵng" matches "da nang")."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def apply_filters(members: pd.DataFrame, state: FilterState, marks: Highlights) -> pd.DataFrame:
    """The members the current filters let through (a view; never mutates the input)."""
    keep = pd.Series(True, index=members.index)
    if state.rounds:
        keep &= members["round"].isin(state.rounds)
    if state.regions:
        keep &= members["region"].isin(state.regions)
    if state.countries:
        keep &= members["iso2"].isin(state.countries)
    if state.search.strip():
        needle = fold(state.search)
        haystack = (members["city"] + " " + members["country"]).map(fold)
        keep &= haystack.str.contains(needle, regex=False)
    if state.new_capitals_only:
        keep &= members["id"].isin(marks.new_capital_ids)
    if state.first_time_only:
        keep &= members["iso2"].isin(marks.first_time_iso2) & (
            members["round"] == marks.focus_round
        )
    if state.as_of:
        keep &= members["round"].isin(state.as_of_rounds)
    return members[keep]
