"""The member table (once per data version) and the state a rerun sends the map."""

from __future__ import annotations

import base64
import json

from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import apply_filters
from dashboard.highlights import compute
from dashboard.map import members as map_members
from dashboard.map.members import AREA, DOUBTFUL, bitmap, map_state, member_table
from dashboard.state.model import Display, Filters, Scope


def table_of(atlas):
    labels = tuple((key, atlas.round_label(key)) for key in atlas.round_keys)
    return member_table(atlas.members, labels)


def state_of(atlas, filters=None, display=None):
    display = display or Display(atlas.latest_round)
    marks = compute(atlas.members, display.focus_round)
    shown = apply_filters(atlas.members, Scope(filters or Filters(), "", display.focus_round),
                          marks)
    return map_state(table_of(atlas), shown, marks, display.mark_capitals,
                     display.mark_first_time, atlas.round_label(marks.focus_round))


def decoded(text: str, size: int) -> list[int]:
    raw = base64.b64decode(text)
    return [i for i in range(size) if raw[i >> 3] >> (i & 7) & 1]


def test_the_table_lists_every_placed_member_once_in_the_data_order(small_atlas):
    table = table_of(small_atlas)
    rows = json.loads(table.text)["rows"]
    assert [r[0] for r in rows] == list(small_atlas.members["id"])
    assert table.size == len(rows) == 19
    data = json.loads(table.text)
    lisbon = rows[table.positions["pt-lisbon"]]
    assert data["countries"][lisbon[2]] == ["PT", "Portugal"]
    assert data["rounds"][lisbon[3]][0] == "2025"


def test_the_state_shows_the_filtered_rows_only(small_atlas):
    table = table_of(small_atlas)
    everyone = state_of(small_atlas)
    assert decoded(everyone["visible"], table.size) == list(range(19))
    only_2025 = state_of(small_atlas, Filters(rounds=("2025",)))
    shown = decoded(only_2025["visible"], table.size)
    rows = json.loads(table.text)["rows"]
    assert len(shown) == 8
    assert {rows[i][3] for i in shown} == {table.rounds["2025"]}


def test_new_capitals_and_first_time_countries_are_marked_by_the_state(small_atlas):
    table = table_of(small_atlas)
    state = state_of(small_atlas)
    by_position = {i: key for key, i in table.positions.items()}
    assert {by_position[i] for i in state["capitals"]} == {
        "eg-cairo", "pt-lisbon", "tr-ankara", "bj-porto-novo", "zm-lusaka", "ve-caracas"}
    country_codes = {i: code for code, i in table.countries.items()}
    assert {country_codes[i] for i in state["first"]} == {"BJ", "CL", "US", "ZM", "VE"}
    assert state["shade"] == ["BJ", "CL", "US", "VE", "ZM"]
    assert state["focus"] == table.rounds["2025"]


def test_marks_switched_off_mark_nothing(small_atlas):
    state = state_of(small_atlas, display=Display("2025", mark_capitals=False,
                                                  mark_first_time=False))
    assert state["capitals"] == [] and state["first"] == [] and state["shade"] == []


def test_doubt_and_area_are_flags_of_the_table(area_atlas):
    table = table_of(area_atlas)
    rows = {r[0]: r for r in json.loads(table.text)["rows"]}
    assert rows["zm-test-area"][6] & AREA and rows["zm-test-area"][7] == 40.0
    assert all(r[7] == 0 and not r[6] & AREA for key, r in rows.items() if key != "zm-test-area")
    doubtful = set(area_atlas.members.loc[area_atlas.members["status"] == "doubtful", "id"])
    assert {key for key, r in rows.items() if r[6] & DOUBTFUL} == doubtful


def test_hostile_fields_reach_the_table_as_inert_json(hostile_atlas):
    text = table_of(hostile_atlas).text
    for raw in ("<script>alert", "<img", "</script><script>", "<b>", "{{", "{%"):
        assert raw not in text
    cities = {r[1] for r in json.loads(text)["rows"]}
    assert "<script>alert('city')</script>" in cities
    assert "Javascript Link {{ 7*7 }} {% if 1 %}jinja{% endif %}" in cities


def test_a_rerun_state_grows_by_a_bit_a_member_not_by_the_roster(small_atlas):
    # 19 members: the visible set takes 3 bytes (4 base64 letters), whatever the names.
    assert len(state_of(small_atlas)["visible"]) == 4
    assert len(json.dumps(state_of(small_atlas))) < 400


@given(st.integers(1, 3000).flatmap(
    lambda size: st.tuples(st.just(size), st.sets(st.integers(0, size - 1)))))
def test_bitmap_holds_exactly_the_rows_given(case):
    size, rows = case
    assert decoded(bitmap(rows, size), size) == sorted(rows)
    assert len(base64.b64decode(bitmap(rows, size))) == (size + 7) // 8


def test_a_new_round_in_the_data_gets_its_own_colour(small_atlas):
    members = small_atlas.members.copy()
    members.loc[members.index[0], "round"] = "2026"
    labels = tuple((key, key) for key in (*small_atlas.round_keys, "2026"))
    data = json.loads(map_members.member_table(members, labels).text)
    colours = {key: colour for key, _, colour in data["rounds"]}
    assert colours["2026"] not in {c for k, c in colours.items() if k != "2026"}
    assert data["rounds"][data["rows"][0][3]][0] == "2026"
