"""Shared parts of the browser tests: a real ``streamlit run`` and Debian's Chromium.

Each test process (xdist worker) starts one ``streamlit run`` per data file, on a free
127.0.0.1 port, with the map's assets served locally (ATLAS_OFFLINE_ASSETS=1): this
machine, like CI, has no CDN access.
With CI=true these tests never skip: a missing browser or missing vendored files fail them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.assets import missing_local_files

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
IN_CI = os.environ.get("CI", "").lower() == "true"

def require(condition: bool, why: str) -> None:
    """Skip locally, fail in CI: CI must really run the browser tests."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {why}")
    pytest.skip(why)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`streamlit run dashboard/app.py` on the given data, until stop()."""

    def __init__(self, data: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ATLAS_DATA": str(data), "ATLAS_OFFLINE_ASSETS": "1",
               "ATLAS_PLAY_SECONDS": "0.5"}
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             # No file watcher: the tests never edit the app while it runs.
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"streamlit did not answer on {self.url}")

    def stop(self) -> None:
        # Only the process group this fixture started.
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


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
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = Server(data, ARTIFACTS / f"streamlit-{name}.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    opened = context.new_page()
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()


def markers(page):
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-member").first.wait_for(state="visible", timeout=30_000)
    return frame.locator(".atlas-member")


def wait_for_count(locator, expected: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while (count := locator.count()) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


def details_text(page) -> str:
    return page.locator(".st-key-details_panel").inner_text()


def drawn_members(page) -> int:
    """Members the map draws: single markers plus the members counted on clusters."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-member, .atlas-cluster").first.wait_for(state="visible",
                                                                  timeout=30_000)
    return frame.locator(".atlas-member").count() + sum(
        int(text) for text in frame.locator(".atlas-cluster .atlas-count").all_inner_texts())


def wait_for_drawn(page, expected: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while (count := drawn_members(page)) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


def wait_for_layout(locator, quiet: float = 0.6, timeout: float = 20) -> None:
    """Wait until the element has kept its place and size for ``quiet`` seconds.

    A rerun or a smooth scroll can still move it after it first shows, and a tap aimed at
    where it was lands elsewhere.
    """
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        box = locator.bounding_box()
        where = box and tuple(round(box[k]) for k in ("x", "y", "width", "height"))
        if where != last:
            last, since = where, time.monotonic()
        elif where is not None and time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)
    raise AssertionError(f"{locator} kept moving for {timeout} s")
