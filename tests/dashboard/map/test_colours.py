"""The rounds' colours: distinct, by a rule, readable on the base map."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dashboard.map.colours import OUTLINE, PALETTE, luminance, round_colours

OSM_LAND, OSM_WATER, OFFLINE_LAND = "#F2EFE9", "#AAD3DF", "#F4F2ED"


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_member_outline_stands_out_from_the_base_map():
    for ground in (OSM_LAND, OSM_WATER, OFFLINE_LAND):
        assert contrast(OUTLINE, ground) >= 3


@given(st.lists(st.from_regex(r"20[0-9]{2}", fullmatch=True), unique=True, max_size=30))
def test_any_rounds_get_distinct_colours_by_a_rule(keys):
    colours = round_colours([*keys, "unknown"])
    assert set(colours) == {*keys, "unknown"}
    assert len(set(colours.values())) == len(colours)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours.values())
    # Beyond the palette the rule picks hues dark enough to read on the light base map.
    for key in keys[len(PALETTE):]:
        assert contrast(colours[key], OSM_LAND) >= 3
