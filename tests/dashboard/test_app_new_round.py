"""A new admission round needs no code change: build, check, report and the page (AppTest)."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.details import md_escape
from tests.dashboard.new_round import LABEL, MEMBER_ID, build_new_round
from tests.dashboard.test_app import APP, map_rows, map_table, metrics


@pytest.fixture(scope="module")
def new_round(tmp_path_factory):
    return build_new_round(tmp_path_factory.mktemp("new-round"))


def test_build_check_and_report_take_the_new_round(new_round):
    path, runs = new_round
    assert runs["build"][0] == 0, runs["build"][2]
    assert runs["check"][0] == 0, runs["check"][2]
    assert runs["report"][0] == 0
    assert f"== {LABEL} (2026) ==" in runs["report"][1]
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert [r["round"] for r in meta["rounds"]][-2:] == ["2026", "unknown"]
    reykjavik = next(f for f in json.loads(path.read_text(encoding="utf-8"))["features"]
                     if f["id"] == MEMBER_ID)
    assert reykjavik["geometry"]["type"] == "Point"
    assert reykjavik["properties"]["check_capital"] == "agrees"


def test_page_shows_the_new_round_everywhere(new_round, monkeypatch):
    path, _ = new_round
    monkeypatch.setenv("ATLAS_DATA", str(path))
    monkeypatch.delenv("ATLAS_OFFLINE_ASSETS", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    # the filter, and the focus round (the latest by date, so the default)
    assert LABEL in at.multiselect(key="w_rounds").options
    assert at.selectbox(key="w_focus").value == "2026"
    # highlights: the new capital and first-time country
    # metric labels are Markdown: the round's label goes in escaped (it is text by contract)
    assert metrics(at)[f"New capitals, {md_escape(LABEL)}"] == "1"
    assert metrics(at)[f"First-time countries, {md_escape(LABEL)}"] == "1"
    assert any("Iceland" in m.value for m in at.markdown)
    # the map's legend and its member row
    legend = map_table(at)["rounds"]
    assert ["2026", LABEL] in [pair[:2] for pair in legend]
    assert [row for row in map_rows(at) if row[0] == MEMBER_ID][0][3] == "2026"
    # the coverage table: found 1 of 1 announced
    table = " ".join(m.value for m in at.markdown)
    assert re.search(r"\| 2026 \(test round\) \| 1 \| 1 \| 0 \|", table.replace("\\", ""))
    # its member can be chosen and shows its details
    at.multiselect(key="w_rounds").set_value(["2026"]).run()
    assert metrics(at)["Members shown"] == "1"
    at.session_state["selected_id"] = MEMBER_ID
    at.run()
    panel = " ".join(m.value for m in at.markdown)
    assert "Reykjavik" in panel and "Iceland" in panel
