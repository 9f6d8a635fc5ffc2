"""Newly admitted capitals and first-time countries, computed from the roster."""

from __future__ import annotations

from dashboard.highlights import compute


def test_2025_focus_gives_exactly_the_capitals_and_first_time_countries_of_the_fixture(
        small_atlas):
    marks = compute(small_atlas.members, "2025")
    assert marks.new_capital_ids == {
        "eg-cairo", "pt-lisbon", "tr-ankara", "bj-porto-novo", "zm-lusaka", "ve-caracas"}
    # Egypt, Portugal and Türkiye had earlier members; Zambia's unknown-round row does not count.
    assert marks.first_time_iso2 == {"BJ", "CL", "US", "ZM", "VE"}


def test_withdrawn_rows_do_not_make_a_country_older(small_atlas):
    # Laayoune (2020, withdrawn) aside, Morocco's first member is Benguerir (2022).
    assert "MA" in compute(small_atlas.members, "2022").first_time_iso2


def test_earlier_focus_rounds(small_atlas):
    assert compute(small_atlas.members, "2019").first_time_iso2 == {"NL"}
    assert compute(small_atlas.members, "2024").first_time_iso2 == {"BR", "TR"}
    assert compute(small_atlas.members, "2015-2018").new_capital_ids == {"cn-beijing"}


def test_unknown_focus_highlights_nothing(small_atlas):
    marks = compute(small_atlas.members, "unknown")
    assert marks.first_time_iso2 == frozenset() and marks.new_capital_ids == frozenset()


def test_announced_first_time_countries_are_checked_against_the_roster(small_atlas):
    from dashboard.highlights import check_first_time

    # Portugal (Lisbon is 2025, but the roster has an earlier Portuguese member), Niger (no
    # 2025 member at all) and three that agree; Venezuela is computed but not announced here.
    check = check_first_time(small_atlas.members, "2025", ["BJ", "CL", "US", "PT", "NE"])
    assert check.agreed == {"BJ", "CL", "US"}
    assert set(check.earlier_member) == {"PT"}
    assert check.no_member_found == {"NE"}
    assert check.not_announced == {"ZM", "VE"}


def test_without_an_announced_list_nothing_is_reported_as_unannounced(small_atlas):
    from dashboard.highlights import check_first_time

    check = check_first_time(small_atlas.members, "2025", [])
    assert check.not_announced == frozenset() and check.agreed == frozenset()
