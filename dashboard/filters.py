"""How the page's scope (filters, as-of round, focus round) narrows the members table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.asof import rounds_through
from dashboard.highlights import Highlights
from dashboard.names import country_search_text, fold
from dashboard.state.model import Scope

__all__ = ["Counts", "apply_filters", "counts", "described", "first_time_shown", "fold",
           "new_capitals_shown", "searchable"]


def described(scope: Scope, round_label: Callable[[str], str],
              country_name: Callable[[str], str]) -> tuple[str, ...]:
    """The active filters in words, for the empty state ("round 2019", "name “zzz”")."""
    state = scope.filters
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
    if scope.as_of:
        parts.append(f"the network as of {round_label(scope.as_of)}")
    return tuple(parts)


def searchable(members: pd.DataFrame) -> pd.Series:
    """Per member, the folded text a name search looks in: city, country and the country's
    other names ("Turkey" finds Türkiye's members, "setubal" finds Setúbal)."""
    return (members["city"].map(fold) + " | " + members["country"].map(fold) + " | "
            + members["iso2"].map(country_search_text))


# RE2's special characters (Arrow matches with RE2): each is escaped to stand for itself.
_RE2_SPECIAL = frozenset("\\.^$|?*+()[]{}")


def starts_a_word(text: pd.Series, needle: str) -> np.ndarray:
    """Per row, whether needle occurs in text at the start of a word ("usa" finds Tacoma
    (USA), not Lusaka), as Python's (?<!\\w) has it. Arrow's RE2 matches the whole column
    at once; Python's re, which pandas falls back to for a look-behind, goes row by row
    (50,000 members: 7 ms against 55 ms)."""
    literal = "".join("\\" + c if c in _RE2_SPECIAL else c for c in needle)
    column = pa.array(text, type=pa.large_string())
    found = pc.match_substring_regex(column, r"(?:^|[^\pL\pN_])" + literal)
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def apply_filters(members: pd.DataFrame, scope: Scope, marks: Highlights,
                  round_keys: tuple[str, ...] = (),
                  search_text: pd.Series | None = None) -> pd.DataFrame:
    """The members the scope lets through (a view; never mutates the input).

    marks are the scope's focus round's highlights; round_keys the data's rounds in order
    (an as-of round cuts them).
    search_text is searchable(members) when the caller keeps it (the page does, once per data
    version): folding every name again on each search is most of a search's cost.
    """
    state = scope.filters
    keep = pd.Series(True, index=members.index)
    if state.rounds:
        keep &= members["round"].isin(state.rounds)
    if state.regions:
        keep &= members["region"].isin(state.regions)
    if state.countries:
        keep &= members["iso2"].isin(state.countries)
    if state.search.strip():
        text = searchable(members) if search_text is None else search_text
        keep &= starts_a_word(text, fold(state.search))
    if state.new_capitals_only:
        keep &= members["id"].isin(marks.new_capital_ids)
    if state.first_time_only:
        keep &= members["iso2"].isin(marks.first_time_iso2) & (
            members["round"] == marks.focus_round
        )
    if scope.as_of:
        keep &= members["round"].isin(rounds_through(round_keys, scope.as_of))
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


def first_time_shown(shown: pd.DataFrame, marks: Highlights) -> frozenset[str]:
    """The focus round's first-time countries (ISO codes) with a focus-round member shown."""
    in_focus = shown.loc[shown["round"] == marks.focus_round, "iso2"]
    return frozenset(set(in_focus) & marks.first_time_iso2)


def counts(shown: pd.DataFrame, marks: Highlights) -> Counts:
    return Counts(
        members=len(shown),
        countries=shown["iso2"].nunique(),
        rounds=shown["round"].nunique(),
        new_capitals=int(shown["id"].isin(marks.new_capital_ids).sum()),
        first_time_countries=len(first_time_shown(shown, marks)),
    )
