"""Growth series: equal to counts computed independently, row by row, from the fixture."""

from __future__ import annotations

import pytest

from dashboard.filters import apply_filters
from dashboard.growth import CHARTS, growth_table, undated
from dashboard.highlights import compute
from tests.dashboard.scopes import scope


def by_hand(rows: list[dict], order: list[str]) -> dict[str, dict]:
    """The expected figures, with plain loops over the fixture's member rows."""
    expected, members_so_far, seen = {}, 0, set()
    for key in order:
        in_round = [r for r in rows if r["round"] == key]
        new = {r["iso2"] for r in in_round} - seen
        seen |= new
        members_so_far += len(in_round)
        expected[key] = {"Admitted": len(in_round), "Members so far": members_so_far,
                         "New countries": len(new), "Countries so far": len(seen),
                         "Capitals admitted": sum(1 for r in in_round if r["capital"])}
    return expected


def test_growth_equals_counts_by_hand(small_atlas):
    rows = small_atlas.roster.to_dict("records")
    order = ["2015-2018", "2019", "2020", "2022", "2024", "2025"]
    table = growth_table(small_atlas.roster, small_atlas.rounds)
    assert list(table["round"]) == order
    expected = by_hand(rows, order)
    for row in table.to_dict("records"):
        for column, value in expected[row["round"]].items():
            assert row[column] == value, (row["round"], column)
    # 2024: Bursa, Sobral (doubtful, still counted) and Kuno (unplaced, still counted);
    # Laayoune (2020, withdrawn) is not in the roster at all.
    assert table.set_index("round").loc["2024", "Admitted"] == 3
    assert table.set_index("round").loc["2020", "Admitted"] == 1
    assert table["Members so far"].iloc[-1] + undated(small_atlas.roster) == len(rows)


def test_announced_figures_come_from_the_rounds(small_atlas):
    table = growth_table(small_atlas.roster, small_atlas.rounds).set_index("round")
    for info in small_atlas.rounds:
        if info.key in table.index and info.network_members_after is not None:
            assert table.loc[info.key, "Announced network size"] == info.network_members_after
            assert table.loc[info.key, "Announced admitted"] == info.announced_members
    assert list(table["Announced network size"].dropna()) == [174, 229, 294, 356, 425]


@pytest.mark.parametrize("state", [scope(regions=("Europe and North America",)),
                                   scope(rounds=("2025",))])
def test_growth_of_a_filtered_selection(small_atlas, state):
    shown = apply_filters(small_atlas.roster, state, compute(small_atlas.members, "2025"))
    table = growth_table(shown, small_atlas.rounds)
    assert table["Admitted"].sum() == len(shown) - undated(shown)
    expected = by_hand(shown.to_dict("records"), list(table["round"]))
    assert all(row["Countries so far"] == expected[row["round"]]["Countries so far"]
               for row in table.to_dict("records"))


def test_each_chart_has_a_title_a_description_and_its_data(small_atlas):
    table = growth_table(small_atlas.roster, small_atlas.rounds)
    for build, columns in CHARTS:
        spec = build(table).to_dict()
        assert spec["title"] and len(spec["description"]) > 40
        assert set(columns) <= set(table.columns)
        values = next(iter(spec["datasets"].values()))
        assert {v["Round"] for v in values} <= set(table["Round"])


def test_a_rounds_new_countries_are_new_to_the_network_not_to_the_selection(small_atlas):
    # Before: with only 2025 shown, every country of 2025 counted as new in 2025 (the chart
    # said 8 beside a headline of 2 for Asia and the Pacific).
    from dashboard.filters import counts

    marks = compute(small_atlas.members, "2025")
    shown = apply_filters(small_atlas.roster, scope(rounds=("2025",)), marks)
    table = growth_table(shown, small_atlas.rounds, small_atlas.roster).set_index("round")
    in_2025 = shown[shown["round"] == "2025"]["iso2"].nunique()
    assert table.loc["2025", "New countries"] == counts(shown, marks).first_time_countries
    assert table.loc["2025", "New countries"] < in_2025
    # The countries shown that joined earlier count from their first round.
    assert table["New countries"].sum() == table["Countries so far"].iloc[-1] == in_2025
