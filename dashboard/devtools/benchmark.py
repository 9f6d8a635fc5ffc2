"""``python -m dashboard.devtools.benchmark``: rerun time after a filter change and after a name
search, map script and picker sizes, time to visible markers.

Measured on the full data (geodata/members.geojson, or $ATLAS_DATA, inside or outside the
checkout; the small test fixture if neither exists), against a naive page that rebuilds a
folium marker-per-city map on every rerun (and, for the name search, folds every name on every
rerun). Targets: rerun after a filter change <= 0.1 s and
>= 10x faster than naive; map script <= 150 KB; navigation to visible markers in headless
Chromium <= 2 s.

``python -m dashboard.devtools.benchmark --synthetic 10000 /tmp/members-10k.geojson`` writes
a synthetic file of that many members (copies of the real ones, renamed and moved a little)
to measure a larger network: ``ATLAS_DATA=/tmp/members-10k.geojson python -m
dashboard.devtools.benchmark``. The pages it compares with are in ``dashboard.devtools.naive``.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import random
import statistics
import sys
import time
from pathlib import Path

from dashboard import data
from dashboard.devtools.naive import (
    lean_page,
    naive_growth_page,
    naive_page,
    naive_search_page,
    naive_table_page,
)
from dashboard.devtools.serving import (
    APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    ROOT,
    StreamlitServer,
)
from geodata.paths import atomic_write

FIXTURE = ROOT / "tests" / "fixtures" / "members_small.geojson"
# Filter changes a visitor makes, one rerun each.
ROUND_CHOICES = ([], ["2025"], ["2024"], ["2022", "2024"], ["2019"], ["2020"], ["2025", "2024"])


def data_file() -> Path:
    path = data.data_path()
    return path if path.is_file() else FIXTURE


def timed_reruns(app_test, changes) -> list[float]:
    """Seconds per rerun, one after each change: change(app_test) returns the widget set."""
    app_test.run()
    times = []
    for change in changes:
        widget = change(app_test)
        start = time.perf_counter()
        widget.run()
        times.append(time.perf_counter() - start)
        if app_test.exception:
            raise RuntimeError(app_test.exception)
    return times


def rerun_times(app_test, reruns: int) -> list[float]:
    """Seconds per rerun, each after changing the round filter."""
    choices = [ROUND_CHOICES[(i + 1) % len(ROUND_CHOICES)] for i in range(reruns)]
    return timed_reruns(app_test, [
        lambda at, c=choice: at.multiselect(key="w_rounds").set_value(c) for choice in choices])


def search_queries(members, count: int) -> list[str]:
    """`count` different things a visitor types into "Search by name": the starts of city
    names (4 letters, then 3, then whole names), spread over the alphabet. Each differs, so no
    rerun is served from the cache of an earlier one."""
    cities = sorted(set(members["city"]))
    found: list[str] = []
    for length in (4, 3, None):
        for city in cities[::max(1, len(cities) // count)]:
            typed = city[:length] if length else city
            if typed not in found:
                found.append(typed)
    return found[:count]


def search_times(app_test, queries: list[str]) -> list[float]:
    """Seconds per rerun, each after typing another name into "Search by name"."""
    return timed_reruns(app_test, [
        lambda at, q=typed: at.text_input(key="w_search").set_value(q) for typed in queries])


def picker_bytes(app_test) -> int:
    """What the two ranked pickers send the browser on each rerun (code, style and data)."""
    return sum(len(c.proto.json.encode()) + len(c.proto.js_content.encode())
               + len(c.proto.css_content.encode()) for c in app_test.get("bidi_component"))


def map_script_bytes(app_test) -> int:
    """Size of the map script the page hands to streamlit-folium (default view)."""
    app_test.multiselect(key="w_rounds").set_value([]).run()
    (component,) = app_test.get("component_instance")
    return len(json.loads(component.proto.json_args)["script"].encode())


def map_rerun_bytes(app_test) -> int:
    """What the map component gets on a rerun: its script and the state layer (the member
    table itself is a static file, fetched once)."""
    (component,) = app_test.get("component_instance")
    return len(component.proto.json_args.encode())


# Runs in every frame; in the map's frame it notes the first animation frame after a marker
# exists, on the browser's own clock (performance.timeOrigin is the navigation start).
MARKER_CLOCK = """
(() => {
  if (window.top === window) return;
  const timer = setInterval(() => {
    if (!document.querySelector(".atlas-member, .atlas-cluster")) return;
    clearInterval(timer);
    requestAnimationFrame(() => {
      window.__atlasMarkersAt = performance.timeOrigin + performance.now();
    });
  }, 4);
})();
"""


def time_to_markers(path: Path, rounds: list[str], visits: int = 5
                    ) -> tuple[list[float], list[float], list[int], list[float]]:
    """Seconds from navigation to the first visible marker, per fresh browser page: as the
    page's own clock has it (navigation start to the first frame drawn with markers), and as
    the Playwright wall clock has it (which adds its own polling and round trips); the
    websocket bytes of choosing each of `rounds` (labels) in turn; and the seconds before the
    map's frame existed (Streamlit's own page, the same at any roster size)."""
    from playwright.sync_api import sync_playwright

    server = StreamlitServer(data=path, env={"ATLAS_OFFLINE_ASSETS": "1"})
    url = server.url
    try:
        server.wait_ready(timeout=120)
        in_page, wall, received, before_frame = [], [], [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for visit in range(visits + 1):  # the first visit warms the server's caches
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.add_init_script(MARKER_CLOCK)
                frames: list[int] = []
                page.on("websocket", lambda ws, frames=frames: ws.on(
                    "framereceived", lambda payload: frames.append(len(payload))))
                start = time.perf_counter()
                page.goto(url)
                page.frame_locator(MAP_FRAME).locator(
                    ".atlas-member, .atlas-cluster").first.wait_for(state="visible",
                                                                  timeout=60_000)
                elapsed = time.perf_counter() - start
                (frame,) = [f for f in page.frames if "st_folium" in f.url]
                frame.wait_for_function("window.__atlasMarkersAt !== undefined")
                drawn, framed = frame.evaluate("[window.__atlasMarkersAt, performance.timeOrigin]")
                if visit:
                    origin = page.evaluate("performance.timeOrigin")
                    wall.append(elapsed)
                    in_page.append((drawn - origin) / 1000)
                    before_frame.append((framed - origin) / 1000)
                if visit == visits:
                    try:
                        received = websocket_bytes_per_filter_change(page, frames, rounds)
                    except Exception:
                        page.screenshot(path="/tmp/bench-fail.png")
                        raise
                page.close()
            browser.close()
        return in_page, wall, received, before_frame
    finally:
        server.stop()


def websocket_bytes_per_filter_change(page, frames: list[int], rounds: list[str]
                                      ) -> list[int]:
    """Bytes received over Streamlit's websocket for each of three filter changes (one more
    round chosen in the sidebar each time), once the map has shown the new state."""
    sizes = []
    members = page.frame_locator(MAP_FRAME)
    for label in rounds:
        before, shown_key = len(frames), members.locator("body").evaluate(
            "() => map.atlasMembers._shownKey")
        page.locator(".st-key-w_rounds input").click()
        page.get_by_role("option", name=label, exact=True).click()
        page.keyboard.press("Escape")
        members.locator("body").evaluate("""(old) => new Promise((done) => {
            const poll = () => map.atlasMembers._shownKey !== old ? done() : setTimeout(poll, 50);
            poll(); })""", shown_key)
        # The rerun's last deltas come after the map's state: wait for the script's end.
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
            state="attached")
        sizes.append(sum(frames[before:]))
    return sizes


def write_synthetic(count: int, target: Path, source: Path | None = None) -> int:
    """Write a members file of `count` members: the real ones, then copies of them with a
    numbered id and name, moved up to ~50 km (seeded, so the same file every time). Written
    atomically; returns the number of members written."""
    collection = json.loads((source or data_file()).read_text(encoding="utf-8"))
    placed = [f for f in collection["features"]
              if f.get("geometry") and f["properties"].get("status") != "withdrawn"]
    shake = random.Random(20251204)
    features = []
    for i in range(count):
        feature = json.loads(json.dumps(placed[i % len(placed)]))
        copy = i // len(placed)
        if copy:
            props = feature["properties"]
            props["id"] = f"{props['id']}-synthetic-{copy}"
            if "id" in feature:
                feature["id"] = props["id"]  # the contract: the feature id is the member's
            props["city"] = f"{props['city']} {copy}"
            lon, lat = feature["geometry"]["coordinates"]
            feature["geometry"]["coordinates"] = [
                round(max(-180.0, min(180.0, lon + shake.uniform(-0.5, 0.5))), 4),
                round(max(-85.0, min(85.0, lat + shake.uniform(-0.5, 0.5))), 4)]
        features.append(feature)
    collection["features"] = features
    generator = f"python -m dashboard.devtools.benchmark --synthetic {count}"
    collection["metadata"] = {**collection.get("metadata", {}), "unplaced": [],
                              "generator": generator}
    atomic_write(target, json.dumps(collection, ensure_ascii=False))
    return len(features)


def say(line: str) -> None:
    """Print one figure as soon as it is measured."""
    print(line, flush=True)


def shown_path(path: Path) -> str:
    """The data file as printed: relative inside the checkout, absolute outside it."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(resolved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.devtools.benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", nargs=2, metavar=("COUNT", "FILE"),
                        help="write a synthetic members file of COUNT members and stop")
    parser.add_argument("--skip-naive", action="store_true",
                        help="measure the page only (the naive pages take minutes at 50,000)")
    args = parser.parse_args(argv)
    if args.synthetic:
        count, target = int(args.synthetic[0]), Path(args.synthetic[1])
        written = write_synthetic(count, target)
        print(f"wrote {written} members to {target}; measure with "
              f"ATLAS_DATA={target} python -m dashboard.devtools.benchmark")
        return 0

    from streamlit.testing.v1 import AppTest

    path = data_file().resolve()
    os.environ["ATLAS_DATA"] = str(path)
    atlas = data.load_atlas(path)
    say(f"data: {shown_path(path)} ({len(atlas.members)} members on the map)")

    app = AppTest.from_file(str(APP), default_timeout=120)
    ours = rerun_times(app, 28)
    ours_median = statistics.median(ours)
    say(f"rerun after a filter change, full page, median of {len(ours)}: {ours_median:.3f} s "
        f"[target <= 0.1 s]")
    size, sent = map_script_bytes(app), map_rerun_bytes(app)
    pickers = picker_bytes(app)
    say(f"per rerun: map component {sent / 1000:.1f} KB (its script {size / 1000:.1f} KB, "
        f"the state the rest), the two pickers {pickers / 1000:.1f} KB; the member table and "
        f"the pickers' options are static files, fetched once per data version")
    queries = search_queries(atlas.members, 24)
    searched = search_times(app, queries)
    say(f"rerun after a name search (a new name each time), full page, median of "
        f"{len(searched)}: {statistics.median(searched):.3f} s [target <= 0.1 s]")
    if Path(CHROMIUM).exists():
        in_page, wall, received, before_frame = time_to_markers(
            path, [atlas.round_label(key) for key in atlas.round_keys[:3]])
        framed = statistics.median(before_frame)
        say(f"navigation to visible markers, headless Chromium, median of {len(in_page)}: "
            f"{statistics.median(in_page):.2f} s on the page's clock "
            f"({framed:.2f} s of it before the map's frame existed, the map "
            f"{statistics.median(map(operator.sub, in_page, before_frame)):.2f} s) "
            f"[target <= 2 s at 10,000, <= 3 s at 50,000]; "
            f"{statistics.median(wall):.2f} s on Playwright's wall clock")
        say("websocket bytes received per filter change, Chromium: "
            + ", ".join(f"{b / 1000:.1f} KB" for b in received) + " [target <= 20 KB]")
    else:
        say(f"navigation to visible markers: not measured (no {CHROMIUM})")
    if args.skip_naive:
        return 0
    naive = AppTest.from_function(naive_page, default_timeout=120)
    theirs = rerun_times(naive, 14)
    naive.multiselect(key="w_rounds").set_value([]).run()
    (component,) = naive.get("component_instance")
    naive_size = len(json.loads(component.proto.json_args)["script"].encode())
    naive_median = statistics.median(theirs)
    say(f"naive page (marker per city, script rebuilt each rerun), median of {len(theirs)}: "
        f"{naive_median:.3f} s, script {naive_size / 1000:.1f} KB per rerun: the page is "
        f"{naive_median / ours_median:.1f}x faster and sends {naive_size / sent:.1f}x less")
    lean = rerun_times(AppTest.from_function(lean_page, default_timeout=120), 28)
    lean_median = statistics.median(lean)
    say(f"  like for like (one filter + map), median of {len(lean)}: atlas map "
        f"{lean_median:.3f} s: {naive_median / lean_median:.1f}x faster [target >= 10x]")
    naive_searched = search_times(
        AppTest.from_function(naive_search_page, default_timeout=120), queries[:12])
    say(f"naive search page, median of {len(naive_searched)}: "
        f"{statistics.median(naive_searched):.3f} s: "
        f"{statistics.median(naive_searched) / statistics.median(searched):.1f}x slower")
    return 0


def views_main() -> int:
    """Rerun time of the table and growth views after a filter change, against naive pages."""
    from streamlit.testing.v1 import AppTest

    path = data_file()
    os.environ["ATLAS_DATA"] = str(path)
    atlas = data.load_atlas(path)
    print(f"data: {path.relative_to(ROOT)} ({len(atlas.roster)} members in the roster)")
    naive_pages = {"table": naive_table_page, "growth": naive_growth_page}
    for view, naive_page_of_view in naive_pages.items():
        app = AppTest.from_file(str(APP), default_timeout=120)
        app.query_params["view"] = view
        ours = statistics.median(rerun_times(app, 28))
        theirs = statistics.median(
            rerun_times(AppTest.from_function(naive_page_of_view, default_timeout=120), 14))
        print(f"{view} view: rerun after a filter change, full page, median of 28: "
              f"{ours:.3f} s [target <= 0.1 s]; naive {view} page (no caching, one filter): "
              f"{theirs:.3f} s, {theirs / ours:.1f}x slower")
    return 0


if __name__ == "__main__":
    sys.exit(views_main() if sys.argv[1:] == ["views"] else main())
