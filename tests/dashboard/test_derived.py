"""The page's cached derivations: what they return for a scope, and what shares a cache entry."""

from __future__ import annotations

import pytest

from dashboard import data, derived
from dashboard.filters import apply_filters
from dashboard.highlights import compute
from dashboard.state.model import AtlasState, Display, Filters, Route, Selection
from tests.dashboard.scopes import scope


@pytest.fixture
def snap(monkeypatch, small_path, small_atlas):
    monkeypatch.setenv("ATLAS_DATA", str(small_path))
    return data.snapshot()


def test_shown_matches_the_filters(snap, small_atlas):
    focus = small_atlas.latest_round
    chosen = scope(focus, rounds=(focus,))
    expected = apply_filters(small_atlas.members, chosen, compute(small_atlas.members, focus))
    selection = derived.shown(snap, chosen)
    assert list(selection.members["id"]) == list(expected["id"])
    assert selection.ids == frozenset(expected["id"])
    assert 0 < len(selection.ids) < len(small_atlas.members)


def test_the_view_and_the_chosen_city_do_not_change_what_is_shown(snap, small_atlas):
    focus = small_atlas.latest_round
    some_id = small_atlas.members["id"].iloc[0]
    plain = AtlasState(display=Display(focus_round=focus))
    clicked = AtlasState(display=Display(focus_round=focus), route=Route(view="table"),
                         selection=Selection(city=some_id))
    # Clicking a city or changing the view reruns the page: it must reuse the cached map
    # state, not rebuild it.
    assert clicked.scope == plain.scope
    assert derived.map_state(snap, clicked.scope, clicked.display) is derived.map_state(
        snap, plain.scope, plain.display)
    assert derived.shown(snap, clicked.scope) is derived.shown(snap, plain.scope)
    narrower = AtlasState(filters=Filters(rounds=(focus,)), display=Display(focus_round=focus))
    assert (derived.map_state(snap, narrower.scope, narrower.display)["visible"]
            != derived.map_state(snap, plain.scope, plain.display)["visible"])


def test_a_new_data_version_is_a_new_cache_entry(snap, small_path):
    before = derived.atlas(snap)
    assert derived.atlas(data.snapshot()) is before  # same file version: same entry
    bumped = data.Snapshot(snap.path, snap.version + 1)
    assert derived.atlas(bumped) is not before


def test_the_map_table_is_published_once_per_data_version(snap, small_atlas):
    table, url = derived.map_table(snap)
    assert derived.map_table(snap) == (table, url)
    assert table.size == len(small_atlas.members) and url.endswith(".json")


def test_new_capitals_are_the_focus_rounds_capitals(snap, small_atlas):
    focus = small_atlas.latest_round
    marks = compute(small_atlas.members, focus)
    capitals = small_atlas.members[small_atlas.members["id"].isin(marks.new_capital_ids)]
    expected = tuple(zip(capitals["city"], capitals["country"], strict=True))
    assert derived.new_capitals(snap, focus) == expected
    assert derived.new_capitals(snap, focus)  # the small fixture has capitals in its latest round


def test_coverage_markdown_escapes_and_lists_every_round(snap):
    table = derived.coverage_markdown(snap)
    assert table.startswith("| Round | Found | Announced | Still missing |")
    assert len(table.splitlines()) == 2 + len(derived.roster_coverage(snap).table)


def test_city_choices_are_every_member_alphabetically(snap, small_atlas):
    ids = list(small_atlas.members["id"])
    published = derived.city_choices(snap)
    options = published.options
    assert sorted(o.value for o in options) == sorted(ids)
    cities = [o.label for o in options]
    assert cities[0] == "Amadora" and cities[-1] == "Tacoma"
    concepcion = cities.index("Concepción")  # accents ignored: among the C's
    assert cities[concepcion - 1] == "Caracas" and cities[concepcion + 1] == "Cork"
    assert set(published.groups) == set(small_atlas.members["iso2"])
    assert published.url.startswith("/app/static/data/cities-") and published.url.endswith(
        ".json")


def test_country_choices_offer_each_member_country_once(snap, small_atlas):
    codes = [o.value for o in derived.country_choices(snap).options]
    assert sorted(codes) == sorted(set(small_atlas.members["iso2"]))


def test_choices_come_from_the_data(snap, small_atlas):
    chosen = derived.choices(snap)
    assert chosen.rounds == small_atlas.round_keys
    assert chosen.ids == frozenset(small_atlas.roster["id"])  # unplaced ones too
    assert set(chosen.countries) == set(small_atlas.members["iso2"])
