"""The page's cached helpers: what they return for a filter state, and what shares a cache entry."""

from __future__ import annotations

import pytest

from dashboard import page
from dashboard.filters import FilterState, apply_filters
from dashboard.highlights import compute


@pytest.fixture
def on_small(monkeypatch, small_path, small_atlas):
    monkeypatch.setenv("ATLAS_DATA", str(small_path))
    return small_atlas


def test_shown_matches_the_filters(on_small):
    focus = on_small.latest_round
    state = FilterState(rounds=(focus,))
    expected = apply_filters(on_small.members, state, compute(on_small.members, focus))
    selection = page.shown(state, focus)
    assert list(selection.members["id"]) == list(expected["id"])
    assert selection.ids == frozenset(expected["id"])
    assert 0 < len(selection.ids) < len(on_small.members)


def test_the_selected_city_does_not_change_what_is_shown(on_small):
    focus = on_small.latest_round
    some_id = on_small.members["id"].iloc[0]
    # Clicking a city reruns the page: it must reuse the cached map state, not rebuild it.
    assert page.map_state(FilterState(city=some_id), focus) is page.map_state(FilterState(),
                                                                               focus)
    assert page.shown(FilterState(city=some_id), focus) is page.shown(FilterState(), focus)
    narrower = page.map_state(FilterState(rounds=(focus,)), focus)
    assert narrower["visible"] != page.map_state(FilterState(), focus)["visible"]


def test_the_map_table_is_published_once_per_data_version(on_small):
    table, url = page.map_table()
    assert page.map_table() == (table, url)
    assert table.size == len(on_small.members) and url.endswith(".json")


def test_new_capitals_are_the_focus_rounds_capitals(on_small):
    focus = on_small.latest_round
    marks = compute(on_small.members, focus)
    capitals = on_small.members[on_small.members["id"].isin(marks.new_capital_ids)]
    expected = tuple(zip(capitals["city"], capitals["country"], strict=True))
    assert page.new_capitals(focus) == expected
    assert page.new_capitals(focus)  # the small fixture has capitals in its latest round


def test_coverage_markdown_escapes_and_lists_every_round(on_small):
    table = page.coverage_markdown()
    assert table.startswith("| Round | Found | Announced | Still missing |")
    assert len(table.splitlines()) == 2 + len(page.roster_coverage().table)


def test_city_options_are_the_members_shown_alphabetically(on_small):
    ids = list(on_small.members["id"])
    options, groups = page.city_options(ids)
    assert sorted(o.value for o in options) == sorted(ids)
    cities = [o.label for o in options]
    assert cities[0] == "Amadora" and cities[-1] == "Tacoma"
    concepcion = cities.index("Concepción")  # accents ignored: among the C's
    assert cities[concepcion - 1] == "Caracas" and cities[concepcion + 1] == "Cork"
    assert [o.value for o in page.city_options(ids[:3])[0]] == [
        o.value for o in options if o.value in ids[:3]]
    assert set(groups) == set(on_small.members["iso2"])
    published = page.city_choices().url
    assert published.startswith("/app/static/data/cities-") and published.endswith(".json")


def test_country_options_offer_each_member_country_once(on_small):
    codes = [o.value for o in page.country_options()]
    assert sorted(codes) == sorted(set(on_small.members["iso2"]))
