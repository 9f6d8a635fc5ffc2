"""The views beyond the map, run headless with AppTest on the small fixture."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.test_app import APP, map_rows, metrics

FIXTURE_ROUNDS = ["2015-2018", "2019", "2020", "2022", "2024", "2025"]


@pytest.fixture
def app(monkeypatch, small_path):
    monkeypatch.setenv("ATLAS_DATA", str(small_path))
    monkeypatch.delenv("ATLAS_OFFLINE_ASSETS", raising=False)
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture(scope="session")
def fixture_rows(small_path: Path):
    """The fixture's features, read straight from the file (not through the app's loader)."""
    features = json.loads(small_path.read_text(encoding="utf-8"))["features"]
    return [{**f["properties"], "placed": f["geometry"] is not None} for f in features
            if f["properties"]["status"] != "withdrawn"]


def param(app, key: str) -> str:
    """A query parameter's value (AppTest gives a list after a rerun, a string before)."""
    value = app.query_params[key]
    return value[0] if isinstance(value, list) else value


def opened(app, **params):
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception
    return app


def test_table_view_lists_every_member_placed_or_not(app, fixture_rows):
    opened(app, view="table")
    (table,) = app.dataframe
    assert sorted(table.value["id"]) == sorted(r["id"] for r in fixture_rows)
    assert len(table.value) == 20  # 19 placed + Kuno, not placed
    count = next(m.value for m in app.markdown if m.value.startswith("**"))
    assert count.startswith("**20 members** · 19 on the map, 1 not placed")
    assert param(app, "view") == "table"
    # The filters apply here too, and the URL keeps them.
    app.multiselect(key="w_rounds").set_value(["2025"]).run()
    (table,) = app.dataframe
    assert sorted(table.value["id"]) == sorted(r["id"] for r in fixture_rows
                                               if r["round"] == "2025")
    assert param(app, "round") == "2025" and param(app, "view") == "table"


def test_table_row_selection_selects_the_city(app):
    opened(app, view="table")
    app.session_state["selected_id"] = "pt-lisbon"
    app.run()
    panel = " ".join(m.value for m in app.markdown)
    assert "Lisbon" in panel and "Amadora" in panel
    assert param(app, "city") == "pt-lisbon"
    app.session_state["selected_id"] = "ke-kuno-consortium"  # in the table, not on the map
    app.run()
    assert any("Kuno Consortium" in i.value and "not placed" in i.value for i in app.info)


def test_growth_view_shows_charts_and_their_data(app, fixture_rows):
    opened(app, view="growth")
    charts = app.get("vega_lite_chart")
    assert len(charts) == 4
    assert all(len(c.proto.alt) > 40 for c in charts)  # each chart's accessible name
    headings = [h.value for h in app.subheader]
    assert headings == ["Members admitted per round", "Network size after each round",
                        "Countries reached after each round",
                        "New countries and capitals per round"]
    tables = app.table
    assert len(tables) == 4
    size = tables[1].value  # members so far, against the announced network size
    expected, so_far = [], 0
    for key in FIXTURE_ROUNDS:
        so_far += sum(1 for r in fixture_rows if r["round"] == key)
        expected.append(str(so_far))
    assert list(size["Members so far"]) == expected
    assert list(size["Announced network size"])[1:] == ["174", "229", "294", "356", "425"]


def test_as_of_2020_shows_the_network_then(app, fixture_rows):
    opened(app, as_of="2020")
    through = FIXTURE_ROUNDS[:3]
    placed = {r["id"] for r in fixture_rows if r["placed"] and r["round"] in through}
    assert metrics(app)["Members shown"] == str(len(placed)) == "7"
    assert {r[0] for r in map_rows(app)} == placed
    undated = sum(1 for r in fixture_rows if r["round"] == "unknown")
    assert any(f"{undated} member of unknown round is left out" in i.value for i in app.info)
    assert app.selectbox(key="w_as_of").value == "2020"
    # The table follows: every member admitted by 2020, placed or not.
    app.segmented_control(key="w_view").set_value("table").run()
    (table,) = app.dataframe
    assert sorted(table.value["id"]) == sorted(r["id"] for r in fixture_rows
                                               if r["round"] in through)
    assert param(app, "as_of") == "2020" and param(app, "view") == "table"


@pytest.mark.parametrize("as_of", FIXTURE_ROUNDS)
def test_as_of_each_round_counts(app, fixture_rows, as_of):
    opened(app, as_of=as_of)
    through = FIXTURE_ROUNDS[: FIXTURE_ROUNDS.index(as_of) + 1]
    expected = sum(1 for r in fixture_rows if r["placed"] and r["round"] in through)
    assert metrics(app)["Members shown"] == str(expected)


def test_bad_view_and_as_of_fall_back_with_a_notice(app):
    opened(app, view="<b>chart</b>", as_of="1999")
    # notices are escaped Markdown: read them without the escapes, as they render
    notices = " ".join(w.value for w in app.warning).replace("\\", "")
    assert "view" in notices and "as_of" in notices and "<b>" not in notices
    assert metrics(app)["Members shown"] == "19"
    assert app.segmented_control(key="w_view").value == "map"
    assert len(map_rows(app)) == 19
    assert "view" not in app.query_params and "as_of" not in app.query_params


def test_countries_and_about_views(app):
    opened(app, view="countries")
    (component,) = app.get("component_instance")
    script = json.loads(component.proto.json_args)["script"]
    options = json.loads(re.search(r"L\.AtlasCountries\.addTo\(\w+, (\{.*\})\);",
                                   script).group(1))
    assert [r[0] for r in options["rounds"]] and options["shapes"]["features"]
    assert {j[0] for j in options["joined"]} == {f["properties"]["iso2"]
                                                 for f in options["shapes"]["features"]}
    about = opened(AppTest.from_file(APP, default_timeout=60), view="about")
    text = " ".join(m.value for m in about.markdown)
    for words in ("CC BY 4.0", "ODbL", "public domain", "open an issue", "Still missing"):
        assert words in text
    assert ".csv" not in text and "seeds/" not in text and "_" not in text.replace("\\_", "")


def test_every_view_offers_the_downloads(app):
    for view in ("map", "countries", "table", "growth", "about"):
        page = opened(AppTest.from_file(APP, default_timeout=60), view=view)
        labels = [b.proto.label for b in page.get("download_button")]
        assert labels == ["Download CSV", "Download GeoJSON", "Download map (HTML)"], view


def test_as_of_a_round_its_newcomers_stand_out_not_a_later_rounds(app):
    # Before: as of 2020 the page still spoke of 2025 ("New capitals, 2025: 0", the 2025
    # list of first-time countries) though no 2025 member is shown.
    opened(app, as_of="2020")
    labels = [m.label for m in app.metric]
    assert "New capitals, 2020" in labels and "First-time countries, 2020" in labels
    assert not any("2025" in label for label in labels)
    assert app.selectbox(key="w_focus").value == "2020"
    headings = [h.value for h in app.subheader]
    assert "Countries new to the network in 2020" in headings
    assert param(app, "focus") == "2020"
    # An earlier focus stays: as of 2022, the 2019 newcomers may still be asked for.
    earlier = opened(AppTest.from_file(APP, default_timeout=60), as_of="2022", focus="2019")
    assert earlier.selectbox(key="w_focus").value == "2019"


def test_choosing_an_as_of_round_makes_it_the_focus_and_today_the_latest(app):
    opened(app)
    assert app.selectbox(key="w_focus").value == "2025"
    app.selectbox(key="w_as_of").set_value("2019").run()
    assert app.selectbox(key="w_focus").value == "2019"
    assert "New capitals, 2019" in [m.label for m in app.metric]
    app.selectbox(key="w_as_of").set_value("").run()
    assert app.selectbox(key="w_focus").value == "2025"


def explained(app) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Computed from the roster"))


@pytest.mark.parametrize(("country", "listed", "count"), [
    ("ZM", "Zambia", "1"),  # first-time in 2025
    ("PT", "None among the members shown.", "0"),  # a member since earlier rounds
])
def test_the_first_time_list_names_what_the_headline_counts(app, country, listed, count):
    # Before: the list named all five 2025 first-time countries whatever the filters.
    opened(app, country=country)
    assert metrics(app)["First-time countries, 2025"] == count
    assert listed in [m.value for m in app.markdown]
    assert f"The filters show {count} of the 5 in the whole network." in explained(app)


def test_unfiltered_the_first_time_list_is_the_whole_networks(app):
    opened(app)
    (listed,) = [m.value for m in app.markdown if " · " in m.value]
    assert len(listed.split(" · ")) == int(metrics(app)["First-time countries, 2025"]) == 5
    assert "The filters show" not in explained(app)
