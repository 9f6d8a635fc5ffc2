"""The page around the map in Debian's Chromium (Playwright, the real app): the layout on a
laptop and a phone, the pickers with typed text, the empty state, and a tap's details.

Screenshots go to tests/artifacts/page-*.png, to be opened and looked at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from dashboard.assets import TEST_ASSETS, missing_test_files
from tests.dashboard.browser_support import (
    ARTIFACTS,
    MAP_FRAME,
    assert_keeps_switch_and_downloads,
    details_text,
    require,
    wait_for_map_still,
    wait_for_page_idle,
)

pytestmark = pytest.mark.browser
LAPTOPS = [(1366, 768), (1440, 900)]
PHONE = (390, 844)


@pytest.fixture
def open_page(screen):
    def make(url: str, width: int, height: int, touch: bool = False):
        page = screen(width, height, touch)
        page.goto(url)
        wait_for_map(page)
        return page

    return make


def member_count(page, timeout: float = 30) -> int:
    """Markers and clusters in the map, once one map frame stands (a filter change mounts a
    new frame beside the old one for a moment); 0 if none appears within the timeout."""
    drawn = page.frame_locator(MAP_FRAME).locator(
        ".atlas-member, .atlas-cluster, .leaflet-marker-icon")
    try:
        expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=timeout * 1000)
        expect(drawn.first).to_be_attached(timeout=timeout * 1000)
    except AssertionError:
        return 0
    return drawn.count()


def empty_map(page, timeout: float = 20) -> bool:
    """Whether one map frame stands with no marker in it, within the timeout."""
    frame = page.frame_locator(MAP_FRAME)
    try:
        expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=timeout * 1000)
        expect(frame.locator(".leaflet-container")).to_have_count(1, timeout=timeout * 1000)
        expect(frame.locator(".atlas-member, .atlas-cluster")).to_have_count(
            0, timeout=timeout * 1000)
    except AssertionError:
        return False
    return True


def wait_for_map(page) -> None:
    assert member_count(page) > 0, "no marker appeared on the map"
    wait_for_page_idle(page)  # the page's last elements are in
    wait_for_map_still(page)


def box_of(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box


def test_on_a_laptop_the_whole_map_and_the_panel_fit_the_first_screen(open_page, small_server):
    for width, height in LAPTOPS:
        page = open_page(small_server.url, width, height)
        assert_keeps_switch_and_downloads(page)
        page.screenshot(path=str(ARTIFACTS / f"page-{width}x{height}.png"))
        page.screenshot(path=str(ARTIFACTS / f"view-map-{width}.png"), full_page=True)
        frame, panel = box_of(page, MAP_FRAME), box_of(page, ".st-key-details_panel")
        assert frame["y"] >= 0 and frame["y"] + frame["height"] <= height, (width, frame)
        # The panel stands beside the map, its top on the first screen.
        assert panel["x"] >= frame["x"] + frame["width"], (width, panel, frame)
        assert panel["y"] < height - 100, (width, panel)
        # The counts take one line.
        metrics = page.locator(".st-key-headline_counts [data-testid='stMetric']")
        tops = {round(m.bounding_box()["y"]) for m in metrics.all()}
        assert metrics.count() == 5 and len(tops) == 1, tops


def tappable_member(page, height: int) -> tuple[str, float, float]:
    """(aria-label, x, y) of a single member marker wholly on the first screen."""
    frame = box_of(page, MAP_FRAME)
    found = page.locator(MAP_FRAME).element_handle().content_frame().evaluate("""() => {
        const legend = document.querySelector('.atlas-legend');
        const avoid = legend ? legend.getBoundingClientRect() : null;
        return [...document.querySelectorAll('.atlas-member')].map(e => {
            const r = e.getBoundingClientRect();
            const under = avoid && r.right > avoid.left && r.left < avoid.right &&
                r.bottom > avoid.top && r.top < avoid.bottom;
            return [e.getAttribute('aria-label') || '', r.left + r.width / 2,
                    r.top + r.height / 2, under];
        });
    }""")
    for label, x, y, under in found:
        px, py = frame["x"] + x, frame["y"] + y
        if not under and 60 < x < frame["width"] - 15 and 15 < py < height - 15 and label:
            return label, px, py
    raise AssertionError(f"no single member to tap on the first screen: {found}")


def test_on_a_phone_the_map_starts_on_the_first_screen_and_a_tap_brings_details(
        open_page, small_server):
    width, height = PHONE
    page = open_page(small_server.url, width, height, touch=True)
    assert_keeps_switch_and_downloads(page)
    page.screenshot(path=str(ARTIFACTS / "page-390x844.png"))
    page.screenshot(path=str(ARTIFACTS / "view-map-390.png"), full_page=True)
    frame = box_of(page, MAP_FRAME)
    assert height - frame["y"] >= 200, frame
    # Compact counts: at most two short lines of them.
    metrics = page.locator(".st-key-headline_counts [data-testid='stMetric']")
    assert len({round(m.bounding_box()["y"]) for m in metrics.all()}) <= 2
    # A tapped city's details come into view.
    label, x, y = tappable_member(page, height)
    city = label.split(", ")[0]
    page.touchscreen.tap(x, y)
    panel = page.locator(".st-key-details_panel")
    panel.get_by_text(city, exact=True).first.wait_for(timeout=15_000)
    try:  # it scrolls smoothly into view
        panel.evaluate(f"""e => new Promise(resolve => {{
            const given = performance.now();
            (function look() {{
                const top = e.getBoundingClientRect().top;
                if ((top >= 0 && top < {height * 0.5}) || performance.now() - given > 10000) {{
                    resolve(top);
                }} else {{ setTimeout(look, 50); }}
            }})();
        }})""")
    except PlaywrightError:
        pass  # the assert below says where it stopped
    page.screenshot(path=str(ARTIFACTS / "page-390x844-tapped.png"))
    box = panel.bounding_box()
    assert 0 <= box["y"] < height * 0.5, f"the panel's top is at {box['y']:.0f} px"
    assert city in details_text(page)


def pick(page, widget_key: str, typed: str) -> list[str]:
    """Type into a picker, read the options it offers, press Enter; return the options.

    Works for Streamlit's pickers and for the ranked ones (dashboard/picker.js)."""
    box = page.locator(f".st-key-{widget_key} input")
    box.fill("")
    box.click()
    page.keyboard.type(typed)
    expect(box).to_have_value(typed)  # every key is in: the list answers the whole text
    wait_for_page_idle(page)
    offered = page.locator(f".st-key-{widget_key} [role=option]").all_inner_texts() or \
        page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    return [" · ".join(text.split("\n")) for text in offered]


def chips(page) -> list[str]:
    """The countries chosen in the Country picker, as its chips name them."""
    buttons = page.locator(".st-key-w_country_picker button.chip")
    return [buttons.nth(i).get_attribute("aria-label").removeprefix("Remove ")
            for i in range(buttons.count())]


def test_korea_and_common_country_names_pick_their_country_first(open_page, full_server):
    page = open_page(full_server.url, 1366, 768)
    offered = pick(page, "w_country_picker", "Korea")
    assert offered == ["Republic of Korea"], offered
    page.wait_for_function("location.href.endsWith('country=KR')", timeout=15_000)
    assert chips(page) == ["Republic of Korea"]
    # "UK" is also the start of Ukraine, "US" a part of Australia and Belarus: the country
    # that has what was typed as a name comes first, and Enter picks it.
    wanted = [("Turkey", "TR", "Türkiye"), ("Vietnam", "VN", "Viet Nam"),
              ("USA", "US", "United States of America"),
              ("UK", "GB", "United Kingdom of Great Britain and Northern Ireland"),
              ("Ivory Coast", "CI", "Côte d'Ivoire")]
    for typed, code, name in wanted:
        offered = pick(page, "w_country_picker", typed)
        assert offered and offered[0].split(" · ")[0] == name, (typed, offered)
        if typed == "UK":
            assert offered[0] == f"{name} · also UK" and "Ukraine" in offered[1:], offered
        page.wait_for_function(f"location.href.includes('{code}')", timeout=15_000)
    # Tanzania has no member: nothing is offered, and Enter picks nothing.
    assert pick(page, "w_country_picker", "Tanzania") == []
    wait_for_page_idle(page)  # had Enter picked something, its rerun would have run
    query = page.evaluate("new URL(location.href).searchParams.get('country')")
    assert query.split(",") == ["KR"] + [code for _, code, _ in wanted], query
    assert chips(page) == ["Republic of Korea"] + [name for _, _, name in wanted]
    page.screenshot(path=str(ARTIFACTS / "page-country-chips.png"))


def test_find_a_city_ranks_the_city_named_first_and_matches_names(open_page, full_server):
    page = open_page(full_server.url, 1366, 768)
    # Each is also a part of an earlier name: Changzhou, Beijing (China), Riyadh Al Khabra,
    # Nabeul (Tunisia).
    for typed, member_id in [("Hangzhou", "cn-hangzhou"), ("Hina", "cm-hina"),
                             ("Riyadh", "sa-riyadh"), ("Tunis", "tn-tunis")]:
        offered = pick(page, "w_city_picker", typed)
        assert offered[0].split(" · ")[0] == typed, (typed, offered)
        page.wait_for_function(f"location.href.includes('city={member_id}')",
                               timeout=15_000)
        page.locator(".st-key-details_panel").get_by_text(typed, exact=True).wait_for(
            timeout=15_000)
    # Same page: names, not scattered letters. A 2019-only map has no Seoul, and its choice
    # drops the chosen Tunis (a 2015-2018 member), as a link to it would.
    pick(page, "w_rounds", "2019")
    page.wait_for_url("**round=2019", timeout=15_000)
    wait_for_map(page)
    offered = pick(page, "w_city_picker", "Seoul")
    assert offered == [], offered
    assert page.locator(".st-key-w_city_picker .none").text_content() == "No city shown matches"
    wait_for_page_idle(page)
    assert "Setúbal" not in details_text(page) and "city=" not in page.url
    # Without accents: "setubal" finds Setúbal (a 2019 member) and Enter picks it.
    offered = pick(page, "w_city_picker", "setubal")
    assert offered == ["Setúbal · Portugal"], offered
    page.locator(".st-key-details_panel").get_by_text("Setúbal", exact=True).wait_for(
        timeout=15_000)
    assert page.locator(".st-key-w_city_picker input").input_value() == "Setúbal"


def test_an_empty_result_says_so_and_clear_filters_brings_the_map_back(open_page, small_server):
    page = open_page(small_server.url, 1366, 768)
    assert member_count(page) > 0
    page.locator(".st-key-w_search input").fill("no such place")
    page.keyboard.press("Enter")
    page.get_by_text("No member matches the current filters").wait_for(timeout=15_000)
    assert empty_map(page), "the map still shows members"
    clear = page.get_by_role("button", name="Clear filters")
    clear.wait_for()
    wait_for_page_idle(page)  # the rest of the page is in before the picture
    page.screenshot(path=str(ARTIFACTS / "page-empty.png"))
    # The empty map's frame may still send its first value (a rerun): click on a settled page.
    wait_for_page_idle(page)
    clear.click()
    page.get_by_text("No member matches the current filters").wait_for(
        state="detached", timeout=15_000)
    assert member_count(page) > 0
    assert page.locator(".st-key-w_search input").input_value() == ""
    assert "q=" not in page.url


AXE_ON_THE_PAGE = """async () => {
    const r = await axe.run({exclude: [["iframe"]]},
                            {iframes: false, resultTypes: ['violations']});
    return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => v.id + ': ' + v.nodes.map(n => n.html.slice(0, 100)).join(' | '));
}"""


def serious_axe_findings(page) -> list[str]:
    """axe-core's serious and critical findings on the page itself (the map's frame is
    checked by the map's tests)."""
    require(not missing_test_files(), "axe-core missing: run python -m dashboard.vendor")
    page.add_script_tag(path=str(TEST_ASSETS["axe-core"].local_path))
    return page.evaluate(AXE_ON_THE_PAGE)


def test_axe_finds_no_serious_problem_on_the_page_on_a_phone(open_page, small_server):
    """On a laptop, the keyboard test below runs axe on the same page."""
    page = open_page(f"{small_server.url}/?city=pt-lisbon", *PHONE, True)
    page.locator(".st-key-details_panel").get_by_text("Lisbon", exact=True).wait_for()
    assert serious_axe_findings(page) == []


FOCUS_OF = """() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    const host = a.getRootNode().host || a;
    // A text field shows its focus on its box (page.css), anything else on itself.
    const ring = a.closest('.react-aria-ComboBox > [role="group"], .field, ' +
                           '[data-testid="stTextInputRootElement"]') || a;
    const style = getComputedStyle(ring);
    const key = [...(host.closest('[class*="st-key-w_"], .st-key-details_panel') || {classList: []})
                 .classList].find(c => c.startsWith('st-key-')) || '';
    return {tag: a.tagName, key: key.replace('st-key-', ''),
            label: (a.getAttribute('aria-label') || a.innerText || '').slice(0, 60),
            visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'};
}"""


def test_keyboard_alone_reaches_the_filters_the_map_the_picker_and_the_panel_and_axe_passes(
        open_page, small_server):
    page = open_page(f"{small_server.url}/?city=pt-lisbon", 1366, 768)
    page.locator(".st-key-details_panel").get_by_text("Lisbon", exact=True).wait_for()
    stops, unseen = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_OF)  # focus moves within the key press
        stops.append(focus["key"] or focus["tag"])
        if focus["tag"] not in ("IFRAME", "BODY", "MAIN") and not focus["visible"]:
            unseen.append(focus)
        if focus["key"] == "details_panel" and focus["tag"] == "A" and "http" in focus["label"]:
            break
    order = [key for key in ("w_rounds", "w_country_picker", "w_search", "w_focus", "IFRAME",
                             "w_city_picker", "details_panel") if key in stops]
    assert order == ["w_rounds", "w_country_picker", "w_search", "w_focus", "IFRAME",
                     "w_city_picker", "details_panel"], stops
    # The map's frame holds the keyboard for a few stops only (its controls), then lets go.
    assert stops.count("IFRAME") <= 12, stops
    assert unseen == [], unseen
    page.screenshot(path=str(ARTIFACTS / "page-keyboard-panel.png"))
    assert serious_axe_findings(page) == []
