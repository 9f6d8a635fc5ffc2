"""The network as of a round: for each round of the fixture, counted independently."""

from __future__ import annotations

import pytest

from dashboard.asof import admitted_by, rounds_through, timeline, undated_count
from dashboard.filters import apply_filters
from dashboard.highlights import compute
from tests.dashboard.scopes import scope

# The small fixture's rounds in time order, written out here to check the data's own order.
FIXTURE_ORDER = ["2015-2018", "2019", "2020", "2022", "2024", "2025"]


def test_timeline_follows_the_data(small_atlas):
    keys = [r.key for r in small_atlas.rounds]
    assert list(timeline(keys)) == FIXTURE_ORDER
    assert "unknown" in keys  # the fixture has an undated member, left off the timeline


@pytest.mark.parametrize("as_of", FIXTURE_ORDER)
def test_as_of_each_round(small_atlas, as_of):
    keys = [r.key for r in small_atlas.rounds]
    roster = small_atlas.roster
    earlier = FIXTURE_ORDER[: FIXTURE_ORDER.index(as_of) + 1]
    expected = {row.id for row in roster.itertuples() if row.round in earlier}
    assert set(rounds_through(keys, as_of)) == set(earlier)
    assert set(admitted_by(roster, keys, as_of)["id"]) == expected
    # The same through the page's scope (what the map, counts and table use).
    marks = compute(small_atlas.members, as_of)
    assert set(apply_filters(roster, scope(as_of, as_of), marks, tuple(keys))["id"]) == expected
    assert "zm-livingstone" not in expected  # round unknown: never in an "as of" view


def test_as_of_nothing_is_everyone_and_unknown_rounds_are_counted(small_atlas):
    keys = [r.key for r in small_atlas.rounds]
    roster = small_atlas.roster
    assert admitted_by(roster, keys, "") is roster
    assert rounds_through(keys, "unknown") == () and rounds_through(keys, "1999") == ()
    assert undated_count(roster) == sum(1 for r in roster["round"] if r == "unknown") == 1
