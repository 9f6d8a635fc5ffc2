"""dashboard.details: what the panel says about one member, here how exact its point is."""

from __future__ import annotations

import copy
import json

import pytest

from dashboard import data, highlights
from dashboard.details import member_details, precision_text


@pytest.mark.parametrize(("precision", "radius", "words"), [
    ("place", None, "the place itself"),
    ("seat", None, "the seat of the county, commune or consortium"),
    ("area", 70.0, "an approximate area, radius 70 km"),
    ("area", 12.5, "an approximate area, radius 12.5 km"),
    ("area", None, "an approximate area (radius not recorded)"),
    ("area", float("nan"), "an approximate area (radius not recorded)"),
    (None, None, "not recorded"),
    ("<b>guess</b>", None, "not recorded"),  # never echoes an unknown value
])
def test_precision_in_plain_words(precision, radius, words):
    assert precision_text(precision, radius) == words


def atlas_with(small_path, **by_id):
    """The small fixture with placement properties set on some members."""
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    collection = copy.deepcopy(collection)
    for feature in collection["features"]:
        feature["properties"].update(by_id.get(feature["id"], {}))
    return data.parse_atlas(collection)


def test_member_details_carry_the_precision(small_path):
    atlas = atlas_with(
        small_path,
        **{"kr-seo-gu-gwangju": {"place_precision": "place", "place_radius_km": None,
                                 "subdivision": "KR-29", "check_subdivision": "agrees"},
           "us-tacoma": {"place_precision": "area", "place_radius_km": 70}})
    marks = highlights.compute(atlas.members, atlas.latest_round)
    assert member_details(atlas, "kr-seo-gu-gwangju", marks).precision == "the place itself"
    assert member_details(atlas, "us-tacoma", marks).precision == \
        "an approximate area, radius 70 km"
    # A file from before the property: said so, not guessed.
    assert member_details(atlas, "cn-beijing", marks).precision == "not recorded"


@pytest.mark.parametrize("text", [
    "![i](http://127.0.0.1:9/x.png)", "[a](javascript:alert(1))", ":red[styled]", "$$x^2$$",
    "http://bare.example/", "www.bare.example", "me@bare.example", "<img src=x>", "title\n===",
])
def test_md_escape_leaves_no_markup_and_no_autolink(text):
    from dashboard.details import md_escape
    escaped = md_escape(text)
    assert "<" not in escaped
    assert "://" not in escaped and "www." not in escaped.lower()
    assert "@" not in escaped or "@\u2060" in escaped
    for special in "[]()!:$=":
        assert escaped.count(special) == escaped.count("\\" + special)


def test_a_possible_lapse_reaches_the_details_with_its_safe_sources_only(lapse_atlas):
    marked = lapse_atlas.members[lapse_atlas.members["lapse"] == "possible"].iloc[0]
    marks = highlights.compute(lapse_atlas.members, "2025")
    info = member_details(lapse_atlas, marked["id"], marks)
    assert (info.lapse, info.lapse_date) == ("possible", "2026-02-03")
    assert info.lapse_sources == ("https://example.org/national-list",)
    other = lapse_atlas.members[lapse_atlas.members["lapse"].isna()].iloc[0]
    assert member_details(lapse_atlas, other["id"], marks).lapse is None
