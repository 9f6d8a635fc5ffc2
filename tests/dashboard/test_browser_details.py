"""The details panel in a real browser: how exact the selected member's point is, and a member
that may have left the network (on the map, in the panel)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.dashboard.browser_support import ARTIFACTS, CITY, MAP_FRAME, serve, type_into

pytestmark = pytest.mark.browser

PRECISIONS = {
    "nl-eindhoven": {"place_precision": "seat", "place_radius_km": None},
    "us-tacoma": {"place_precision": "area", "place_radius_km": 70},
    "tr-bursa": {"place_precision": "place", "place_radius_km": None, "lapse": "possible",
                 "lapse_date": "2026-02-03",
                 "lapse_sources": ["https://example.org/national-list", "javascript:alert(1)"]},
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


PANEL_WORDS = [
    ("Eindhoven", "The point marks: the seat of the county, commune or consortium"),
    ("Bursa", "The point marks: the place itself"),
    ("Tacoma", "The point marks: an approximate area, radius 70 km"),
]


def test_panel_says_how_exact_the_point_is(page, precision_server):
    """A link opens the first city; the city picker brings the others onto the same page."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{precision_server.url}/?city=nl-eindhoven")
    panel = page.locator(".st-key-details_panel")
    for city, words in PANEL_WORDS:
        if city != "Eindhoven":
            type_into(page, CITY, city)
            page.keyboard.press("Enter")
        expect(panel.locator("h3").first).to_have_text(city, timeout=30_000)
        expect(panel).to_contain_text(words)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "details-precision-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    panel.get_by_text("The point marks:").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "details-precision-390.png"))


def test_a_member_that_may_have_lapsed_is_marked_on_the_map_and_in_its_details(
        page, precision_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{precision_server.url}/?city=tr-bursa")
    panel = page.locator(".st-key-details_panel")
    expect(panel.get_by_text("May have lapsed: see below")).to_be_visible(timeout=30_000)
    expect(panel.get_by_text("may have left the network")).to_be_visible()
    links = panel.get_by_role("link", name="source 1")
    expect(links).to_have_attribute("href", "https://example.org/national-list")
    expect(panel.get_by_role("link", name="source 2")).to_have_count(0)  # javascript: dropped
    frame = page.frame_locator(MAP_FRAME)
    bursa = frame.locator('.atlas-member[data-id="tr-bursa"]')
    expect(bursa).to_have_class(re.compile(r"\batlas-lapse\b"), timeout=30_000)
    expect(bursa).to_have_attribute("aria-label", re.compile("may have lapsed$"))
    assert 'fill-opacity=".3"' in bursa.inner_html()
    others = frame.locator(".atlas-member:not(.atlas-lapse)")
    expect(others.first).to_be_visible()
    # The legend's items are in the page even when folded: the lapse line is among them.
    expect(frame.locator("#atlas-legend-items")).to_contain_text("may have lapsed (pale fill)")
    page.screenshot(path=str(ARTIFACTS / "details-lapse-1366.png"))
