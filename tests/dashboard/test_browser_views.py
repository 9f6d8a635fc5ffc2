"""The views beyond the map, in Debian's Chromium: downloads, table, growth, as-of, the
standalone map opened from disk, copy-link, and a screenshot of each view.

The server and browser fixtures are in browser_support.py (registered by conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from dashboard import asof, assets
from dashboard.map.words import MAP_WORDS
from tests.dashboard.browser_support import (
    ARTIFACTS,
    DRAWN,
    MAP_FRAME,
    SIZES,
    assert_keeps_switch_and_downloads,
    map_frame,
    markers,
    require,
    wait_for_count,
    wait_for_drawn,
    wait_for_layout,
    wait_for_map_still,
    wait_for_page_idle,
)

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "members_small.geojson"


AXE_VERSION = "4.11.0"
# Not this module's to check: the headline's caption (its grey is Streamlit's caption colour).
AXE_EXCLUDE = ["[data-testid='stCaptionContainer']:has(a[href$='#coverage-by-round'])"]


def axe_source() -> str:
    """axe-core from the npm registry: the vendor step's copy when it installs one for the
    tests, else fetched once with ``npm pack`` into tests/artifacts/."""
    installed = getattr(assets, "TEST_ASSETS", {}).get("axe-core")
    if installed is not None and installed.local_path.is_file():
        return installed.local_path.read_text(encoding="utf-8")
    folder = ARTIFACTS / "axe"
    target = folder / "axe.min.js"
    if not target.is_file():
        npm = shutil.which("npm")
        require(npm is not None, "npm is needed to fetch axe-core")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent"], cwd=folder,
                       check=True, capture_output=True, timeout=120)
        with tarfile.open(folder / f"axe-core-{AXE_VERSION}.tgz") as archive:
            target.write_bytes(archive.extractfile("package/axe.min.js").read())
    return target.read_text(encoding="utf-8")


def axe_violations(page) -> list[tuple[str, str, list[str]]]:
    page.add_script_tag(content=axe_source())
    found = page.evaluate("""async (exclude) => {
        const result = await axe.run({include: [document], exclude: exclude.map(s => [s])},
                                     {resultTypes: ["violations"]});
        return result.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(" "))]);
    }""", AXE_EXCLUDE)
    return [tuple(v) for v in found]


def fixture_members() -> list[dict]:
    """The fixture's non-withdrawn members, read from the file itself."""
    features = json.loads(FIXTURE.read_text(encoding="utf-8"))["features"]
    return [{**f["properties"], "placed": f["geometry"] is not None} for f in features
            if f["properties"]["status"] != "withdrawn"]


def download(page, label: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download(timeout=30_000) as started:
        page.get_by_role("button", name=label, exact=True).click()
    saved = tmp_path / started.value.suggested_filename
    started.value.save_as(saved)
    return started.value.suggested_filename, saved.read_bytes()


def test_downloads_hold_exactly_the_2025_members(page, small_server, tmp_path):
    page.goto(f"{small_server.url}/?round=2025")
    assert wait_for_drawn(page, 8) == 8
    expected = sorted(m["id"] for m in fixture_members() if m["round"] == "2025")
    name, blob = download(page, "Download CSV", tmp_path)
    assert name == "gnlc-members-round-2025.csv"
    rows = list(csv.DictReader(io.StringIO(blob.decode("utf-8-sig"), newline="")))
    assert sorted(r["id"] for r in rows) == expected
    assert {r["round"] for r in rows} == {"2025"}
    name, blob = download(page, "Download GeoJSON", tmp_path)
    assert name == "gnlc-members-round-2025.geojson"
    collection = json.loads(blob)
    assert collection["type"] == "FeatureCollection"
    assert sorted(f["id"] for f in collection["features"]) == expected
    # Each row says whether its country was new in its round (Lusaka: Zambia's first member).
    new_in_round = {r["id"]: r["country_new_in_round"] for r in rows}
    assert new_in_round["zm-lusaka"] == "true" and new_in_round["pt-lisbon"] == "false"


def test_table_view_shows_a_table_and_a_row_selects_the_city(page, small_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{small_server.url}/?view=table")
    grid = page.locator("[data-testid='stDataFrame']")
    grid.wait_for(timeout=30_000)
    page.get_by_text("20 members").first.wait_for()
    # The plain table: a real <table> with column headers, one row per member.
    page.get_by_text("The same members as a plain table").click()
    table = page.locator("table.atlas-members")
    table.wait_for()
    assert table.locator("thead th[scope='col']").count() == 9
    assert table.locator("tbody tr").count() == 20
    assert "Kuno Consortium" in table.inner_text()
    first_city = table.locator("tbody tr th").first.inner_text()
    assert first_city
    page.get_by_text("The same members as a plain table").click()
    page.get_by_text("20 members").first.scroll_into_view_if_needed()
    wait_for_page_idle(page)
    wait_for_layout(table)
    page.screenshot(path=str(ARTIFACTS / "view-table.png"), full_page=True)
    # Choose the first row (its selection cell, at the grid's left edge).
    grid.click(position={"x": 18, "y": 35 + 17})
    page.locator(".st-key-details_panel").get_by_text(first_city).first.wait_for(
        timeout=15_000)
    # Streamlit replaces the address without a navigation event Playwright's page.url sees.
    page.wait_for_function("location.href.includes('city=')", timeout=10_000)
    assert "view=table" in page.evaluate("location.href")
    # Back on the map, the same city is selected: details panel, picker and link.
    page.locator(".st-key-w_view").get_by_text("Map", exact=True).click()
    markers(page)
    page.locator(".st-key-details_panel").get_by_text(first_city).first.wait_for(
        timeout=15_000)
    page.wait_for_function("!location.href.includes('view=')", timeout=10_000)
    assert "city=" in page.evaluate("location.href")
    assert page.locator(".st-key-w_city_picker input").input_value() == first_city


def test_growth_view_shows_charts(page, small_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{small_server.url}/?view=growth")
    charts = page.locator("[data-testid='stVegaLiteChart']")
    charts.first.wait_for(timeout=30_000)
    assert wait_for_count(charts, 4) == 4
    # Vega draws each chart; each is a named graphic (its description) under a heading.
    charts.first.locator("canvas, svg").first.wait_for(timeout=15_000)
    named = page.locator("[data-testid='stVegaLiteChart'][role='graphics-document']"
                         "[aria-label*='network size UNESCO announced']")
    assert named.count() == 1
    page.get_by_role("heading", name="Network size after each round").wait_for()
    page.get_by_text("How the network grew").scroll_into_view_if_needed()
    wait_for_page_idle(page)
    wait_for_layout(charts.first)
    page.screenshot(path=str(ARTIFACTS / "view-growth.png"), full_page=True)
    charts.nth(3).scroll_into_view_if_needed()
    wait_for_layout(charts.nth(3))
    page.screenshot(path=str(ARTIFACTS / "view-growth-2.png"), full_page=True)


def round_labels_on_map(page) -> list[str]:
    """The round label in every member marker's accessible name, clustered or not."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    names = frame.evaluate(
        "Object.values(window.atlasMarkers).map(m => m.options.icon.label())")
    return [name.rsplit("(", 1)[-1].rstrip(")") for name in names]


def test_as_of_2020_shows_fewer_members_none_after_2020(page, small_server):
    page.goto(small_server.url)
    everyone = wait_for_drawn(page, 19)
    page.goto(f"{small_server.url}/?as_of=2020")
    then = [m for m in fixture_members()
            if m["placed"] and m["round"] in ("2015-2018", "2019", "2020")]
    assert wait_for_drawn(page, len(then)) == len(then) < everyone
    page.get_by_text("of unknown round is left out").first.wait_for()
    labels = round_labels_on_map(page)
    assert len(labels) == len(then)
    assert not any(year in label for label in labels for year in ("2022", "2024", "2025"))
    wait_for_page_idle(page)
    wait_for_map_still(page)
    page.screenshot(path=str(ARTIFACTS / "view-as-of-2020.png"), full_page=True)


def test_standalone_map_opens_from_disk(page, small_server, tmp_path, browser):
    page.goto(f"{small_server.url}/?round=2025")
    assert wait_for_drawn(page, 8) == 8
    name, blob = download(page, "Download map (HTML)", tmp_path)
    assert name == "gnlc-members-round-2025-map.html"
    saved = tmp_path / name
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    offline = context.new_page()
    requests = []
    # No network at all: Leaflet, its CSS and the outlines must come from the file itself.
    offline.route("**/*", lambda route: (requests.append(route.request.url),
                                         route.abort() if not route.request.url.startswith(
                                             "file:") else route.continue_()))
    errors = []
    offline.on("pageerror", lambda error: errors.append(str(error)))
    offline.goto(saved.as_uri())
    # The dashboard's own members layer: the 8 members drawn (some in clusters), each marker
    # named, a new capital drawn as a star, and no marker or cluster a Tab stop.
    offline.locator(".atlas-member").first.wait_for(timeout=30_000)
    offline.wait_for_function(f"() => ({DRAWN})() === 8", timeout=20_000)
    assert errors == []
    assert all(u.startswith(("file:", "https://tile.openstreetmap.org")) for u in requests)
    assert offline.title() == "UNESCO Global Network of Learning Cities: round 2025"
    assert offline.locator("header h1").inner_text() == offline.title()
    named = offline.locator(".atlas-member").evaluate_all(
        "els => els.map(e => [e.getAttribute('aria-label'), e.tabIndex])")
    assert named and all(label and " · 2025" in label for label, _ in named)
    assert offline.locator(".atlas-member.atlas-star").count() >= 1
    assert offline.locator("[tabindex='0'].atlas-member, [tabindex='0'].atlas-cluster").count() == 0
    assert "2025" in offline.locator(".atlas-legend").inner_text()
    # The tiles failed (no network), so the outlines carried in the file stand in for them.
    offline.locator(".atlas-basemap").first.wait_for(state="attached", timeout=10_000)
    offline.wait_for_function("""() => !document.querySelector(
        '.leaflet-zoom-anim, .leaflet-cluster-anim')""")
    offline.screenshot(path=str(ARTIFACTS / "standalone-map.png"))
    offline.locator(".atlas-member").first.click(force=True)
    offline.locator(".leaflet-popup-content").wait_for()
    assert "Round: 2025" in offline.locator(".leaflet-popup-content").inner_text()
    context.close()


def test_copy_link_copies_the_current_view(page, small_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=small_server.url)
    page.goto(f"{small_server.url}/?view=table&round=2025")
    page.locator("[data-testid='stDataFrame']").wait_for(timeout=30_000)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied").wait_for(timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.evaluate("location.href")
    assert "view=table" in copied and "round=2025" in copied


def test_play_the_rounds_steps_through_every_round_then_stops(page, small_server,
                                                               small_atlas):
    page.goto(small_server.url)
    markers(page)
    rounds = list(asof.timeline(small_atlas.round_keys))
    # Every round the link shows, recorded as the page writes its address (Streamlit's
    # history.pushState / replaceState): a poll of the address could miss a short step while
    # the page's main thread is busy drawing it.
    page.evaluate("""() => {
        window.atlasRoundsSeen = [];
        for (const name of ["pushState", "replaceState"]) {
            const write = history[name].bind(history);
            history[name] = (state, title, url) => {
                const round = url ? new URL(url, location.href).searchParams.get("as_of") : null;
                const seen = window.atlasRoundsSeen;
                if (round && seen[seen.length - 1] !== round) { seen.push(round); }
                return write(state, title, url);
            };
        }
    }""")
    page.get_by_role("button", name="Play the rounds").click()
    # Until the play button is back and the link has reached the last round.
    page.wait_for_function("""(last) =>
        new URLSearchParams(location.search).get("as_of") === last &&
        [...document.querySelectorAll("button")]
            .some((b) => b.innerText.includes("Play the rounds"))
    """, arg=rounds[-1], polling=100, timeout=30_000)
    seen = page.evaluate("window.atlasRoundsSeen")
    assert seen == rounds
    page.wait_for_url(f"**as_of={seen[-1]}*", timeout=15_000)


def test_countries_view_and_its_play_control(page, small_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{small_server.url}/?view=countries")
    frame = page.frame_locator(MAP_FRAME)
    countries = frame.locator(".atlas-joined")
    countries.first.wait_for(timeout=30_000)
    assert countries.count() >= 10
    assert page.locator(MAP_FRAME).get_attribute("title") == MAP_WORDS["countriesMapTitle"]
    status = frame.locator(".atlas-play-status")
    final = status.inner_text()
    # Every status the play control shows, noted by the frame itself as it changes.
    status.evaluate("""e => {
        window.atlasSeen = [e.textContent];
        new MutationObserver(() => window.atlasSeen.push(e.textContent))
            .observe(e, {childList: true, characterData: true, subtree: true});
    }""")
    frame.get_by_role("button", name="Play: show the network round by round").click()
    inside = map_frame(page)
    inside.wait_for_function(
        f"window.atlasSeen.length > 2 && window.atlasSeen.at(-1) === {json.dumps(final)}",
        timeout=15_000)
    seen = set(inside.evaluate("window.atlasSeen"))
    assert any(text.startswith("After 2015") for text in seen)
    assert status.inner_text() == final
    page.get_by_text("Countries by the round of their first member").scroll_into_view_if_needed()
    wait_for_page_idle(page)
    page.screenshot(path=str(ARTIFACTS / "view-countries.png"), full_page=True)


@pytest.mark.parametrize("view", ["table", "growth", "about"])
def test_screenshots(page, small_server, view):
    """Each plain view at the three sizes, saved for a person to look at, passing axe-core as
    loaded. (The map view's screenshots and checks at each size are in test_browser_page.)"""
    page.goto(f"{small_server.url}/?view={view}")
    for size, (width, height) in enumerate(SIZES):
        page.set_viewport_size({"width": width, "height": height})
        # Plain page layout follows the window as it is resized: no reload.
        wait_for_layout(page.get_by_role("button", name="Download CSV"), quiet=0.3)
        assert_keeps_switch_and_downloads(page)
        if size == 0:
            assert_passes_axe(page, view)
        page.screenshot(path=str(ARTIFACTS / f"view-{view}-{width}.png"), full_page=True)


def assert_passes_axe(page, view: str) -> None:
    """No axe-core violation on the view as loaded at 1366x768."""
    page.get_by_role("button", name="Download CSV").wait_for(timeout=30_000)
    if view == "growth":
        page.locator("[data-testid='stVegaLiteChart'] canvas, "
                     "[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=15_000)
    wait_for_page_idle(page)  # every element of the run is in
    assert axe_violations(page) == []


def test_the_countries_view_passes_axe(page, small_server):
    # The table, growth and about views are checked in test_screenshots, on the page it loads.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{small_server.url}/?view=countries")
    assert_passes_axe(page, "countries")
