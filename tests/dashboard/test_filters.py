"""Sidebar filters narrowing the members table."""

from __future__ import annotations

from dataclasses import replace

from dashboard.filters import FilterState, apply_filters, fold
from dashboard.highlights import compute


def shown(atlas, **changes):
    state = replace(FilterState(), **changes)
    marks = compute(atlas.members, state.focus_round or atlas.latest_round)
    return set(apply_filters(atlas.members, state, marks)["id"])


def test_no_filter_shows_every_placed_member(small_atlas):
    assert len(shown(small_atlas)) == 19


def test_each_filter_narrows(small_atlas):
    assert shown(small_atlas, rounds=("2019",)) == {"nl-eindhoven"}
    assert shown(small_atlas, rounds=("2024", "unknown")) == {
        "tr-bursa", "br-sobral", "zm-livingstone"}
    assert shown(small_atlas, regions=("Africa",)) == {
        "bj-porto-novo", "zm-lusaka", "zm-livingstone"}
    assert shown(small_atlas, countries=("PT",)) == {"pt-amadora", "pt-lisbon"}
    assert shown(small_atlas, new_capitals_only=True) == {
        "eg-cairo", "pt-lisbon", "tr-ankara", "bj-porto-novo", "zm-lusaka", "ve-caracas"}
    assert shown(small_atlas, first_time_only=True) == {
        "bj-porto-novo", "cl-concepcion", "us-tacoma", "zm-lusaka", "ve-caracas"}


def test_filters_combine(small_atlas):
    assert shown(small_atlas, rounds=("2025",), regions=("Europe and North America",)) == {
        "pt-lisbon", "tr-ankara", "us-tacoma"}
    assert shown(small_atlas, countries=("KR",), search="gwangju") == {"kr-seo-gu-gwangju"}


def test_focus_round_moves_the_highlight_filters(small_atlas):
    assert shown(small_atlas, focus_round="2019", first_time_only=True) == {"nl-eindhoven"}
    assert shown(small_atlas, focus_round="2015-2018", new_capitals_only=True) == {"cn-beijing"}


def test_search_ignores_case_and_accents(small_atlas):
    assert shown(small_atlas, search="CONCEPCION") == {"cl-concepcion"}
    assert shown(small_atlas, search="türk") == {"tr-bursa", "tr-ankara"}
    assert shown(small_atlas, search="  ") == shown(small_atlas)
    assert shown(small_atlas, search="no such place") == set()
    assert fold("Đà Nẵng") == "da nang"
