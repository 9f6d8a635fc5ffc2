"""The ranked picker (dashboard/picker.js) in Debian's Chromium, on the real app.

Its ranking runs over the whole roster here: every city's name and every country's names,
typed as they are, put that member or country first. Then the keyboard, touch, axe-core and
hostile names. Screenshots go to tests/artifacts/picker-*.png.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from dashboard import data, names, picker
from dashboard.assets import TEST_ASSETS, missing_test_files
from tests.dashboard.browser_support import (
    ARTIFACTS,
    CITY,
    COUNTRY,
    FULL_DATA,
    details_text,
    require,
    type_into,
    wait_for_layout,
    wait_for_page_idle,
)

pytestmark = pytest.mark.browser
# The page's ranking, given a query and a picker's payload: the chosen values, best first.
RANKED = """([queries, payload]) => {
    const options = window.atlasPicker.prepare(payload);
    return queries.map(q => window.atlasPicker.rank(q, options).map(h => h.option.value));
}"""


@pytest.fixture(scope="module")
def roster():
    return data.load_atlas(FULL_DATA).members


@pytest.fixture
def opened(screen):
    def make(url: str, width: int = 1366, height: int = 768, touch: bool = False):
        page = screen(width, height, touch)
        page.goto(url)
        page.locator(f"{CITY} input").wait_for(timeout=60_000)
        page.wait_for_function("window.atlasPicker !== undefined", timeout=30_000)
        return page

    return make


def options_of(page, scope: str) -> list[str]:
    return [" · ".join(t.split("\n")) for t in
            page.locator(f"{scope} [role=option]").all_inner_texts()]


@pytest.fixture(scope="module")
def ranking_page(screens, full_server):
    """One page for the checks that only call picker.js's own functions (ranking, folding):
    they change nothing on it, so they share it instead of loading the page each."""
    page = screens(1366, 768, False).new_page()
    page.goto(full_server.url)
    # The letter table arrives with the options file, after the picker itself.
    page.wait_for_function("window.atlasPicker !== undefined && window.atlasPicker.foldsLoaded()",
                           timeout=60_000)
    yield page
    page.close()


def test_every_city_name_typed_puts_that_city_first(ranking_page, roster):
    page = ranking_page
    options, groups = picker.city_options(roster)
    payload = {"options": [o.payload() for o in options], "groups": groups}
    cities = dict(zip(roster["id"], roster["city"], strict=True))
    queries = sorted(set(cities.values()))
    ranked = page.evaluate(RANKED, [queries, payload])
    wrong = {q: [cities[i] for i in found[:3]] for q, found in zip(queries, ranked, strict=True)
             if not found or cities[found[0]] != q}
    assert wrong == {}, wrong
    # Without accents and in capitals, the same.
    plain = [names.fold(q).upper() for q in queries]
    ranked = page.evaluate(RANKED, [plain, payload])
    assert [names.fold(cities[found[0]]) for found in ranked] == [names.fold(q) for q in queries]


def test_every_country_name_and_alias_typed_puts_that_country_first(ranking_page, roster):
    page = ranking_page
    countries = dict(zip(roster["iso2"], roster["country"], strict=False))
    options = picker.country_options(countries)
    payload = {"options": [o.payload() for o in options]}
    typed = [(name, option.value) for option in options for name in option.names]
    assert len(typed) > 2 * len(options)  # the aliases are there to be tested
    ranked = page.evaluate(RANKED, [[name for name, _ in typed], payload])
    wrong = [(name, code, found[:3]) for (name, code), found in zip(typed, ranked, strict=True)
             if not found or found[0] != code]
    assert wrong == [], wrong


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x24F, categories=["L", "Zs", "P"]),
    st.characters(min_codepoint=0x300, max_codepoint=0x36F),
    st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF, categories=["L"]),
    st.characters(min_codepoint=0x370, max_codepoint=0x4FF, categories=["L"]),  # Greek, Cyrillic
    st.sampled_from("øØłŁæÆœŒßẞđĐðÐıİħĦþÞςΣ")),
    max_size=24))
def test_the_page_folds_names_as_the_search_does(ranking_page, text):
    """picker.js and names.fold must agree, or a name found by search is missed by a picker."""
    assert ranking_page.evaluate("t => window.atlasPicker.fold(t)", text) == names.fold(text)


def test_a_letter_without_accent_finds_its_city(opened, full_server):
    """ø is no accent to Unicode (NFKD keeps it): the one letter table folds it to o."""
    page = opened(full_server.url)
    for typed in ("sonderborg", "SONDERBORG", "sønderborg"):
        box = type_into(page, CITY, typed)
        assert options_of(page, CITY)[0].startswith("Sønderborg"), typed
        box.fill("")
    type_into(page, CITY, "sonderborg")
    page.keyboard.press("Enter")
    page.locator(".st-key-details_panel").get_by_text("Sønderborg").first.wait_for(
        timeout=15_000)


def test_keyboard_arrows_enter_escape_and_backspace(opened, full_server):
    page = opened(full_server.url)
    box = type_into(page, COUNTRY, "UK")
    assert box.get_attribute("aria-expanded") == "true"
    first = options_of(page, COUNTRY)[0]
    assert first.startswith("United Kingdom")
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"{COUNTRY} #{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")  # the arrows move the choice: Ukraine, second
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"{COUNTRY} #{active}").inner_text() == "Ukraine"
    page.keyboard.press("Enter")
    page.wait_for_function("location.href.includes('country=UA')", timeout=15_000)
    assert box.input_value() == "" and box.get_attribute("aria-expanded") == "false"
    assert box.evaluate("e => e.getRootNode().activeElement === e")  # focus stays
    page.keyboard.type("nothing like it")
    page.keyboard.press("Enter")  # no match: nothing is picked
    assert page.locator(f"{COUNTRY} .status").text_content() == "No member country matches"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert box.input_value() == ""
    page.keyboard.press("Backspace")  # in an empty box: takes the last country off
    page.wait_for_function("!location.href.includes('country=')", timeout=15_000)
    assert page.locator(f"{COUNTRY} button.chip").count() == 0


def test_mouse_picks_and_a_chip_removes(opened, full_server):
    page = opened(full_server.url, 1440, 900)
    type_into(page, COUNTRY, "japan")
    page.locator(f"{COUNTRY} [role=option]").first.click()
    page.wait_for_function("location.href.includes('country=JP')", timeout=15_000)
    type_into(page, COUNTRY, "Kenya")
    page.screenshot(path=str(ARTIFACTS / "picker-laptop-open.png"))
    page.locator(f"{COUNTRY} [role=option]").first.click()
    page.wait_for_function("location.href.includes('country=JP%2CKE')"
                           "|| location.href.includes('country=JP,KE')", timeout=15_000)
    page.get_by_role("button", name="Remove Japan").click()
    page.wait_for_function("location.href.includes('country=KE')"
                           "&& !location.href.includes('JP')", timeout=15_000)
    # The address can change before the picker has redrawn its chips: wait for them.
    chips = page.locator(f"{COUNTRY} button.chip")
    expect(chips).to_have_count(1)
    assert [b.get_attribute("aria-label") for b in chips.all()] == ["Remove Kenya"]
    # The longest country name keeps its chip on one line, inside the sidebar's picker.
    type_into(page, COUNTRY, "United Kingdom")
    page.locator(f"{COUNTRY} [role=option]").first.click()
    page.wait_for_function("location.href.includes('GB')", timeout=15_000)
    wait_for_page_idle(page)
    uk = page.get_by_role("button", name=re.compile("^Remove United Kingdom"))
    expect(uk).to_have_attribute("title", re.compile("Northern Ireland$"))
    kenya = page.get_by_role("button", name="Remove Kenya").bounding_box()
    chip, field = uk.bounding_box(), page.locator(f"{COUNTRY} .field").bounding_box()
    assert abs(chip["height"] - kenya["height"]) < 1, "the chip wrapped onto two lines"
    assert chip["x"] + chip["width"] <= field["x"] + field["width"] + 0.5
    page.screenshot(path=str(ARTIFACTS / "picker-long-chip.png"))


def test_a_tap_on_a_phone_picks_a_city(opened, full_server):
    page = opened(full_server.url, 390, 844, touch=True)
    box = page.locator(f"{CITY} input")
    box.scroll_into_view_if_needed()
    wait_for_layout(box)
    box.tap()
    expect(box).to_be_focused()
    box.press_sequentially("lisb")
    expect(box).to_have_value("lisb")
    option = page.locator(f"{CITY} [role=option]").first
    option.wait_for()
    assert options_of(page, CITY)[0] == "Lisbon · Portugal"
    page.screenshot(path=str(ARTIFACTS / "picker-phone-open.png"))
    option.tap()
    page.wait_for_function("location.href.includes('city=pt-lisbon')", timeout=15_000)
    page.locator(".st-key-details_panel").get_by_text("Lisbon", exact=True).wait_for(
        timeout=15_000)
    assert box.input_value() == "Lisbon"
    page.get_by_role("button", name="Clear Find a city").tap()
    page.wait_for_function("!location.href.includes('city=')", timeout=15_000)


AXE_ON_PICKERS = """async () => {
    const r = await axe.run({include: [['.st-key-w_country_picker'], ['.st-key-w_city_picker']]},
                            {resultTypes: ['violations']});
    return r.violations.map(v => v.id + ' ' + v.impact + ': ' +
                            v.nodes.map(n => n.html.slice(0, 80)).join(' | '));
}"""


def test_axe_finds_no_problem_with_a_list_open_or_empty(opened, small_server):
    require(not missing_test_files(), "axe-core missing: run python -m dashboard.vendor")
    page = opened(small_server.url)
    page.add_script_tag(path=str(TEST_ASSETS["axe-core"].local_path))
    type_into(page, COUNTRY, "o")
    page.locator(f"{COUNTRY} [role=option]").first.wait_for()
    assert page.evaluate(AXE_ON_PICKERS) == []
    type_into(page, COUNTRY, "zzz")  # no match: the list says so
    page.locator(f"{COUNTRY} .none").wait_for()
    assert page.evaluate(AXE_ON_PICKERS) == []
    page.locator(f"{COUNTRY} input").fill("")
    type_into(page, COUNTRY, "Türk")
    page.keyboard.press("Enter")
    page.locator(f"{COUNTRY} button.chip").wait_for()  # a chosen country, as a chip
    assert page.evaluate(AXE_ON_PICKERS) == []


def test_hostile_names_stay_text_in_the_picker(opened, hostile_server):
    page = opened(hostile_server.url)
    box = type_into(page, CITY, "<")
    shown = options_of(page, CITY)
    assert "<script>alert('city')</script> · Côte d'Ivoire" in shown
    assert "<img src=x onerror=alert('img')> · Netherlands" in shown
    page.keyboard.type("scr")
    page.keyboard.press("Enter")
    page.locator(".st-key-details_panel").get_by_text(
        "<script>alert('city')</script>").first.wait_for(timeout=15_000)
    box.click()
    page.keyboard.type("{{ 7")  # the chosen name is selected: typing replaces it
    expect(box).to_have_value("{{ 7")
    assert options_of(page, CITY)[0].startswith("Javascript Link {{ 7*7 }} {% if 1 %}")
    wait_for_page_idle(page)
    assert page.locator(f"{CITY} img, {CITY} script").count() == 0
    assert page.dialogs == []
    assert "<script>" in details_text(page)
