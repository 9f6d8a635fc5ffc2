"""Shared parts of the browser tests: a real ``streamlit run`` and Debian's Chromium.

Each test process (xdist worker) starts one ``streamlit run`` per data file, on a free
127.0.0.1 port, with the map's assets served locally (ATLAS_OFFLINE_ASSETS=1): this
machine, like CI, has no CDN access.
With CI=true these tests never skip: a missing browser or missing vendored files fail them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from dashboard.assets import missing_local_files
from dashboard.devtools.serving import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    ROOT,
    StreamlitServer,
)

ARTIFACTS = ROOT / "tests" / "artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, why: str) -> None:
    """Skip locally, fail in CI: CI must really run the browser tests."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {why}")
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
            f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    require(not missing_local_files(),
            "vendored map assets missing: run python -m dashboard.vendor")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def serve(data: Path, name: str):
    """`streamlit run` on `data`, with the map's assets served locally and a fast play control;
    no file watcher, since the tests never edit the app while it runs."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with StreamlitServer(data=data, env={"ATLAS_OFFLINE_ASSETS": "1", "ATLAS_PLAY_SECONDS": "0.5"},
                         settings=["--server.fileWatcherType=none"],
                         log=ARTIFACTS / f"streamlit-{name}.log") as server:
        yield server


# The committed roster: dense Europe, Seoul's districts, the real list of countries.
FULL_DATA = ROOT / "geodata" / "members.geojson"


@pytest.fixture(scope="session")
def full_server(browser):
    yield from serve(FULL_DATA, "full")


@pytest.fixture(scope="session")
def small_server(browser, small_path):
    yield from serve(small_path, "small")


@pytest.fixture(scope="session")
def hostile_server(browser, hostile_path):
    yield from serve(hostile_path, "hostile")


@pytest.fixture(scope="session")
def screens(browser):
    """One browser context per kind of screen (size and touch) for the whole run. Its HTTP and
    code caches make each later page load about a third faster (1.8 s to 1.2 s, measured)."""
    made = {}

    def context_for(width: int, height: int, touch: bool):
        if (width, height, touch) not in made:
            context = browser.new_context(viewport={"width": width, "height": height},
                                          has_touch=touch, is_mobile=touch)
            # No tiles, as on a machine without internet (and nothing leaves the test machine).
            context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
            made[width, height, touch] = context
        return made[width, height, touch]

    yield context_for
    for context in made.values():
        context.close()


class ReusablePage:
    """Tracks what a test adds to a page (routes, listeners, a viewport) so that the page can
    be put back as it was and lent to the next test: a new page starts a renderer, which costs
    about a third of a page load's CPU (3.6 against 2.6 CPU-s per load, measured)."""

    def __init__(self, page, screen: tuple[int, int, bool]):
        self.page, self.screen = page, screen
        self.size = {"width": screen[0], "height": screen[1]}
        self.routes, self.listeners = [], []
        on, route = page.on, page.route

        def tracked_on(event, handler):
            self.listeners.append((event, handler))
            return on(event, handler)

        def tracked_route(url, handler, **options):
            self.routes.append((url, handler))
            return route(url, handler, **options)

        page.on, page.route = tracked_on, tracked_route

    def reset(self) -> bool:
        """Back to a blank document on the screen's own size; False if it cannot be."""
        page = self.page
        if page.is_closed():
            return False
        try:
            page.goto("about:blank")
            for event, handler in self.listeners:
                page.remove_listener(event, handler)
            for url, handler in self.routes:
                page.unroute(url, handler)
            if page.viewport_size != self.size:
                page.set_viewport_size(self.size)
        except Exception:  # a page a test left broken is closed, not lent again
            page.close()
            return False
        self.listeners.clear()
        self.routes.clear()
        page.dialogs.clear()
        return True


class PagePool:
    """Blank pages per kind of screen, lent to one test at a time."""

    def __init__(self, screens):
        self.screens, self.free = screens, {}

    def borrow(self, width: int, height: int, touch: bool) -> ReusablePage:
        waiting = self.free.setdefault((width, height, touch), [])
        if waiting:
            return waiting.pop()
        page = self.screens(width, height, touch).new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message),
                                          dialog.dismiss()))
        return ReusablePage(page, (width, height, touch))

    def give_back(self, lent: ReusablePage) -> None:
        self.screens(*lent.screen).clear_permissions()  # a test's grant (the clipboard) ends
        if lent.reset():
            self.free[lent.screen].append(lent)

    def close(self) -> None:
        for waiting in self.free.values():
            for lent in waiting:
                lent.page.close()


@pytest.fixture(scope="session")
def page_pool(screens):
    pool = PagePool(screens)
    yield pool
    pool.close()


@pytest.fixture
def screen(page_pool):
    """The one viewport factory: screen(width, height, touch) is a page on such a screen,
    blank and the test's own until it ends. Dialogs are dismissed and kept in
    ``page.dialogs``."""
    lent = []

    def make(width: int = 1366, height: int = 768, touch: bool = False):
        lent.append(page_pool.borrow(width, height, touch))
        return lent[-1].page

    yield make
    for borrowed in lent:
        page_pool.give_back(borrowed)


@pytest.fixture
def page(screen):
    return screen(1500, 1000)


def markers(page):
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-member").first.wait_for(state="visible", timeout=30_000)
    return frame.locator(".atlas-member")


def wait_for_count(locator, expected: int, timeout: float = 20) -> int:
    """The locator's count once it is ``expected`` (or, after ``timeout``, whatever it is)."""
    try:
        expect(locator).to_have_count(expected, timeout=timeout * 1000)
    except AssertionError:
        pass  # the caller's assert shows the count it got
    return locator.count()


# Our two pickers on the page (Streamlit keys them "w_<name>_picker").
COUNTRY, CITY = ".st-key-w_country_picker", ".st-key-w_city_picker"


def type_into(page, scope: str, text: str):
    """Click a picker's box and type, as a person would; returns the box."""
    box = page.locator(f"{scope} input")
    box.click()
    page.keyboard.type(text)
    # Every key is in (the list is ranked in the input event itself).
    expect(box).to_have_value(re.compile(re.escape(text) + "$"))
    return box



def details_text(page) -> str:
    return page.locator(".st-key-details_panel").inner_text()


def drawn_members(page) -> int:
    """Members the map draws: single markers plus the members counted on clusters."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-member, .atlas-cluster").first.wait_for(state="visible",
                                                                  timeout=30_000)
    return frame.locator(".atlas-member").count() + sum(
        int(text) for text in frame.locator(".atlas-cluster .atlas-count").all_inner_texts())


# The members the map draws (single markers plus the counts on clusters), in its frame.
DRAWN = """() => document.querySelectorAll('.atlas-member').length +
  [...document.querySelectorAll('.atlas-cluster .atlas-count')]
    .reduce((sum, e) => sum + Number(e.textContent), 0)"""


def map_frame(page):
    return page.locator(MAP_FRAME).element_handle(timeout=30_000).content_frame()


def wait_for_drawn(page, expected: int, timeout: float = 20) -> int:
    """The members drawn once they are ``expected`` (or, after ``timeout``, however many)."""
    drawn_members(page)  # the map has drawn something
    frame = map_frame(page)
    try:
        frame.wait_for_function(f"() => ({DRAWN})() === {int(expected)}", polling=100,
                                timeout=timeout * 1000)
    except PlaywrightTimeout:
        pass  # the caller's assert shows the count it got
    return frame.evaluate(DRAWN)


# Resolves once the element's box has not moved for ``quiet`` ms of animation frames.
STILL_FOR = """(element, [quiet, limit]) => new Promise(resolve => {
  let last = null, since = 0;
  const given = performance.now();
  // Timers, not animation frames: Chromium throttles the frames of an off-screen iframe.
  function tick() {
    const now = performance.now(), r = element.getBoundingClientRect();
    const where = [r.x, r.y, r.width, r.height].map(Math.round).join();
    if (where !== last || r.width === 0) { last = where; since = now; }
    if (now - since >= quiet) { resolve(true); }
    else if (now - given > limit) { resolve(false); }
    else { setTimeout(tick, 30); }
  }
  tick();
})"""


def wait_for_layout(locator, quiet: float = 0.6, timeout: float = 20) -> None:
    """Wait until the element has kept its place and size for ``quiet`` seconds.

    A rerun or a smooth scroll can still move it after it first shows, and a tap aimed at
    where it was lands elsewhere.
    """
    locator.wait_for(state="visible", timeout=timeout * 1000)
    if not locator.evaluate(STILL_FOR, [quiet * 1000, timeout * 1000]):
        raise AssertionError(f"{locator} kept moving for {timeout} s")


# The map is still: no zoom or cluster animation running, and nothing moved for 120 ms.
MAP_STILL = """(limit) => new Promise(resolve => {
  const given = performance.now();
  const busy = () => document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim');
  const where = () => [...document.querySelectorAll('.atlas-member, .atlas-cluster')]
    .map(e => e.style.transform).join();
  let last = where(), calm = 0;
  function tick() {
    const now = where();
    calm = !busy() && now === last ? calm + 1 : 0;
    last = now;
    if (calm >= 3) { resolve(true); }
    else if (performance.now() - given > limit) { resolve(false); }
    else { setTimeout(tick, 40); }
  }
  setTimeout(tick, 40);
})"""


def wait_for_map_still(page, timeout: float = 15) -> None:
    """Wait until the map has finished moving (after a pan, a zoom or a cluster's spread)."""
    assert map_frame(page).evaluate(MAP_STILL, timeout * 1000), f"the map kept moving {timeout} s"


def wait_for_page_idle(page, timeout: float = 30) -> None:
    """Wait until Streamlit has finished running the page script (its own marker of it) and
    our pickers have drawn their data (their label comes with it)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        state="attached", timeout=timeout * 1000)
    page.wait_for_function(PICKERS_DRAWN, timeout=timeout * 1000, polling=100)


# Every picker of ours (a Streamlit component in a shadow root, in an element keyed
# "st-key-w_..._picker") has drawn its data: its label
# has text. The sidebar always holds the country picker, so a page with one has at least one.
PICKERS_DRAWN = """() => {
  const hosts = [...document.querySelectorAll(
    "[class*='_picker'] [data-testid='stBidiComponentIsolated']")];
  if (document.querySelector("[data-testid='stSidebar']") && hosts.length === 0) return false;
  return hosts.every(host => {
    const label = (host.shadowRoot || host).querySelector("label.label");
    return label !== null && label.textContent.trim() !== "";
  });
}"""


# The three screens every view is judged on: two laptops and a phone.
SIZES = ((1366, 768), (1440, 900), (390, 844))


def assert_keeps_switch_and_downloads(page) -> None:
    """Every view keeps the view switch and the downloads, at every width; returns once the
    page's run has finished (the GeoJSON download is drawn after the map)."""
    geojson = page.get_by_role("button", name="Download GeoJSON")
    geojson.wait_for(timeout=15_000)
    assert page.locator(".st-key-w_view").is_visible() and geojson.count() == 1
    assert page.get_by_role("button", name="Download CSV").count() == 1
    wait_for_page_idle(page)
