"""CSV and GeoJSON exports: parse them back and find the same members, fields and text."""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import highlights
from dashboard.exports import (
    EXPORT_COLUMNS,
    FORMULA_STARTS,
    describe,
    file_stem,
    neutralise,
    restored,
    to_csv,
    to_geojson,
    with_country_rounds,
)
from tests.dashboard.scopes import scope

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def parse_csv(blob: bytes) -> list[dict]:
    assert blob.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need for UTF-8
    return list(csv.DictReader(io.StringIO(blob.decode("utf-8-sig"), newline="")))


def with_formulas(roster: pd.DataFrame) -> pd.DataFrame:
    """The roster with a formula in the city, country and note of its first rows."""
    hostile = roster.copy()
    for i, formula in enumerate(FORMULAS):
        for column in ("city", "country", "note"):
            hostile.loc[i, column] = formula
    return hostile


def expected_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


@pytest.mark.parametrize("which", ["small", "hostile"])
def test_csv_round_trip(which, small_atlas, hostile_atlas):
    roster = (small_atlas if which == "small" else hostile_atlas).roster
    roster = with_formulas(roster) if which == "small" else roster
    rows = parse_csv(to_csv(roster))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert [r["id"] for r in rows] == list(roster["id"])
    for row, member in zip(rows, roster.to_dict("records"), strict=True):
        for column in ("city", "country", "iso2", "region", "round", "status", "source_url",
                       "note", "place_method", "admitted"):
            # the README's rule: drop one leading apostrophe to get the value back
            assert restored(row[column]) == expected_text(member[column]), (member["id"], column)
        assert row["capital"] == ("true" if member["capital"] else "false")
        if math.isnan(member["lat"]):
            assert row["lat"] == row["lon"] == ""
        else:
            assert float(row["lat"]) == member["lat"] and float(row["lon"]) == member["lon"]
    # No text cell may start a formula; numbers (a negative longitude) are numbers.
    for row in rows:
        for column in EXPORT_COLUMNS:
            if column not in ("lat", "lon", "place_radius_km"):
                assert not row[column].startswith(FORMULA_STARTS), (row["id"], column)


def test_csv_keeps_unplaced_members(small_atlas):
    rows = parse_csv(to_csv(small_atlas.roster))
    unplaced = [r for r in rows if r["id"] == "ke-kuno-consortium"]
    assert len(rows) == len(small_atlas.roster) == len(small_atlas.members) + 1
    assert unplaced and unplaced[0]["lat"] == ""


@pytest.mark.parametrize("which", ["small", "hostile"])
def test_geojson_round_trip(which, small_atlas, hostile_atlas):
    roster = (small_atlas if which == "small" else hostile_atlas).roster
    collection = json.loads(to_geojson(roster).decode("utf-8"))
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    features = collection["features"]
    assert [f["id"] for f in features] == list(roster["id"])
    for feature, member in zip(features, roster.to_dict("records"), strict=True):
        assert feature["type"] == "Feature"
        props = feature["properties"]
        assert set(props) == set(EXPORT_COLUMNS) - {"lat", "lon"}
        for column in ("city", "country", "note", "source_url", "round", "status"):
            assert props[column] == member[column]  # JSON carries the text exactly
        if math.isnan(member["lat"]):
            assert feature["geometry"] is None
        else:
            assert feature["geometry"] == {"type": "Point",
                                           "coordinates": [member["lon"], member["lat"]]}
            lon, lat = feature["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_has_a_null_geometry_for_the_unplaced(small_atlas):
    features = json.loads(to_geojson(small_atlas.roster))["features"]
    assert [f["id"] for f in features if f["geometry"] is None] == ["ke-kuno-consortium"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_survives_both_exports(text):
    frame = pd.DataFrame([{"id": "x", "city": text, "country": text, "note": text,
                           "lat": 1.5, "lon": -2.5, "capital": False}])
    (row,) = parse_csv(to_csv(frame))
    assert row["city"] == neutralise(text.replace("\r\n", "\n")) or row["city"] == neutralise(text)
    assert not row["city"].startswith(FORMULA_STARTS)
    (feature,) = json.loads(to_geojson(frame))["features"]
    assert feature["properties"]["city"] == text


def test_file_names_say_what_they_hold():
    assert file_stem(scope()) == "gnlc-members"
    assert file_stem(scope(rounds=("2025",))) == "gnlc-members-round-2025"
    stem = file_stem(scope("2024", "2020", rounds=("2015-2018", "2019"), regions=("Arab States",),
                           countries=("EG",), search="Cairo/../x", new_capitals_only=True))
    assert stem == ("gnlc-members-round-2015-2018_2019-region-arab-states-country-eg-"
                    "search-cairo-x-new-capitals-2024-as-of-2020")
    assert "/" not in stem and " " not in stem


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("  =HYPERLINK(x)", "'  =HYPERLINK(x)"), ("\u00a0+1", "'\u00a0+1"),
    ("\n=1", "'\n=1"), ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"), ("'=1", "''=1"), ("'plain", "''plain"),
    ("Lisbon", "Lisbon"), ("O'Higgins", "O'Higgins"),
])
def test_neutralising_covers_blanks_and_fullwidth_signs(value, cell):
    assert neutralise(value) == cell


@given(st.text())
def test_neutralising_round_trips_unambiguously(text):
    cell = neutralise(text)
    assert restored(cell) == text
    assert cell.startswith("'") or not text.lstrip(" \u00a0\u3000\f\v").startswith(FORMULA_STARTS)


def test_both_exports_carry_a_lapse_and_its_sources(lapse_atlas):
    from tests.dashboard.conftest import LAPSE_SOURCES

    rows = list(csv.DictReader(io.StringIO(to_csv(lapse_atlas.roster).decode("utf-8-sig"))))
    [marked] = [r for r in rows if r["lapse"]]
    assert (marked["lapse"], marked["lapse_date"]) == ("possible", "2026-02-03")
    assert marked["lapse_sources"] == " ".join(LAPSE_SOURCES)
    assert all(r["lapse_sources"] == "" for r in rows if r is not marked)
    features = json.loads(to_geojson(lapse_atlas.roster))["features"]
    [props] = [f["properties"] for f in features if f["properties"]["lapse"]]
    assert props["lapse_sources"] == LAPSE_SOURCES and props["lapse_date"] == "2026-02-03"


def test_a_lapse_source_cannot_become_a_formula():
    frame = pd.DataFrame([{"id": "x", "city": "X", "capital": False, "lapse": "possible",
                           "lapse_sources": ("=HYPERLINK(\"http://evil\")",)}])
    [row] = list(csv.DictReader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert row["lapse_sources"].startswith("'=")


def test_each_row_says_when_its_country_was_new_and_whether_that_is_its_round(small_atlas):
    roster = small_atlas.roster
    first = highlights.first_rounds(small_atlas.members)
    rows = {r["id"]: r for r in parse_csv(to_csv(with_country_rounds(roster, first)))}
    # Lusaka is Zambia's first member (2025); Lisbon (2025) joins Amadora's Portugal (2015-2018).
    assert (rows["zm-lusaka"]["country_first_round"], rows["zm-lusaka"]["country_new_in_round"]
            ) == ("2025", "true")
    assert (rows["pt-lisbon"]["country_first_round"], rows["pt-lisbon"]["country_new_in_round"]
            ) == ("2015-2018", "false")
    # A member of unknown round is never its country's first, whatever its country.
    assert rows["zm-livingstone"]["country_new_in_round"] == "false"
    # The rows marked new are exactly the members of each round's first-time countries.
    marked = {i for i, r in rows.items() if r["country_new_in_round"] == "true"}
    expected = {m.id for m in roster.itertuples()
                if m.iso2 in highlights.first_time_countries(small_atlas.members, m.round)}
    assert marked == expected
    features = json.loads(to_geojson(with_country_rounds(roster, first)))["features"]
    lusaka = next(f for f in features if f["id"] == "zm-lusaka")["properties"]
    assert lusaka["country_new_in_round"] is True and lusaka["country_first_round"] == "2025"


def test_a_country_with_only_undated_members_has_no_first_round(small_atlas):
    lone = small_atlas.roster[small_atlas.roster["id"] == "zm-livingstone"]
    rows = parse_csv(to_csv(with_country_rounds(lone, {})))
    assert (rows[0]["country_first_round"], rows[0]["country_new_in_round"]) == ("", "")


def test_the_description_names_every_filter_and_nothing_when_unfiltered():
    label = {"2025": "2025", "2015-2018": "2015–2018 (rolling)"}.get
    name = {"KE": "Kenya", "PT": "Portugal"}.get
    assert describe(scope(), label, name) == ""
    text = describe(scope(as_of="2015-2018", rounds=("2025",), regions=("Africa",),
                          countries=("KE", "PT"), search=" lis ", new_capitals_only=True),
                    label, name)
    assert text == ("round 2025 · Africa · Kenya, Portugal · names with \u201clis\u201d · "
                    "capitals new in 2025 · as of 2015–2018 (rolling)")
