"""Links and data never become markup: the injection repros of the security review, in Chromium.

A trap server on 127.0.0.1 counts every request the page makes to it: an image or link that
Markdown built from a URL parameter or a data field would reach it. Each page must show the
payload as text, fetch nothing from the trap, and hold no styled span or foreign link.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.dashboard.browser_support import ARTIFACTS, serve

pytestmark = pytest.mark.browser

SOURCE_HOST = "https://ok.example"


@pytest.fixture(scope="module")
def trap():
    """An HTTP server on a free loopback port that records the paths asked of it."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            asked.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.asked = asked
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def injected_server(browser, small_path, trap, tmp_path_factory):
    """The small fixture with a round label and a source URL carrying Markdown images."""
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    for entry in collection["metadata"]["rounds"]:
        if entry["round"] == "2025":
            entry["label"] = f"![round]({trap.url}/round.png) 2025 :red[styled]"
    for feature in collection["features"]:
        if feature["id"] == "pt-lisbon":
            feature["properties"]["source_url"] = f"{SOURCE_HOST}/)![src]({trap.url}/src.png)"
    path = tmp_path_factory.mktemp("injected") / "members.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    yield from serve(path, "injected")


def _assert_inert(page, trap, name: str) -> None:
    page.get_by_text("Learning Cities Atlas").first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"injection-{name}.png"), full_page=True)
    main = page.locator("section.main, [data-testid='stMain']").first
    assert main.locator(f"img[src*='{trap.url}']").count() == 0
    # No link leads to the trap host (a member's own source link may quote it in its path).
    assert main.locator(f"a[href^='{trap.url}']").count() == 0
    # Streamlit draws :red[styled] as a span holding just "styled": the payloads' stay text.
    assert main.locator("span", has_text=re.compile(r"^styled$")).count() == 0
    assert trap.asked == [], f"the page fetched {trap.asked} from the trap host"
    assert page.dialogs == []


LINK_PARAMETERS = ["city", "focus", "view", "as_of", "round", "capitals"]


def test_every_link_parameter_is_shown_as_text(page, injected_server, trap):
    """One link with the payload in every parameter: each gets its own notice, all text."""
    payload = f"![x]({trap.url}/p.png) :red[styled] $$x$$"
    query = "&".join(f"{name}={quote(payload)}" for name in LINK_PARAMETERS)
    page.goto(f"{injected_server.url}/?{query}")
    notices = page.locator("[data-testid='stAlert']").filter(has_text="in the link")
    expect(notices).to_have_count(len(LINK_PARAMETERS), timeout=30_000)
    for text in notices.all_inner_texts():
        assert "![x](" in text  # the payload is there, as the characters it is
    _assert_inert(page, trap, "parameters")


def test_an_unknown_parameter_name_and_a_long_value_are_shortened(page, injected_server, trap):
    payload = "![y](" + trap.url + "/n.png)" + "z" * 5000
    page.goto(f"{injected_server.url}/?{quote(payload)}=1&city={quote(payload)}")
    page.get_by_text("Ignored unknown link parameter").wait_for(timeout=30_000)
    for text in page.locator("[data-testid='stAlert']").all_inner_texts():
        assert len(text) < 400, "a notice echoed a long value whole"
    _assert_inert(page, trap, "long")


def test_a_source_url_cannot_break_out_of_its_link(page, injected_server, trap):
    page.goto(f"{injected_server.url}/?city=pt-lisbon")
    panel = page.locator(".st-key-details_panel")
    panel.get_by_text("Source").first.wait_for(timeout=30_000)
    links = panel.locator("a[href^='https://ok.example/']")
    links.first.wait_for(timeout=15_000)
    hrefs = {link.get_attribute("href") for link in links.all()}
    assert len(hrefs) == 1  # one source link (Streamlit may draw it twice)
    href = hrefs.pop()
    assert "(" not in href and ")" not in href and "[" not in href
    _assert_inert(page, trap, "source-url")


def test_repeated_and_unknown_parameters_leave_the_address_and_a_round_label_stays_text(
        page, injected_server, trap):
    page.goto(f"{injected_server.url}/?view=table&view=growth&utm_source=mail")
    page.get_by_text("given more than once").wait_for(timeout=30_000)
    page.get_by_text("How the network grew").wait_for(timeout=15_000)  # the last copy
    page.wait_for_function("!location.search.includes('utm_source')", timeout=15_000)
    assert page.evaluate("location.search") == "?view=growth"
    # The growth view names the rounds: the data's hostile 2025 label is there as text.
    page.get_by_text("![round](", exact=False).first.wait_for(timeout=15_000)
    _assert_inert(page, trap, "round-label")
