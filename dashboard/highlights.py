"""What stands out for a focus round: newly admitted capitals and first-time countries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

# The round order comes from the data: dashboard.data gives every member row its round's
# place in the file's order ("round_order") and whether that round has a date
# ("round_dated"). An undated round (e.g. 'unknown') may be earlier or later than any
# other, so it never makes a country "first-time".


@dataclass(frozen=True)
class Highlights:
    """The focus round's new capitals (member ids) and first-time countries (ISO codes)."""

    focus_round: str
    new_capital_ids: frozenset[str]
    first_time_iso2: frozenset[str]


def first_rounds(members: pd.DataFrame) -> dict[str, str]:
    """ISO code -> the round of the country's earliest member (withdrawn and undated-round
    rows aside): the round in which the country was new to the network."""
    dated = members[members["round_dated"] & (members["status"] != "withdrawn")]
    if dated.empty:
        return {}
    earliest = dated.loc[dated.groupby("iso2")["round_order"].idxmin()]
    return dict(zip(earliest["iso2"], earliest["round"], strict=True))


def first_time_countries(members: pd.DataFrame, focus_round: str) -> frozenset[str]:
    """Countries whose earliest member (withdrawn and undated-round rows aside) is in focus."""
    return frozenset(code for code, key in first_rounds(members).items() if key == focus_round)


def new_capitals(members: pd.DataFrame, focus_round: str) -> frozenset[str]:
    """Ids of capitals admitted in the focus round."""
    chosen = members[(members["round"] == focus_round) & members["capital"]]
    return frozenset(chosen["id"])


def compute(members: pd.DataFrame, focus_round: str) -> Highlights:
    return Highlights(
        focus_round, new_capitals(members, focus_round), first_time_countries(members, focus_round)
    )


@dataclass(frozen=True)
class FirstTimeCheck:
    """The computed first-time countries of a round against the ones its announcement names."""

    agreed: frozenset[str]
    earlier_member: dict[str, str]  # announced, but the roster has a member from this round
    no_member_found: frozenset[str]  # announced, but no member of that round in the roster
    not_announced: frozenset[str]  # computed, but the announcement does not name it


def check_first_time(members: pd.DataFrame, focus_round: str,
                     announced: Iterable[str]) -> FirstTimeCheck:
    announced = frozenset(announced)
    computed = first_time_countries(members, focus_round)
    in_round = set(members.loc[members["round"] == focus_round, "iso2"])
    earlier = {}
    for code in sorted(announced - computed):
        if code in in_round:
            own = members[(members["iso2"] == code) & members["round_dated"]]
            if own.empty:  # the focus round itself has no date: nothing to compare
                continue
            first = own.loc[own["round_order"].idxmin()]
            earlier[code] = f"{first['city']} ({first['round']})"
    return FirstTimeCheck(
        agreed=computed & announced,
        earlier_member=earlier,
        no_member_found=frozenset(announced - computed - set(earlier)),
        not_announced=computed - announced if announced else frozenset(),
    )
