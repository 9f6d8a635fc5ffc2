"""The page itself, run headless with streamlit.testing's AppTest on the small fixture."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.map.jsdata import rows_of

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
STATIC = ROOT / "dashboard" / "static"


@pytest.fixture
def app(monkeypatch, small_path):
    monkeypatch.setenv("ATLAS_DATA", str(small_path))
    monkeypatch.delenv("ATLAS_OFFLINE_ASSETS", raising=False)
    return AppTest.from_file(APP, default_timeout=60)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def published(url: str):
    """A file the page published as a static file, read from where Streamlit serves it."""
    return json.loads((STATIC / url.split("?")[0].removeprefix("/app/static/")).read_text(
        "utf-8"))


def offered(rows: list, visible: str | None) -> list:
    """The rows a row set keeps; None keeps them all."""
    if visible is None:
        return rows
    return [rows[i] for i in rows_of(visible, len(rows))]


def picker_data(at, key: str) -> dict:
    """What a ranked picker (dashboard/picker.py) draws: its payload, with the options and
    groups of its published file that the payload's row set offers."""
    (component,) = [c for c in at.get("bidi_component") if c.key == key]
    data = json.loads(component.proto.json)
    file = published(data["optionsUrl"])
    return {**data, "options": offered(file["options"], data["visible"]),
            "groups": file["groups"]}


def map_table(at) -> dict:
    """The member table the page published for the map (the file at its dataUrl)."""
    (component,) = at.get("component_instance")
    script = json.loads(component.proto.json_args)["script"]
    return published(re.search(r'"dataUrl":"([^"]+)"', script).group(1))


def map_rows(at) -> list[list]:
    """The member rows the map shows: the table read through the visible row set of the state
    the rerun sends; a row's round is its key."""
    table = map_table(at)
    (component,) = at.get("component_instance")
    state = json.loads(re.search(r"L\.AtlasMembers\.update\(\w+, (\{.*\})\);",
                                 json.loads(component.proto.json_args)["feature_group"]
                                 ).group(1))
    return [[r[0], r[1], r[2], table["rounds"][r[3]][0], *r[4:]]
            for r in offered(table["rows"], state["visible"])]


def test_defaults_show_everyone(app):
    app.run()
    assert not app.exception
    assert metrics(app)["Members shown"] == "19"
    assert metrics(app)["Countries"] == "14"
    assert len(map_rows(app)) == 19
    assert app.caption[0].value.startswith("19 of 425 members mapped")
    assert not app.warning or all("link" not in w.value for w in app.warning)


def test_filters_change_counts_and_map(app):
    app.run()
    app.multiselect(key="w_rounds").set_value(["2025"]).run()
    assert metrics(app)["Members shown"] == "8"
    assert metrics(app)["Rounds shown"] == "1"
    assert {r[3] for r in map_rows(app)} == {"2025"}
    app.multiselect(key="w_regions").set_value(["Africa"]).run()
    assert metrics(app)["Members shown"] == "2"
    assert {r[0] for r in map_rows(app)} == {"bj-porto-novo", "zm-lusaka"}
    app.text_input(key="w_search").set_value("lusaka").run()
    assert metrics(app)["Members shown"] == "1"
    app.multiselect(key="w_rounds").set_value([]).run()
    app.multiselect(key="w_regions").set_value([]).run()
    app.text_input(key="w_search").set_value("").run()
    app.toggle(key="w_new_capitals").set_value(True).run()
    assert metrics(app)["Members shown"] == "6"


def test_url_round_trip(app, small_path):
    app.run()
    app.multiselect(key="w_rounds").set_value(["2024", "2025"]).run()
    app.session_state["w_countries"] = ["TR"]  # what the Country picker's callback stores
    app.run()
    app.selectbox(key="w_focus").set_value("2024").run()
    app.checkbox(key="w_mark_capitals").set_value(False).run()
    params = {key: app.query_params[key] for key in app.query_params}
    flat = {k: v[0] if isinstance(v, list) else v for k, v in params.items()}
    assert flat == {"round": "2024,2025", "country": "TR", "focus": "2024", "mark": "firsttime"}

    reopened = AppTest.from_file(APP, default_timeout=60)
    for key, value in flat.items():
        reopened.query_params[key] = value
    reopened.run()
    assert reopened.multiselect(key="w_rounds").value == ["2024", "2025"]
    assert reopened.session_state["w_countries"] == ["TR"]
    assert picker_data(reopened, "w_country_picker")["selected"] == ["TR"]
    assert reopened.selectbox(key="w_focus").value == "2024"
    assert reopened.checkbox(key="w_mark_capitals").value is False
    assert metrics(reopened)["Members shown"] == "2"
    assert not reopened.warning or all("link" not in w.value for w in reopened.warning)


def test_bad_query_values_fall_back_with_a_notice(app):
    app.query_params["round"] = "1999,<script>"
    app.query_params["focus"] = "nope"
    app.query_params["capitals"] = "banana"
    app.query_params["city"] = "x\"><img src=x>"
    app.run()
    assert not app.exception
    notices = " ".join(w.value for w in app.warning)
    assert "round" in notices and "focus" in notices and "capitals" in notices
    assert metrics(app)["Members shown"] == "19"
    assert app.selectbox(key="w_focus").value == "2025"


def test_details_panel_shows_the_selected_city(app):
    app.run()
    app.session_state["selected_id"] = "br-sobral"
    app.run()
    panel = " ".join(m.value for m in app.markdown)
    assert "Sobral" in panel and "Brazil" in panel
    assert "https://uil.unesco.org" in panel
    assert "-40.3500" in panel or "-40.35" in panel
    assert ":red-badge[Doubtful" in panel
    assert "nan" not in panel.split()  # absent fields are left out, not shown as NaN
    # The selection survives a filter change that keeps the city visible ...
    app.multiselect(key="w_rounds").set_value(["2024"]).run()
    assert "Sobral" in " ".join(m.value for m in app.markdown)
    # ... and the panel says so when the filters hide it.
    app.multiselect(key="w_rounds").set_value(["2025"]).run()
    assert any("hidden by the current filters" in i.value for i in app.info)


def test_selection_from_a_link(app):
    app.query_params["city"] = "pt-lisbon"
    app.run()
    panel = " ".join(m.value for m in app.markdown)
    assert "Lisbon" in panel and "Amadora" in panel  # the other member in Portugal


def test_headline_counts_follow_the_filters(app):
    app.run()
    before = metrics(app)
    assert before["New capitals, 2025"] == "6" and before["First-time countries, 2025"] == "5"
    app.multiselect(key="w_rounds").set_value(["2024"]).run()
    after = metrics(app)
    assert after["Members shown"] == "2"
    assert after["New capitals, 2025"] == "0" and after["First-time countries, 2025"] == "0"
    app.multiselect(key="w_rounds").set_value([]).run()
    app.multiselect(key="w_regions").set_value(["Africa"]).run()
    africa = metrics(app)
    assert africa["New capitals, 2025"] == "2" and africa["First-time countries, 2025"] == "2"
    # The list of capitals beside the map follows the filters too.
    capitals = next(m.value for m in app.markdown if "Capitals admitted" in m.value)
    assert "Lusaka" in capitals and "Lisbon" not in capitals


def test_an_empty_result_says_so_and_clear_filters_restores_everyone(app):
    app.run()
    assert not app.get("button") or all(b.label != "Clear filters" for b in app.button)
    app.multiselect(key="w_rounds").set_value(["2019"]).run()
    app.text_input(key="w_search").set_value("no such place").run()
    app.toggle(key="w_new_capitals").set_value(True).run()
    assert metrics(app)["Members shown"] == "0"
    notice = next(w.value for w in app.warning if "No member matches" in w.value)
    assert "round 2019" in notice and "no such place" in notice and "new capitals" in notice
    assert map_rows(app) == []
    app.selectbox(key="w_focus").set_value("2024").run()  # not a filter: Clear keeps it
    app.button(key="clear_filters").click().run()
    assert metrics(app)["Members shown"] == "19"
    assert len(map_rows(app)) == 19
    assert app.multiselect(key="w_rounds").value == []
    assert app.text_input(key="w_search").value == ""
    assert app.toggle(key="w_new_capitals").value is False
    assert app.selectbox(key="w_focus").value == "2024"
    assert not any("No member matches" in w.value for w in app.warning)
    assert "q" not in app.query_params and "round" not in app.query_params


def test_pickers_get_their_options_and_choices(app):
    app.run()
    countries = picker_data(app, "w_country_picker")
    value, label, _, other_names = next(o for o in countries["options"] if o[0] == "TR")
    assert label == "Türkiye" and "Turkey" in other_names
    assert countries["multiple"] and countries["selected"] == []
    cities = picker_data(app, "w_city_picker")
    assert len(cities["options"]) == int(metrics(app)["Members shown"])
    assert "USA" in cities["groups"]["US"]
    # A country chosen keeps the link short: its code, not its name.
    app.session_state["w_countries"] = ["TR"]
    app.run()
    assert app.query_params["country"] in ("TR", ["TR"])
    assert metrics(app)["Members shown"] == "2"
    assert {group for _, _, group in picker_data(app, "w_city_picker")["options"]} == {"TR"}


def test_the_picker_shows_the_linked_city_and_lets_go_when_it_is_filtered_out(app):
    app.query_params["city"] = "pt-lisbon"
    app.run()
    assert picker_data(app, "w_city_picker")["selected"] == ["pt-lisbon"]
    app.multiselect(key="w_rounds").set_value(["2019"]).run()
    assert not app.exception
    assert picker_data(app, "w_city_picker")["selected"] == []
    assert any("hidden by the current filters" in i.value for i in app.info)


def parenthesis_depth(text: str) -> int:
    """How deep parentheses nest in the text: "a (b (c))" is 2."""
    now = most = 0
    for char in text:
        now += (char == "(") - (char == ")")
        most = max(most, now)
    return most


def test_lists_of_cities_never_nest_parentheses(monkeypatch):
    """Country names ("Venezuela (Bolivarian Republic of)") and round labels ("2015–2018
    (rolling)") hold parentheses: the capitals list and a city's neighbours must not wrap them
    in more."""
    monkeypatch.setenv("ATLAS_DATA", str(ROOT / "geodata" / "members.geojson"))
    monkeypatch.delenv("ATLAS_OFFLINE_ASSETS", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["city"] = "kr-gwangmyeong"  # Korea's members span the rounds
    at.run()
    texts = [m.value for m in at.markdown]
    capitals = next(t for t in texts if "Capitals admitted" in t)
    others = next(t for t in texts if "Other members in" in t)
    assert "Caracas, Venezuela (Bolivarian Republic of)" in capitals.replace("\\", "")
    assert others.count("\u00b7") >= 2  # city · round, for several neighbours
    assert [t for t in texts if parenthesis_depth(t) > 1] == []
