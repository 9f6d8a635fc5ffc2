"""The data contract in Chromium: a new round on every part of the page, and the error page.

A 2026 round added to a copy of seeds/ and built (tests/dashboard/new_round.py) is served by
``streamlit run``; a broken data file gets the error page, with no traceback or path.
"""

from __future__ import annotations

import json

import pytest

from dashboard.devtools.serving import StreamlitServer
from tests.dashboard.browser_support import (
    ARTIFACTS,
    MAP_FRAME,
    details_text,
    serve,
    wait_for_count,
    wait_for_drawn,
    wait_for_page_idle,
)
from tests.dashboard.new_round import LABEL, build_new_round

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def new_round_server(browser, tmp_path_factory):
    path, runs = build_new_round(tmp_path_factory.mktemp("browser-new-round"))
    assert runs["build"][0] == 0, runs["build"][2]
    collection = json.loads(path.read_text(encoding="utf-8"))
    on_map = sum(1 for f in collection["features"]
                 if f["geometry"] and f["properties"]["status"] != "withdrawn")
    for running in serve(path, "new-round"):
        running.on_map = on_map
        yield running


@pytest.fixture(scope="module")
def broken_server(browser, tmp_path_factory):
    path = tmp_path_factory.mktemp("browser-broken") / "members.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    for running in serve(path, "broken"):
        running.path = path
        yield running


def test_new_round_in_filter_legend_and_coverage_and_its_member_clicks(page, new_round_server):
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(new_round_server.url)
    on_map = new_round_server.on_map  # seeds/' placed members and Reykjavik
    assert wait_for_drawn(page, on_map, timeout=40) == on_map  # markers and cluster counts
    # the legend on the map
    legend = page.frame_locator(MAP_FRAME).locator(".atlas-legend")
    assert LABEL in legend.inner_text()
    # the coverage table
    coverage = page.locator("table").filter(has_text="Still missing")
    assert "2026 (test round)" in coverage.inner_text()
    # the filter: choose the round, one marker remains
    page.locator(".st-key-w_rounds").click()
    page.get_by_role("option", name=LABEL).click()
    page.keyboard.press("Escape")
    member = page.frame_locator(MAP_FRAME).locator(".atlas-member")
    assert wait_for_count(member, 1) == 1
    page.wait_for_url("**round=2026*", timeout=15_000)
    wait_for_page_idle(page)
    page.screenshot(path=str(ARTIFACTS / "contract-new-round.png"), full_page=True)
    # and it can be clicked
    member.first.click(force=True)
    page.locator(".st-key-details_panel").get_by_text("Reykjavik").first.wait_for(
        timeout=15_000)
    text = details_text(page)
    assert "Iceland" in text and LABEL in text
    page.wait_for_url("**city=is-reykjavik**", timeout=10_000)


def test_broken_file_gets_the_error_page_without_a_traceback(page, broken_server):
    page.goto(broken_server.url)
    page.get_by_text("The map cannot be shown.").wait_for(timeout=30_000)
    page.get_by_text("What to do:").wait_for(timeout=15_000)  # the page's last element
    body = page.locator("body").inner_text()
    assert "the text ends early (truncated?)" in body
    assert "python -m geodata build" in body
    assert "Traceback" not in body and str(broken_server.path.parent) not in body
    assert page.locator(MAP_FRAME).count() == 0
    page.screenshot(path=str(ARTIFACTS / "contract-error-page.png"), full_page=True)


def test_an_unforeseen_exception_shows_visitors_no_stack(page, tmp_path):
    """With the repository's .streamlit/config.toml (showErrorDetails = "none"), a crash in
    a page shows a generic message in the browser; the traceback goes to the server log."""
    script = tmp_path / "crashing_page.py"
    script.write_text('import streamlit as st\nst.title("Before the crash")\n'
                      'raise RuntimeError("secret detail at /srv/atlas/private")\n')
    with StreamlitServer(script, log=ARTIFACTS / "streamlit-crash.log") as server:
        page.goto(server.url, timeout=60_000)
        page.get_by_text("Before the crash").wait_for(timeout=60_000)
        page.locator("[data-testid='stException'], [data-testid='stAlert']").first.wait_for(
            timeout=30_000)
        body = page.locator("body").inner_text()
        assert "secret detail" not in body and "/srv/atlas" not in body
        assert "Traceback" not in body and "crashing_page.py" not in body
    server_log = (ARTIFACTS / "streamlit-crash.log").read_text()
    assert "Traceback" in server_log and "secret detail" in server_log


@pytest.fixture(scope="module")
def two_bad_rows_server(browser, tmp_path_factory, small_path):
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in collection["features"]}
    by_id["br-sobral"]["geometry"]["coordinates"] = ["-40.35", "-3.69"]
    by_id["pt-lisbon"]["properties"]["capital"] = "yes"
    path = tmp_path_factory.mktemp("browser-bad-rows") / "members.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    yield from serve(path, "bad-rows")


def test_bad_rows_are_listed_and_the_rest_is_mapped(page, two_bad_rows_server):
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(two_bad_rows_server.url)
    assert wait_for_drawn(page, 17) == 17  # the fixture's 19 less the two bad rows
    warning = page.locator("[data-testid='stAlert']").filter(has_text="left out")
    text = warning.inner_text()
    assert "feature 19 (id 'br-sobral'), geometry: coordinates must be numbers" in text
    assert "(id 'pt-lisbon'), property 'capital': expected true or false, got text 'yes'" in text
    assert "2 members are left out" in text and "python -m geodata build" in text
    wait_for_page_idle(page)
    page.screenshot(path=str(ARTIFACTS / "contract-bad-rows.png"))
