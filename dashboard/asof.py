"""The network as it stood after a round: which rounds count, and who is left out.

Round order always comes from the data (the Atlas's rounds, in the order the build wrote
them); this module only cuts that order at the chosen round.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geodata.seedmodel import UNKNOWN_ROUND

# Members whose round no source gives (the roster's reserved round key): they may be early or
# late, so no "as of" includes them.
UNDATED = UNKNOWN_ROUND


def timeline(round_keys: Iterable[str]) -> tuple[str, ...]:
    """The rounds a date can be put on, in the data's order (the undated bucket left out)."""
    return tuple(key for key in round_keys if key != UNDATED)


def rounds_through(round_keys: Iterable[str], as_of: str) -> tuple[str, ...]:
    """The rounds admitted up to and including ``as_of``; () if it is not on the timeline."""
    order = timeline(round_keys)
    if as_of not in order:
        return ()
    return order[: order.index(as_of) + 1]


def admitted_by(members: pd.DataFrame, round_keys: Iterable[str], as_of: str) -> pd.DataFrame:
    """The members admitted up to and including ``as_of`` (all of them when as_of is "")."""
    if not as_of:
        return members
    return members[members["round"].isin(rounds_through(round_keys, as_of))]


def undated_count(members: pd.DataFrame) -> int:
    """How many members an "as of" view leaves out because their round is unknown."""
    return int((members["round"] == UNDATED).sum())
