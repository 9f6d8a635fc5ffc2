"""The member table (once per data version) and the state a rerun sends the map."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.filters import apply_filters
from dashboard.highlights import compute
from dashboard.map import members as map_members
from dashboard.map.jsdata import rows_of
from dashboard.map.members import AREA, DOUBTFUL, map_state, member_table
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


def test_the_table_lists_every_placed_member_once_by_round(small_atlas):
    table = table_of(small_atlas)
    rows = json.loads(table.text)["rows"]
    assert sorted(r[0] for r in rows) == sorted(small_atlas.members["id"])
    assert [r[3] for r in rows] == sorted(r[3] for r in rows)  # rounds in the data's order
    members = small_atlas.members  # within a round, the data's order
    in_2025 = list(members[members["round"] == "2025"]["id"])
    assert [r[0] for r in rows if r[3] == table.rounds["2025"]] == in_2025
    assert table.size == len(rows) == 19
    data = json.loads(table.text)
    lisbon = rows[table.positions["pt-lisbon"]]
    assert data["countries"][lisbon[2]] == ["PT", "Portugal"]
    assert data["rounds"][lisbon[3]][0] == "2025"


def test_the_state_shows_the_filtered_rows_only(small_atlas):
    table = table_of(small_atlas)
    everyone = state_of(small_atlas)
    assert rows_of(everyone["visible"], table.size) == list(range(19))
    only_2025 = state_of(small_atlas, Filters(rounds=("2025",)))
    shown = rows_of(only_2025["visible"], table.size)
    rows = json.loads(table.text)["rows"]
    assert len(shown) == 8
    assert {rows[i][3] for i in shown} == {table.rounds["2025"]}


def test_new_capitals_and_first_time_countries_are_marked_by_the_state(small_atlas):
    table = table_of(small_atlas)
    state = state_of(small_atlas)
    rows = json.loads(table.text)["rows"]
    # The state names the new capitals by row (atlas-members.js _flagsOf reads them).
    marked = {rows[i][0] for i in rows_of(state["capitals"], table.size)}
    assert marked == {"eg-cairo", "pt-lisbon", "tr-ankara", "bj-porto-novo", "zm-lusaka",
                      "ve-caracas"}
    assert marked == compute(small_atlas.members, "2025").new_capital_ids
    earlier = state_of(small_atlas, display=Display("2019"))
    assert ({rows[i][0] for i in rows_of(earlier["capitals"], table.size)}
            == compute(small_atlas.members, "2019").new_capital_ids)
    country_codes = {i: code for code, i in table.countries.items()}
    assert {country_codes[i] for i in state["first"]} == {"BJ", "CL", "US", "ZM", "VE"}
    assert state["shade"] == ["BJ", "CL", "US", "VE", "ZM"]
    assert state["focus"] == table.rounds["2025"]


def test_marks_switched_off_mark_nothing(small_atlas):
    state = state_of(small_atlas, display=Display("2025", mark_capitals=False,
                                                  mark_first_time=False))
    assert state["capitals"] == "" and state["first"] == [] and state["shade"] == []


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


def test_a_rerun_state_grows_by_at_most_a_bit_a_member_not_by_the_roster(small_atlas):
    # 19 members: the visible set takes at most 3 bytes (a "b" and 4 base64 letters).
    assert len(state_of(small_atlas)["visible"]) <= 5
    assert len(json.dumps(state_of(small_atlas))) < 400


def test_a_round_filter_on_a_large_table_sends_a_few_run_lengths(small_atlas):
    # 19,000 rows, a thousand copies of each member: one round is one stretch of the table.
    members = pd.concat([small_atlas.members.assign(id=small_atlas.members["id"] + f"-{i}")
                         for i in range(1000)], ignore_index=True)
    labels = tuple((key, small_atlas.round_label(key)) for key in small_atlas.round_keys)
    table = member_table(members, labels)
    marks = compute(members, "2025")
    shown = apply_filters(members, Scope(Filters(rounds=("2025",)), "", "2025"), marks)
    state = map_state(table, shown, marks, True, True, "2025")
    assert state["visible"].startswith("r") and len(state["visible"]) < 20
    assert len(rows_of(state["visible"], table.size)) == len(shown) == 8000


def test_a_new_round_in_the_data_gets_its_own_colour(small_atlas):
    members = small_atlas.members.copy()
    members.loc[members.index[0], "round"] = "2026"
    labels = tuple((key, key) for key in (*small_atlas.round_keys, "2026"))
    data = json.loads(map_members.member_table(members, labels).text)
    colours = {key: colour for key, _, colour in data["rounds"]}
    assert colours["2026"] not in {c for k, c in colours.items() if k != "2026"}
    moved = members["id"].iloc[0]
    (row,) = [r for r in data["rows"] if r[0] == moved]
    assert data["rounds"][row[3]][0] == "2026" and data["rows"][-1] == row  # the last round
