"""Countries by the round of their first member, checked against the fixture by hand."""

from __future__ import annotations

import json
import re

from dashboard import choropleth, shapes
from dashboard.filters import apply_filters
from dashboard.highlights import compute
from tests.dashboard.scopes import scope


def by_hand(rows, order):
    first = {}
    for row in rows:
        if row["round"] in order:
            known = first.get(row["iso2"])
            if known is None or order.index(row["round"]) < order.index(known):
                first[row["iso2"]] = row["round"]
    return first


def test_first_round_of_each_country(small_atlas):
    keys = [r.key for r in small_atlas.rounds]
    order = [k for k in keys if k != "unknown"]
    expected = by_hand(small_atlas.roster.to_dict("records"), order)
    assert choropleth.first_rounds(small_atlas.roster, keys) == expected
    assert expected["ZM"] == "2025"  # Livingstone (round unknown) does not make it earlier
    assert expected["EG"] == "2015-2018" and expected["KE"] == "2024"  # Kenya: unplaced only


def test_colours_run_in_time_order_and_differ():
    colours = choropleth.round_colours(["a", "b", "c", "d", "e", "f", "g"])
    assert colours["a"] == choropleth.VIRIDIS[0] and colours["g"] == choropleth.VIRIDIS[-1]
    assert len(set(colours.values())) == 7
    assert choropleth.round_colours(["only"]) == {"only": choropleth.VIRIDIS[0]}


def test_view_of_a_filtered_selection(small_atlas):
    keys = [r.key for r in small_atlas.rounds]
    state = scope(regions=("Africa",))
    shown = apply_filters(small_atlas.roster, state, compute(small_atlas.members, "2025"))
    names = dict(zip(small_atlas.roster["iso2"], small_atlas.roster["country"], strict=True))
    view = choropleth.joined_view(shown, keys, small_atlas.round_label, names,
                                  shapes.shaded_geojson)
    dated = shown[shown["round"] != "unknown"]
    assert {code for code, _, _ in view.joined} == set(dated["iso2"])
    assert set(dated["iso2"]) == {"BJ", "KE", "ZM"}  # Egypt, Morocco: Arab States
    drawn = {f["properties"]["iso2"] for f in json.loads(view.countries)["features"]}
    assert drawn == {code for code, _, _ in view.joined}
    assert [r[0] for r in view.rounds] == [k for k in keys if k in set(shown["round"])
                                           and k != "unknown"]


def test_script_keeps_text_as_data(hostile_atlas):
    keys = [r.key for r in hostile_atlas.rounds]
    names = dict(zip(hostile_atlas.roster["iso2"], hostile_atlas.roster["country"], strict=True))
    view = choropleth.joined_view(hostile_atlas.roster, keys, hostile_atlas.round_label, names,
                                  shapes.shaded_geojson)
    fmap = choropleth.build_map(view, offline=True)
    script = fmap.get_root().render()
    options = json.loads(re.search(r"L\.AtlasCountries\.addTo\(\w+, (\{.*\})\);",
                                   script).group(1))
    assert "<script>alert('city')</script>" in [m[0] for m in options["members"]]
    assert "<script>alert" not in script and "{{ 7*7 }}" not in script


def test_a_country_with_only_unknown_round_members_is_named_not_dropped(small_atlas):
    # Before: the view said 83 countries beside a headline of 84; Honduras, whose only
    # members have an unknown round, was left out without a word.
    import pandas as pd

    keys = [r.key for r in small_atlas.rounds]
    honduras = small_atlas.roster.iloc[[0]].assign(
        id="hn-test", iso2="HN", country="Honduras", round="unknown")
    roster = pd.concat([small_atlas.roster, honduras], ignore_index=True)
    names = dict(zip(roster["iso2"], roster["country"], strict=True))
    view = choropleth.joined_view(roster, keys, small_atlas.round_label, names,
                                  shapes.shaded_geojson)
    assert view.undated == (("HN", "Honduras"),)
    assert len(view.joined) + len(view.undated) == roster["iso2"].nunique()
    # Zambia has an unknown-round member too, but also dated ones: it is shaded.
    assert "ZM" in {code for code, _, _ in view.joined}
