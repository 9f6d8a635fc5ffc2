"""The map in people's hands (Playwright + Debian's Chromium, the real app): first clicks and
taps land, clusters open, the chosen city is shown, keyboard and screen-reader access.

Clicks go through page.mouse / page.touchscreen at the marker's place on the screen, as a
person's would: no scrolling into view first, no forced clicks.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.assets import TEST_ASSETS, missing_test_files
from dashboard.map.words import MAP_WORDS
from tests.dashboard.browser_support import (
    ARTIFACTS,
    FULL_DATA,
    MAP_FRAME,
    details_text,
    require,
    serve,
    wait_for_count,
    wait_for_layout,
    wait_for_map_still,
    wait_for_page_idle,
)

pytestmark = pytest.mark.browser
AXE = TEST_ASSETS["axe-core"].local_path
SEOUL = (126.9784, 37.566)


def map_frame(page):
    return page.locator(MAP_FRAME).element_handle().content_frame()


def wait_for_map(page) -> None:
    page.frame_locator(MAP_FRAME).locator(".atlas-member, .atlas-cluster").first.wait_for(
        state="visible", timeout=30_000)
    frame = map_frame(page)
    frame.wait_for_function("window.atlasClusters && !window.atlasClusters._inZoomAnimation",
                            polling=100)
    wait_for_map_still(page)


def frame_top(page) -> float:
    return page.locator(MAP_FRAME).bounding_box()["y"]


def on_screen_members(page, viewport) -> list[tuple[str, str, float, float]]:
    """(id, aria-label, x, y) of member markers wholly inside the map and the viewport, in
    page coordinates, at least 24 px from each other, clear of the legend and of anything
    the page draws over the map (its fixed header)."""
    box = page.locator(MAP_FRAME).bounding_box()
    found = map_frame(page).evaluate("""() => {
        const legend = document.querySelector('.atlas-legend').getBoundingClientRect();
        return [...document.querySelectorAll('.atlas-member')].map(e => {
            const r = e.getBoundingClientRect();
            const underLegend = r.right > legend.left && r.left < legend.right &&
                r.bottom > legend.top && r.top < legend.bottom;
            return [e.dataset.id, e.getAttribute('aria-label'), r.left + r.width / 2,
                    r.top + r.height / 2, underLegend];
        });
    }""")
    inside = [(member_id, label, box["x"] + x, box["y"] + y)
              for member_id, label, x, y, under_legend in found
              if not under_legend and 60 < x < box["width"] - 12
              and 12 < y < box["height"] - 30 and 12 < box["y"] + y < viewport[1] - 12]
    # One round trip for all of them: is the map's frame what lies under each point?
    uncovered = page.evaluate(
        "([points, selector]) => points.map(([x, y]) =>"
        " document.elementFromPoint(x, y) === document.querySelector(selector))",
        [[[px, py] for _, _, px, py in inside], MAP_FRAME])
    picked = []
    for (member_id, label, px, py), clear in zip(inside, uncovered, strict=True):
        if clear and all(math.hypot(px - qx, py - qy) > 24 for _, _, qx, qy in picked):
            picked.append((member_id, label, px, py))
    return picked


def scroll_page_by(page, pixels: float) -> None:
    """Scroll the page's scrolling container (Streamlit's main section) by some pixels."""
    page.locator(MAP_FRAME).evaluate("""(frame, pixels) => {
        let box = frame.parentElement;
        while (box && !(box.scrollHeight > box.clientHeight &&
                        /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
            box = box.parentElement;
        }
        // At once: a smooth scroll would keep the map moving under the next press.
        (box || document.scrollingElement).scrollBy({top: pixels, behavior: 'instant'});
    }""", pixels)


def city_of(label: str) -> str:
    return label.split(", ")[0]


def wait_for_details(page, city: str) -> None:
    page.locator(".st-key-details_panel").get_by_text(city, exact=True).first.wait_for(
        timeout=15_000)


def first_presses_land(page, viewport, press) -> list[str]:
    """Press five different markers once each; every press must show its city, and the page
    must not scroll under the pointer while pressing."""
    wait_for_map(page)
    shown, zooms = [], 0
    while len(shown) < 5:
        # Put the map where presses used to miss, partly off screen: 430 px of it on screen
        # and its bottom below the fold, or, where the page cannot scroll that far, its top
        # above the screen's top. (After a tap on a phone the page shows the details.)
        wait_for_page_idle(page)
        wait_for_layout(page.locator(MAP_FRAME), quiet=0.3)
        scroll_page_by(page, frame_top(page) - (viewport[1] - 430))
        wait_for_layout(page.locator(MAP_FRAME), quiet=0.15)
        height = page.locator(MAP_FRAME).bounding_box()["height"]
        if frame_top(page) + height <= viewport[1]:
            scroll_page_by(page, frame_top(page) + 90)
            wait_for_layout(page.locator(MAP_FRAME), quiet=0.15)
        assert frame_top(page) < 0 or frame_top(page) + height > viewport[1]
        targets = [t for t in on_screen_members(page, viewport) if t[0] not in shown]
        if not targets and zooms < 3:
            # The cities left on screen are in clusters: zoom in, as a person would.
            zooms += 1
            map_frame(page).evaluate("() => { map.zoomIn(1, {animate: false}); }")
            wait_for_map_still(page)
            continue
        assert targets, f"no new marker on screen after {len(shown)} presses"
        member_id, label, x, y = targets[0]
        before = frame_top(page)
        press(x, y)
        assert abs(frame_top(page) - before) < 1, "the press scrolled the page"
        try:
            wait_for_details(page, city_of(label))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "map-missed-press.png"))
            raise AssertionError(f"pressed {label} at {x:.0f},{y:.0f}; the panel shows "
                                 f"{details_text(page)[:80]!r}") from None
        assert map_frame(page).evaluate(
            f"document.querySelector('[data-id={json.dumps(member_id)}]')"
            ".getAttribute('aria-current')") == "true"
        shown.append(member_id)
    return shown


def test_five_first_clicks_land_at_1366x768(screen, small_server):
    page = screen(1366, 768)
    page.goto(small_server.url)
    shown = first_presses_land(page, (1366, 768), lambda x, y: page.mouse.click(x, y))
    assert len(set(shown)) == 5
    page.screenshot(path=str(ARTIFACTS / "map-1366x768.png"))


def test_five_first_clicks_land_at_1440x900(screen, small_server):
    page = screen(1440, 900)
    page.goto(small_server.url)
    assert len(set(first_presses_land(page, (1440, 900),
                                      lambda x, y: page.mouse.click(x, y)))) == 5


def test_five_first_taps_land_at_390x844(screen, small_server):
    page = screen(390, 844, touch=True)
    page.goto(small_server.url)
    shown = first_presses_land(page, (390, 844), lambda x, y: page.touchscreen.tap(x, y))
    assert len(set(shown)) == 5
    page.screenshot(path=str(ARTIFACTS / "map-390x844-details.png"))
    scroll_page_by(page, frame_top(page) - 120)
    wait_for_layout(page.locator(MAP_FRAME))
    page.screenshot(path=str(ARTIFACTS / "map-390x844.png"))


def test_a_link_opens_on_the_city_and_axe_passes(screen, small_server):
    require(not missing_test_files(), "axe-core missing: run python -m dashboard.vendor")
    page = screen(1366, 768)
    page.goto(f"{small_server.url}/?city=pt-lisbon")
    wait_for_map(page)
    # A rerun still in flight would bring the page's choice (Lisbon) back over the one
    # made below from the map's script.
    wait_for_page_idle(page)
    lisbon = page.frame_locator(MAP_FRAME).locator("[aria-current='true']")
    lisbon.wait_for(state="visible", timeout=15_000)
    assert lisbon.get_attribute("aria-label") == "Lisbon, Portugal · 2025"
    assert lisbon.get_attribute("data-id") == "pt-lisbon"
    assert page.frame_locator(MAP_FRAME).locator("[aria-current]").count() == 1
    # Inside the map's frame, out of any cluster (Amadora is 10 km away).
    frame = page.locator(MAP_FRAME).bounding_box()
    mark = lisbon.bounding_box()
    assert frame["x"] < mark["x"] and mark["x"] + mark["width"] < frame["x"] + frame["width"]
    assert frame["y"] < mark["y"] and mark["y"] + mark["height"] < frame["y"] + frame["height"]
    assert "Portugal" in details_text(page)
    assert_map_passes_axe(page)  # with a city chosen, as its link opens
    # Zoomed out, Lisbon and Amadora share a cluster: the cluster wears the chosen ring.
    inside = map_frame(page)
    # As functions returning nothing: an expression's value (the map itself) would be
    # serialised back to Python, which takes seconds.
    inside.evaluate("() => { map.setZoom(5, {animate: false}); }")
    ringed = page.frame_locator(MAP_FRAME).locator(".atlas-cluster.atlas-has-selected")
    ringed.wait_for(state="visible", timeout=10_000)
    assert ringed.count() == 1
    assert "including the chosen city" in ringed.get_attribute("aria-label")
    assert "including the chosen city" not in " ".join(
        e.get_attribute("aria-label") for e in
        page.frame_locator(MAP_FRAME).locator(".atlas-cluster:not(.atlas-has-selected)").all())
    page.screenshot(path=str(ARTIFACTS / "map-chosen-in-a-cluster.png"))
    # Another city chosen elsewhere while the clusters animate after a zoom (as when a list
    # pick follows a click on a cluster): Leaflet.markercluster ignores the end of a move made
    # then, so the choice must wait for the animation's end. The ring leaves the cluster.
    wait_for_map_still(page)
    assert inside.evaluate("""() => new Promise(resolve => {
        map.once('zoomend', () => {
            const moving = map.getPane('mapPane').matches('.leaflet-cluster-anim');
            window.atlasSelect('cl-concepcion');
            resolve(moving);
        });
        map.setZoom(7);
    })""")
    page.frame_locator(MAP_FRAME).locator("[data-id='cl-concepcion'][aria-current]").wait_for(
        timeout=15_000)
    inside.evaluate("() => { map.setZoom(5, {animate: false}); "
                    "map.panTo([38.7, -9.1], {animate: false}); }")
    wait_for_map_still(page)
    assert page.frame_locator(MAP_FRAME).locator(".atlas-has-selected").count() == 0


def test_a_cluster_in_europe_opens_with_one_click(screen, full_server):
    page = screen(1366, 768)
    page.goto(full_server.url)
    wait_for_map(page)
    frame = map_frame(page)
    # The cluster drawn nearest to Brussels.
    cluster = frame.evaluate_handle("""() => {
        const target = window.map.latLngToContainerPoint([50.85, 4.35]);
        let best = null, bestDistance = Infinity;
        document.querySelectorAll('.atlas-cluster').forEach(e => {
            const r = e.getBoundingClientRect();
            const d = Math.hypot(r.left + r.width / 2 - target.x, r.top + r.height / 2 - target.y);
            if (d < bestDistance) { best = e; bestDistance = d; }
        });
        return best;
    }""").as_element()
    label = cluster.get_attribute("aria-label")
    count = int(cluster.inner_text())
    assert label.startswith(f"{count} members here") and count > 1
    cluster.scroll_into_view_if_needed()
    box = cluster.bounding_box()
    zoom = frame.evaluate("map.getZoom()")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    frame.wait_for_function(f"map.getZoom() > {zoom} || Boolean(window.atlasClusters._spiderfied)")
    wait_for_map_still(page)
    opened = frame.evaluate("map.getZoom()") > zoom or frame.evaluate(
        "Boolean(window.atlasClusters._spiderfied)")
    assert opened, "one click did not open the cluster"


def test_every_seoul_member_can_be_selected(screen, full_server):
    roster = json.loads(Path(FULL_DATA).read_text(encoding="utf-8"))["features"]
    seoul = {f["properties"]["id"]: f["properties"]["city"] for f in roster
             if f["geometry"] and math.dist(f["geometry"]["coordinates"], SEOUL) < 0.2}
    # Seoul and its districts, each at its own point a few km apart: one dense cluster.
    assert len(seoul) >= 5
    page = screen(1366, 768)
    page.goto(full_server.url)
    wait_for_map(page)
    frame = map_frame(page)
    scroll_page_by(page, frame_top(page) - 60)
    # A click on each member's marker would cost a rerun each: every marker is hit-tested (a
    # click at its centre lands on it), and three of them are clicked through to the details.
    clicked = set(list(seoul)[::max(1, len(seoul) // 3)][:3])
    for member_id, city in seoul.items():
        presses = 0
        while True:
            # What stands for this member on screen now: its own marker, or its cluster.
            target = frame.evaluate_handle(f"""() => {{
                const marker = window.atlasMarkers[{json.dumps(member_id)}];
                // Centre what stands for it, as a person would pan to it (at the frame's edge
                // the legend or the controls may cover it).
                let shown = window.atlasClusters.getVisibleParent(marker);
                window.map.setView((shown || marker).getLatLng(), window.map.getZoom(),
                                   {{animate: false}});
                shown = window.atlasClusters.getVisibleParent(marker);
                return (shown || marker).getElement();
            }}""").as_element()
            is_member = "atlas-member" in target.get_attribute("class")
            box = target.bounding_box()
            if is_member and member_id not in clicked:
                assert target.evaluate("""e => {
                    const r = e.getBoundingClientRect();
                    const hit = document.elementFromPoint(r.left + r.width / 2,
                                                          r.top + r.height / 2);
                    return hit !== null && hit.closest('.atlas-member') === e;
                }"""), f"a click on {city} would land on something else in the map"
                centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
                assert page.evaluate(
                    "([x, y]) => document.elementFromPoint(x, y) === document.querySelector("
                    f"{MAP_FRAME!r})", centre), f"the page covers {city}"
                break
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            presses += 1
            if is_member:
                break
            wait_for_map_still(page)  # the zoom or the spread has finished
            assert presses < 8, f"{city} not reached in 8 presses"
        if member_id in clicked:
            wait_for_details(page, city)
    page.screenshot(path=str(ARTIFACTS / "map-seoul.png"))


def run_axe(frame) -> list[dict]:
    frame.add_script_tag(path=str(AXE))
    result = frame.evaluate("""async () => {
        const r = await axe.run(document, {iframes: false, resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.html.slice(0, 120))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_map_passes_axe(page) -> None:
    """axe-core finds no serious or critical problem in the map's frame, nor in how the page
    presents that frame."""
    assert run_axe(map_frame(page)) == []
    # The map's frame as the page presents it (title, size); the rest of the page is checked
    # by the page's own tests.
    page.add_script_tag(path=str(AXE))
    around = page.evaluate("""async () => {
        const r = await axe.run({include: [["iframe[data-atlas-map]"]]},
                                {iframes: false, resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                           .map(v => v.id);
    }""")
    assert around == []


def test_markers_are_named_hover_shows_a_tooltip_and_tab_leaves_the_map(screen, small_server):
    page = screen(1366, 768)
    page.goto(small_server.url)
    wait_for_map(page)
    assert_hover_shows_tooltip(page)
    frame = map_frame(page)
    labels = frame.evaluate("""() => Object.values(window.atlasMarkers).map(m =>
        m.options.icon.label())""")
    assert len(labels) == 19 and "Lisbon, Portugal · 2025" in labels
    assert "Eindhoven, Netherlands · 2019" in labels
    assert all(e.get_attribute("role") == "img" and e.get_attribute("aria-label")
               for e in frame.query_selector_all(".atlas-member, .atlas-cluster"))
    # No marker is a Tab stop; the map itself is, for Leaflet's keyboard pan and zoom.
    assert frame.evaluate("document.querySelectorAll('.atlas-member[tabindex], "
                          ".atlas-cluster[tabindex]').length") == 0
    # The frame has a name for screen readers (before: "streamlit_folium.st_folium", its
    # document "Streamlit Folium Component").
    assert page.locator(MAP_FRAME).get_attribute("title") == MAP_WORDS["membersMapTitle"]
    assert frame.evaluate("document.title") == MAP_WORDS["membersMapTitle"]
    frame.locator(".leaflet-container").focus()
    # Its focus ring is drawn inside the frame (before: outside it, where the frame clips it).
    ring = frame.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth), parseFloat(s.outlineOffset)]; }""")
    assert ring[0] == "solid" and ring[1] >= 2 and ring[2] <= -ring[1], ring
    centre = frame.evaluate("map.getCenter().lng")
    page.keyboard.press("ArrowRight")
    frame.wait_for_function(f"map.getCenter().lng > {centre}", timeout=5_000)
    presses = 0
    while page.evaluate("document.activeElement.tagName === 'IFRAME'"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 30, "Tab did not leave the map within 30 presses"
    # A mouse press on the map makes Leaflet hide its outline until a key is pressed inside
    # the frame; Tab pressed in the page, back into the map, must still show the ring.
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.95)
    page.locator("button", has_text="Countries by round").focus()
    presses = 0
    while not page.evaluate("document.activeElement.tagName === 'IFRAME'"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 30, "Tab did not reach the map within 30 presses"
    ring = frame.evaluate("""() => [document.activeElement.className.includes(
        'leaflet-container'), getComputedStyle(document.activeElement).outlineStyle]""")
    assert ring == [True, "solid"], ring


def test_the_legend_folds_and_lists_only_what_is_shown(screen, small_server):
    page = screen(1366, 768)
    page.goto(f"{small_server.url}/?round=2019")
    wait_for_map(page)
    legend = page.frame_locator(MAP_FRAME).locator(".atlas-legend")
    text = legend.inner_text()
    assert "2019" in text and "2025" not in text and "2015" not in text
    toggle = legend.get_by_role("button", name="Legend")
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not legend.locator("li").first.is_visible()
    page.goto(small_server.url)
    wait_for_map(page)
    text = legend.inner_text()
    assert "doubtful" in text and "capital new in 2025" in text
    # No member under the legend after the fit.
    assert wait_for_count(page.frame_locator(MAP_FRAME).locator(".atlas-legend"), 1) == 1
    under_legend = """() => {
        const l = document.querySelector('.atlas-legend').getBoundingClientRect();
        return [...document.querySelectorAll('.atlas-member, .atlas-cluster')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.right > l.left && r.left < l.right && r.bottom > l.top && r.top < l.bottom;
        }).length;
    }"""
    try:  # once the clusters have settled (they animate into place)
        map_frame(page).wait_for_function(f"({under_legend})() === 0", timeout=5_000)
    except Exception:
        pass
    assert map_frame(page).evaluate(under_legend) == 0


@pytest.fixture(scope="module")
def area_server(browser, area_path):
    yield from serve(area_path, "area")


def test_an_area_member_is_a_dashed_circle_labelled_approximate(screen, area_server):
    page = screen(1366, 768)
    page.goto(f"{area_server.url}/?city=zm-test-area")
    wait_for_map(page)
    frame = page.frame_locator(MAP_FRAME)
    area = frame.locator("[data-id='zm-test-area']")
    area.wait_for(state="visible", timeout=15_000)
    assert area.get_attribute("aria-label") == \
        "Test Area Consortium, Zambia · 2024 · approximate area"
    assert "atlas-area" in area.get_attribute("class")
    assert area.locator("circle[stroke-dasharray]").count() == 1  # an open dashed ring
    assert area.locator("path").count() == 0 and area.locator("img").count() == 0  # no pin
    # Its real extent: a dashed circle of the placed radius (40 km) on the map.
    radius = map_frame(page).evaluate("""() => {
        let found = null;
        window.map.eachLayer(l => { if (l instanceof L.Circle && l.feature) { found = l; } });
        return [found.getRadius(), found.options.dashArray];
    }""")
    assert radius == [40_000, "6 4"]
    assert frame.locator("path.atlas-area").count() == 1
    assert "approximate area" in frame.locator(".atlas-legend").inner_text()


def assert_hover_shows_tooltip(page) -> None:
    """Tooltips are bound at a marker's first hover, not up front: the real mouse must get
    one, and lose it when the mouse leaves."""
    frame = page.frame_locator(MAP_FRAME)
    assert frame.locator(".leaflet-tooltip").count() == 0
    # A member whose centre is not covered by another marker or the legend.
    member_id = map_frame(page).evaluate("""() => [...document.querySelectorAll('.atlas-member')]
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
                            ?.closest('.atlas-member') === e)
        .map(([e]) => e.dataset.id)[0]""")
    assert member_id, "no uncovered member marker at the fitted view"
    member = frame.locator(f".atlas-member[data-id='{member_id}']")
    name = member.get_attribute("aria-label")
    member.hover()
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.inner_text().startswith(name)
    page.mouse.move(5, 5)
    tip.wait_for(state="detached", timeout=5_000)


def test_a_link_to_a_stacked_member_fans_out_its_stack_at_a_towns_zoom(screen, full_server):
    # Muharraq was admitted twice (2019, and a doubtful 2024 row): one place, two members.
    page = screen(1366, 768)
    page.goto(f"{full_server.url}/?city=bh-muharraq-2024")
    wait_for_map(page)
    chosen = page.frame_locator(MAP_FRAME).locator("[aria-current='true']")
    chosen.wait_for(state="visible", timeout=15_000)
    assert chosen.get_attribute("aria-label") == "Muharraq, Bahrain · 2024"
    assert map_frame(page).evaluate("map.getZoom()") <= 12
    assert map_frame(page).evaluate("Boolean(window.atlasClusters._spiderfied)")
    page.screenshot(path=str(ARTIFACTS / "map-link-to-a-stack.png"))


def test_a_city_chosen_in_the_picker_is_shown_on_the_same_map(screen, small_server):
    page = screen(1366, 768)
    page.goto(small_server.url)
    wait_for_map(page)
    map_frame(page).evaluate("window.atlasProbe = 'same map'")
    zoom = map_frame(page).evaluate("map.getZoom()")
    page.locator(".st-key-w_city_picker input").click()
    page.keyboard.type("Amadora")
    page.keyboard.press("Enter")
    chosen = page.frame_locator(MAP_FRAME).locator("[aria-current='true']")
    chosen.wait_for(state="visible", timeout=15_000)
    assert chosen.get_attribute("data-id") == "pt-amadora"
    # Zoomed in until Amadora stands apart from Lisbon, on the map that was already there.
    assert map_frame(page).evaluate("map.getZoom()") > zoom
    assert map_frame(page).evaluate("window.atlasProbe") == "same map"
    frame, mark = page.locator(MAP_FRAME).bounding_box(), chosen.bounding_box()
    assert frame["x"] < mark["x"] < frame["x"] + frame["width"] - mark["width"]
    assert frame["y"] < mark["y"] < frame["y"] + frame["height"] - mark["height"]


def test_on_a_phone_the_legend_starts_folded(screen, small_server):
    page = screen(390, 844, touch=True)
    page.goto(small_server.url)
    wait_for_map(page)
    legend = page.frame_locator(MAP_FRAME).locator(".atlas-legend")
    assert legend.get_by_role("button", name="Legend").get_attribute("aria-expanded") == "false"
    assert legend.bounding_box()["width"] < page.locator(MAP_FRAME).bounding_box()["width"] / 4


# Pairs of marker or cluster icons whose boxes overlap by more than a pixel, in the map frame.
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('.atlas-cluster, .atlas-member')]
    .map(e => e.getBoundingClientRect());
  let pairs = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 &&
        b.top < a.bottom - 1) { pairs += 1; }
  }));
  return pairs;
}"""


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_no_two_icons_overlap_on_a_laptop_opening_or_two_zooms_in(screen, full_server, size):
    page = screen(*size)
    page.goto(full_server.url)
    wait_for_map(page)
    wait_for_map_still(page)
    frame = map_frame(page)
    found = [settled_overlaps(frame)]
    for _ in range(2):
        frame.evaluate("() => { map.zoomIn(1, {animate: false}); }")
        wait_for_map_still(page)
        found.append(settled_overlaps(frame))
    assert found == [0, 0, 0]


def settled_overlaps(frame, seconds: float = 3) -> int:
    """Overlapping pairs once the clusters have settled: on a busy machine the cluster layer
    can still be swapping icons just after the map stops, so an overlap counts only if it
    lasts for `seconds`."""
    try:
        frame.wait_for_function(f"({OVERLAPS})() === 0", timeout=seconds * 1000, polling=100)
    except PlaywrightTimeout:  # the overlap lasted: report it
        pass
    return frame.evaluate(OVERLAPS)
