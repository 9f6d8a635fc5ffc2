"""The real app in Debian's Chromium (Playwright), served offline by ``streamlit run``.

The server and browser fixtures are in browser_support.py (registered by conftest.py).
"""

from __future__ import annotations

import json
import time

import pytest

from dashboard.assets import BASEMAP_FILE
from tests.dashboard.browser_support import (
    ARTIFACTS,
    MAP_FRAME,
    details_text,
    markers,
    wait_for_count,
)

pytestmark = pytest.mark.browser


def test_markers_visible_and_screenshot(page, small_server):
    # No tiles, as on a machine without internet (and no request leaves the test machine).
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(small_server.url)
    assert wait_for_count(markers(page), 19) == 19
    # The tiles failed, so the local country outlines stand in for them.
    countries = len(json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))["features"])
    basemap = page.frame_locator(MAP_FRAME).locator(".atlas-basemap")
    assert countries > 200 and wait_for_count(basemap, countries, timeout=15) == countries
    assert "Natural Earth" in page.frame_locator(MAP_FRAME).locator(
        ".leaflet-control-attribution").inner_text()
    assert page.frame_locator(MAP_FRAME).locator(".atlas-capital").count() == 6
    assert page.frame_locator(MAP_FRAME).locator(".atlas-legend").is_visible()
    # The fullscreen plugin is loaded after the markers; its button must still arrive.
    page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-fullscreen").wait_for(
        state="visible", timeout=10_000)
    page.get_by_text("19 of 425 members mapped").wait_for()
    time.sleep(1)  # let the legend and shading settle before the picture
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_choosing_one_round_changes_the_markers(page, small_server):
    page.goto(small_server.url)
    assert wait_for_count(markers(page), 19) == 19
    page.locator(MAP_FRAME).element_handle().content_frame().evaluate(
        "window.atlasProbe = 'old map'")
    page.locator(".st-key-w_rounds").click()
    page.get_by_role("option", name="2019").click()
    page.keyboard.press("Escape")
    assert wait_for_count(page.frame_locator(MAP_FRAME).locator(".atlas-member"), 1) == 1
    assert "round=2019" in page.url
    # A changed map is a new component (its key is the script's hash): the probe is gone,
    # which is what the click test relies on to see that an unchanged map stays mounted.
    fresh = page.locator(MAP_FRAME).element_handle().content_frame()
    assert fresh.evaluate("window.atlasProbe") is None


def test_clicking_a_marker_shows_that_city(page, small_server):
    page.goto(f"{small_server.url}/?round=2019")
    eindhoven = markers(page)
    assert wait_for_count(eindhoven, 1) == 1
    # Mark the map's window: a remounted component would be a fresh iframe without it.
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    map_frame.evaluate("window.atlasProbe = 'same map'")
    eindhoven.first.click(force=True)
    page.locator(".st-key-details_panel").get_by_text("Eindhoven").first.wait_for(
        timeout=15_000)
    assert "Netherlands" in details_text(page)
    assert "city=nl-eindhoven" in page.url
    # The click reran the page; the map script did not change, so the map was not remounted.
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert map_frame.evaluate("window.atlasProbe") == "same map"


def test_panning_and_zooming_do_not_rerun_the_page(page, small_server):
    # Every rerun starts with a message from the browser over Streamlit's websocket; count them.
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(small_server.url)
    assert wait_for_count(markers(page), 19) == 19
    page.wait_for_load_state("networkidle")
    time.sleep(1)
    settled = len(sent)
    box = page.locator(MAP_FRAME).bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    zoom_before = map_frame.evaluate("window.map.getZoom()")
    page.mouse.move(centre_x, centre_y)
    page.mouse.wheel(0, -400)  # zoom in
    page.mouse.down()
    page.mouse.move(centre_x + 150, centre_y + 80, steps=8)  # pan
    page.mouse.up()
    time.sleep(2)
    assert map_frame.evaluate("window.map.getZoom()") > zoom_before  # the gestures took effect
    assert len(sent) == settled, "panning or zooming sent a rerun to the server"
    # The detector itself works: a click on a member is meant to rerun the page. Centre the
    # map on one member first: after the pan it may be off screen or under the legend.
    member = map_frame.evaluate_handle("""() => {
        let member = null;
        window.map.eachLayer(layer => {
            if (!member && layer.feature && layer.feature.properties.id) { member = layer; }
        });
        window.map.setView(member.getLatLng(), 5, {animate: false});
        return member.getElement();
    }""").as_element()
    time.sleep(0.5)
    member.click(force=True)
    page.locator(".st-key-details_panel").get_by_text("Round:").first.wait_for(timeout=15_000)
    assert len(sent) > settled


def test_hostile_text_stays_text(page, hostile_server):
    page.goto(hostile_server.url)
    members = markers(page)
    assert wait_for_count(members, 5) == 5
    frame = page.frame_locator(MAP_FRAME)
    # Open every marker's tooltip (hovering would hit whichever of two close markers is on top)
    # and read what the browser made of it.
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    map_frame.evaluate("window.map.eachLayer(l => l.getTooltip && l.getTooltip() && "
                       "l.openTooltip())")
    tooltips = frame.locator(".leaflet-tooltip")
    assert wait_for_count(tooltips, 5) == 5
    tooltips = tooltips.all_inner_texts()
    joined = "\n".join(tooltips)
    assert "<script>alert('city')</script>, Côte d'Ivoire" in joined
    assert "<img src=x onerror=alert('img')>" in joined
    assert "`${alert('tick')}` back\\slash\\ \"quoted\" 'single'" in joined
    assert "'s-Hertogenbosch, Netherlands" in joined
    assert "Javascript Link {{ 7*7 }} {% if 1 %}jinja{% endif %}, Chile" in joined

    page.goto(f"{hostile_server.url}/?city=xx-script")
    page.locator(".st-key-details_panel").get_by_text(
        "<script>alert('city')</script>").first.wait_for(timeout=15_000)
    page.get_by_text("</script><script>alert('note')</script>").first.wait_for(state="attached")
    page.goto(f"{hostile_server.url}/?city=xx-jsurl")
    page.locator(".st-key-details_panel").get_by_text("Javascript Link").first.wait_for()
    assert page.locator("a[href^='javascript']").count() == 0
    time.sleep(1)
    assert page.dialogs == []
    assert frame.locator("img[src='x']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("script:text('alert')").count() == 0
    page.screenshot(path=str(ARTIFACTS / "dashboard-hostile.png"), full_page=True)
