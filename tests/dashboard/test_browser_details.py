"""The details panel in a real browser: it says how exact the selected member's point is."""

from __future__ import annotations

import json

import pytest

from tests.dashboard.browser_support import ARTIFACTS, details_text, serve

pytestmark = pytest.mark.browser

PRECISIONS = {
    "nl-eindhoven": {"place_precision": "seat", "place_radius_km": None},
    "us-tacoma": {"place_precision": "area", "place_radius_km": 70},
    "tr-bursa": {"place_precision": "place", "place_radius_km": None},
}


@pytest.fixture(scope="module")
def precision_server(browser, small_path, tmp_path_factory):
    """The small fixture with place_precision set on three members."""
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        feature["properties"].update(PRECISIONS.get(feature["id"], {}))
    path = tmp_path_factory.mktemp("precision") / "members.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    yield from serve(path, "precision")


@pytest.mark.parametrize(("member_id", "city", "words"), [
    ("nl-eindhoven", "Eindhoven", "The point marks: the seat of the county, commune or consortium"),
    ("us-tacoma", "Tacoma", "The point marks: an approximate area, radius 70 km"),
    ("tr-bursa", "Bursa", "The point marks: the place itself"),
])
def test_panel_says_how_exact_the_point_is(page, precision_server, member_id, city, words):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{precision_server.url}/?city={member_id}")
    panel = page.locator(".st-key-details_panel")
    panel.get_by_text(city).first.wait_for(timeout=30_000)
    panel.get_by_text("The point marks:").wait_for(timeout=15_000)
    assert words in details_text(page)
    if member_id == "us-tacoma":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "details-precision-1366.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        panel.get_by_text("The point marks:").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "details-precision-390.png"))
