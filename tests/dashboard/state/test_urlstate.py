"""The page state in the URL: round trip, and bad values falling back with a notice."""

from __future__ import annotations

from dashboard.derived import choices_of
from dashboard.state.model import AtlasState, Display, Filters, Route, Selection
from dashboard.state.urlstate import parse, repeated_notices, to_params


def test_default_state_is_an_empty_query(small_atlas):
    choices = choices_of(small_atlas)
    default = AtlasState(display=Display(small_atlas.latest_round))
    assert to_params(default, choices) == {}
    assert parse({}, choices) == (default, [])


def test_round_trip(small_atlas):
    state = AtlasState(
        Filters(rounds=("2024", "2025"), regions=("Africa",), countries=("ZM", "BJ"),
                search="lu sa", new_capitals_only=True, first_time_only=True),
        Display(focus_round="2024", mark_capitals=False, mark_first_time=True),
        Route("table", "2020"), Selection("zm-lusaka"))
    params = to_params(state, choices_of(small_atlas))
    assert params["round"] == "2024,2025" and params["mark"] == "firsttime"
    assert params["focus"] == "2024" and params["view"] == "table" and params["as_of"] == "2020"
    assert parse(params, choices_of(small_atlas)) == (state, [])


def test_the_latest_round_is_the_focus_a_link_leaves_out(small_atlas):
    choices = choices_of(small_atlas)
    assert small_atlas.latest_round == "2025"
    assert "focus" not in to_params(AtlasState(display=Display("2025")), choices)
    assert to_params(AtlasState(display=Display("2019")), choices) == {"focus": "2019"}


def test_unknown_and_malformed_values_fall_back_with_notices(small_atlas):
    state, notices = parse(
        {"round": "2025,1999,<script>", "region": "Atlantis", "country": "zz,pt",
         "capitals": "maybe", "focus": "3000", "city": "nowhere", "q": "x" * 500,
         "mark": "glitter", "utm_source": "mail"},
        choices_of(small_atlas))
    filters = state.filters
    assert filters.rounds == ("2025",) and filters.countries == ("PT",)
    assert filters.regions == () and state.selection.city == ""
    assert state.display.focus_round == small_atlas.latest_round
    assert not filters.new_capitals_only and len(filters.search) == 100
    assert not state.display.mark_capitals and not state.display.mark_first_time
    assert len(notices) == 9


def test_view_and_as_of_round_trip(small_atlas):
    choices = choices_of(small_atlas)
    state, notices = parse({"view": "table", "as_of": "2020"}, choices)
    assert notices == []
    assert state.route == Route("table", "2020")
    assert to_params(state, choices) == {"view": "table", "as_of": "2020"}


def test_bad_view_and_as_of_fall_back_with_notices(small_atlas):
    state, notices = parse({"view": "chart<script>", "as_of": "unknown"}, choices_of(small_atlas))
    assert state.route == Route("map", "")
    assert len(notices) == 2 and "view" in notices[0] and "as_of" in notices[1]


def test_the_undated_round_is_no_focus_round(small_atlas):
    # It filters (members of unknown round), but has no new capitals or countries to stand out.
    choices = choices_of(small_atlas)
    assert "unknown" in choices.rounds
    state, notices = parse({"focus": "unknown", "round": "unknown"}, choices)
    assert state.display.focus_round == "2025" and state.filters.rounds == ("unknown",)
    assert notices == ["Ignored focus round 'unknown' in the link: no such dated round."]


def test_notices_quote_long_values_shortened(small_atlas):
    long = "![x](http://127.0.0.1:9/p.png)" + "z" * 100_000
    names = {f"unknown{i}": "1" for i in range(500)}
    _, notices = parse({"city": long, "view": long, "as_of": long, **names},
                       choices_of(small_atlas))
    assert len(notices) == 4
    assert all(len(notice) < 300 for notice in notices)
    assert any("and 495 more" in notice for notice in notices)


def test_repeated_parameters_are_named_once():
    assert repeated_notices([]) == []
    (notice,) = repeated_notices(["view", "round"])
    assert notice.endswith("the last value used: view, round.")
