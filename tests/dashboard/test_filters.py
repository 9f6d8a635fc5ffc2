"""Sidebar filters narrowing the members table."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.filters import apply_filters, counts, described, fold, searchable
from dashboard.highlights import compute
from dashboard.state.model import AtlasState, Display, Filters, Route, Selection
from tests.dashboard.scopes import scope


def shown(atlas, focus_round="", as_of="", **filters):
    chosen = scope(focus_round or atlas.latest_round, as_of, **filters)
    marks = compute(atlas.members, chosen.focus)
    return set(apply_filters(atlas.members, chosen, marks, atlas.round_keys)["id"])


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


def test_search_knows_other_names_of_countries(small_atlas):
    assert shown(small_atlas, search="Turkey") == {"tr-bursa", "tr-ankara"}
    assert shown(small_atlas, search="south korea") == {"kr-suwon", "kr-seo-gu-gwangju"}
    assert shown(small_atlas, search="USA") == {"us-tacoma"}  # not Lusaka: words start it
    assert shown(small_atlas, search="concepcion chile") == set()  # one name at a time
    assert shown(small_atlas, search="Concepcion") == {"cl-concepcion"}


def test_counts_follow_the_filters(small_atlas):
    marks = compute(small_atlas.members, "2025")

    def count(**changes):
        return counts(apply_filters(small_atlas.members, scope(**changes), marks), marks)

    everyone = count()
    assert (everyone.members, everyone.countries, everyone.rounds) == (19, 14, 7)
    assert everyone.new_capitals == len(marks.new_capital_ids) == 6
    assert everyone.first_time_countries == len(marks.first_time_iso2) == 5
    # Another round: none of the 2025 capitals or first-time countries is shown.
    assert count(rounds=("2024",)) == type(everyone)(2, 2, 1, 0, 0)
    africa = count(regions=("Africa",))
    assert (africa.members, africa.new_capitals, africa.first_time_countries) == (3, 2, 2)
    assert count(search="no such place") == type(everyone)(0, 0, 0, 0, 0)


def test_only_filters_and_the_as_of_round_count_as_filtering():
    assert not AtlasState().filtered
    assert not AtlasState(display=Display("2019", mark_capitals=False), route=Route("table"),
                          selection=Selection("pt-lisbon")).filtered
    assert AtlasState(filters=Filters(search="x")).filtered
    assert AtlasState(filters=Filters(first_time_only=True)).filtered
    assert AtlasState(route=Route(as_of="2019")).filtered


def test_the_view_and_the_chosen_city_are_not_in_the_scope():
    """Caches are keyed by the scope: clicking a city or switching views must not miss them."""
    base = AtlasState(filters=Filters(rounds=("2019",)), display=Display("2019"))
    moved = AtlasState(filters=base.filters, display=Display("2019", mark_capitals=False),
                       route=Route("table"), selection=Selection("pt-lisbon"))
    assert moved.scope == base.scope and hash(moved.scope) == hash(base.scope)
    assert AtlasState(route=Route(as_of="2019")).scope != AtlasState().scope


def test_described_names_each_active_filter():
    chosen = scope("2019", rounds=("2015-2018", "2025"), countries=("TR",), search=" zzz ",
                   first_time_only=True)
    words = described(chosen, lambda key: f"<{key}>", {"TR": "Türkiye"}.get)
    assert words == ("round <2015-2018>, <2025>", "Türkiye", "name “zzz”",
                     "only first-time countries")
    assert described(scope(), str, str) == ()
    assert described(scope(as_of="2019"), str, str) == ("the network as of 2019",)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="aeiounrstlkc üéç-'", max_size=6))
def test_a_kept_search_text_filters_as_the_one_made_on_the_spot(small_atlas, typed):
    members = small_atlas.members
    state = scope(search=typed)
    marks = compute(members, "2025")
    kept = apply_filters(members, state, marks, search_text=searchable(members))
    assert list(kept["id"]) == list(apply_filters(members, state, marks)["id"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=8), st.text(min_size=1, max_size=4))
def test_a_word_start_match_agrees_with_pythons_look_behind(texts, typed):
    # Arrow's RE2 column match and Python's (?<!\w) row by row: the same rows, for any text.
    import re

    import pandas as pd

    from dashboard.filters import starts_a_word

    folded = pd.Series([fold(t) for t in texts], dtype="str")
    needle = fold(typed)
    expected = [re.search(r"(?<!\w)" + re.escape(needle), t) is not None for t in folded]
    assert list(starts_a_word(folded, needle)) == expected
