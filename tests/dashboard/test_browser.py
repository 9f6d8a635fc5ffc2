"""The real app in Debian's Chromium (Playwright), served offline by ``streamlit run``.

The server and browser fixtures are in browser_support.py (registered by conftest.py).
"""

from __future__ import annotations

import json

import pytest

from dashboard import data, highlights
from dashboard.assets import BASEMAP_FILE
from tests.dashboard.browser_support import (
    ARTIFACTS,
    MAP_FRAME,
    details_text,
    wait_for_count,
    wait_for_drawn,
    wait_for_map_still,
    wait_for_page_idle,
)

pytestmark = pytest.mark.browser


def test_markers_visible_and_panning_and_zooming_do_not_rerun_the_page(
        page, small_server, small_path):
    # Every rerun starts with a message from the browser over Streamlit's websocket; count them.
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    # No tiles, as on a machine without internet (and no request leaves the test machine).
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(small_server.url)
    assert wait_for_drawn(page, 19) == 19
    # The tiles failed, so the local country outlines stand in for them.
    countries = len(json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))["features"])
    basemap = page.frame_locator(MAP_FRAME).locator(".atlas-basemap")
    assert countries > 200 and wait_for_count(basemap, countries, timeout=15) == countries
    assert "Natural Earth" in page.frame_locator(MAP_FRAME).locator(
        ".leaflet-control-attribution").inner_text()
    # The six new capitals are stars, or carry a star sign on the cluster that holds them.
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert map_frame.evaluate("""() => Object.values(window.atlasMarkers)
        .filter(m => m.options.atlasFlags & 1).map(m => {
            const shown = window.atlasClusters.getVisibleParent(m);
            return shown === m ? 'star' : shown.getElement().querySelector('.atlas-sign-capital')
                ? 'sign' : 'hidden';
        })""").count("hidden") == 0
    # The map's script marks them itself (from the capital flag and the focus round), so it
    # must mark exactly the ones the page counts.
    atlas = data.load_atlas(small_path)
    counted = highlights.new_capitals(atlas.members, atlas.latest_round)
    assert len(counted) == 6
    assert set(map_frame.evaluate("""() => Object.values(window.atlasMarkers)
        .filter(m => m.options.atlasFlags & 1).map(m => m.options.atlasId)""")) == counted
    assert page.frame_locator(MAP_FRAME).locator(".atlas-legend").is_visible()
    # The fullscreen plugin is loaded after the markers; its button must still arrive.
    page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-fullscreen").wait_for(
        state="visible", timeout=10_000)
    page.get_by_text("19 of 425 members mapped").wait_for()
    wait_for_page_idle(page)  # the picture shows the page as its run left it
    wait_for_map_still(page)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    # Panning and zooming stay in the browser: no rerun.
    page.wait_for_load_state("networkidle")
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
    map_frame.wait_for_function(f"window.map.getZoom() > {zoom_before}")  # the gestures worked
    wait_for_map_still(page)
    page.wait_for_load_state("networkidle")  # a rerun, had one been sent, would be under way
    assert len(sent) == settled, "panning or zooming sent a rerun to the server"
    # The detector itself works: a click on a member is meant to rerun the page. Centre the
    # map on one member first: after the pan it may be off screen or under the legend.
    member = map_frame.evaluate_handle("""() => {
        const member = window.atlasMarkers["nl-eindhoven"];  // alone in its country
        window.map.setView(member.getLatLng(), 5, {animate: false});
        return member.getElement();
    }""").as_element()
    wait_for_map_still(page)
    member.click(force=True)
    page.locator(".st-key-details_panel").get_by_text("Round:").first.wait_for(timeout=15_000)
    assert len(sent) > settled


def test_choosing_one_round_changes_the_markers_in_place_and_a_click_shows_the_city(
        page, small_server):
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(f)))
    page.goto(small_server.url)
    assert wait_for_drawn(page, 19) == 19
    page.wait_for_load_state("networkidle")
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    map_frame.evaluate("window.atlasProbe = 'old map'")
    page.locator(".st-key-w_rounds").click()
    before = len(received)
    page.get_by_role("option", name="2019").click()
    page.keyboard.press("Escape")
    assert wait_for_count(page.frame_locator(MAP_FRAME).locator(".atlas-member"), 1) == 1
    page.wait_for_url("**round=2019*", timeout=15_000)
    # The map took the new state in place: same window, and the rerun did not carry the
    # member table (it is a static file, fetched once).
    same = page.locator(MAP_FRAME).element_handle().content_frame()
    assert same.evaluate("window.atlasProbe") == "old map"
    rerun = [f if isinstance(f, bytes) else f.encode() for f in received[before:]]
    assert not any(b"cn-beijing" in frame or b"Cork" in frame for frame in rerun)
    # The page's own elements (metrics, map script, pickers' entry) are ~16 KB whatever the
    # roster's size, with unchanged ones sent as references (.streamlit/config.toml); the
    # roster itself and the pickers' options are fetched once, as files.
    assert sum(map(len, rerun)) <= 20_000, [len(frame) for frame in rerun]
    # A click on the one marker left shows that city; the map script did not change, so the
    # map was not remounted.
    page.frame_locator(MAP_FRAME).locator(".atlas-member").first.click(force=True)
    page.locator(".st-key-details_panel").get_by_text("Eindhoven").first.wait_for(
        timeout=15_000)
    assert "Netherlands" in details_text(page)
    page.wait_for_url("**city=nl-eindhoven*", timeout=15_000)
    assert page.locator(MAP_FRAME).element_handle().content_frame().evaluate(
        "window.atlasProbe") == "old map"



def test_hostile_text_stays_text(page, hostile_server):
    page.goto(hostile_server.url)
    assert wait_for_drawn(page, 5) == 5
    frame = page.frame_locator(MAP_FRAME)
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    # The names as screen readers get them, and the counts on clusters, are text.
    wait_for_map_still(page)
    named = map_frame.evaluate("""() => [...document.querySelectorAll(
        '.atlas-member, .atlas-cluster')].map(e => e.getAttribute('aria-label'))""")
    assert "<script>alert('city')</script>, Côte d'Ivoire · 2025" in named or any(
        label.endswith("members here; click to open") for label in named)
    assert all(text.isdigit() for text in frame.locator(".atlas-count").all_inner_texts())
    legend = frame.locator(".atlas-legend")
    assert legend.locator("img, script, a, b").count() == 0
    # Every marker's name and tooltip as the browser made them, first at the fitted view,
    # then zoomed in on the pairs of members that share a cluster there. (Tooltips are opened
    # from script: hovering would hit whichever of two close markers is on top.)
    read = """() => {
        Object.values(window.atlasMarkers).forEach(m => m._map && m.getElement() &&
                                                    map.atlasMembers.tooltipOf(m).openTooltip());
        return [[...document.querySelectorAll('.atlas-member')].map(
                    e => e.getAttribute('aria-label')),
                [...document.querySelectorAll('.leaflet-tooltip')].map(e => e.innerText)];
    }"""
    labels, tooltips = map_frame.evaluate(read)
    labels, tooltips = set(labels), set(tooltips)
    for view in ("[51.695, 5.3], 14", "[6.4, -4.5], 7"):  # the Dutch and Ivorian pairs
        # A function returning nothing: the map itself would be serialised back, for seconds.
        map_frame.evaluate(f"() => {{ window.map.setView({view}, {{animate: false}}); }}")
        wait_for_map_still(page)
        more_labels, more_tooltips = map_frame.evaluate(read)
        labels, tooltips = labels | set(more_labels), tooltips | set(more_tooltips)
    assert "<script>alert('city')</script>, Côte d'Ivoire · 2025" in labels
    assert any(label.startswith("<img src=x onerror=alert('img')>, Netherlands")
               for label in labels)
    assert any(label.startswith("Javascript Link {{ 7*7 }}") for label in labels)
    assert len(tooltips) == 5
    page.goto(f"{hostile_server.url}/?city=xx-script")
    page.locator(".st-key-details_panel").get_by_text(
        "<script>alert('city')</script>").first.wait_for(timeout=15_000)
    page.get_by_text("</script><script>alert('note')</script>").first.wait_for(state="attached")
    page.goto(f"{hostile_server.url}/?city=xx-jsurl")
    page.locator(".st-key-details_panel").get_by_text("Javascript Link").first.wait_for()
    assert page.locator("a[href^='javascript']").count() == 0
    wait_for_page_idle(page)  # every element of the run is in, with any script it carried
    assert page.dialogs == []
    assert frame.locator("img[src='x']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("script:text('alert')").count() == 0
    page.screenshot(path=str(ARTIFACTS / "dashboard-hostile.png"), full_page=True)
