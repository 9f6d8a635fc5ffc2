"""The standalone map page: inline assets, every placed member, and no live markup from data."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from dashboard import assets, highlights, standalone
from dashboard.map.jsdata import rows_of


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def page_of(atlas, **kwargs) -> str:
    labels = [(key, atlas.round_label(key)) for key in atlas.round_keys]
    return standalone.map_html(atlas.roster, labels, "Members <b>map</b>", "sub & title",
                               **kwargs)


def payload(text: str, part: str = "table") -> dict:
    return json.loads(re.search(
        rf'<script type="application/json" id="atlas-{part}">(.*?)</script>', text).group(1))


def test_every_placed_member_and_a_note_of_the_others(small_atlas):
    text = page_of(small_atlas, basemap_json="")
    table, extra = payload(text), payload(text, "extra")
    assert sorted(r[0] for r in table["rows"]) == sorted(small_atlas.members["id"])
    assert extra["unplaced"] == 1
    assert sorted(extra["details"]) == sorted(small_atlas.members["id"])
    # The dashboard's rounds and colours, in the data's order.
    assert [r[0] for r in table["rounds"]] == list(small_atlas.round_keys)


def test_the_focus_rounds_marks_travel_with_the_map(small_atlas):
    marks = highlights.compute(small_atlas.members, "2025")
    text = page_of(small_atlas, basemap_json="", marks=marks, focus_label="2025")
    table, state = payload(text), payload(text, "state")
    capitals = rows_of(state["capitals"], len(table["rows"]))
    assert sorted(table["rows"][i][0] for i in capitals) == sorted(marks.new_capital_ids)
    assert sorted(table["countries"][i][0] for i in state["first"]) == sorted(
        marks.first_time_iso2)
    assert rows_of(state["visible"], len(table["rows"])) == list(range(len(table["rows"])))
    unmarked = payload(page_of(small_atlas, basemap_json="", marks=marks, mark_capitals=False,
                               mark_first_time=False), "state")
    assert (unmarked["capitals"], unmarked["first"]) == ("", [])


def test_hostile_text_is_data_never_markup(hostile_atlas):
    text = page_of(hostile_atlas, basemap_json="")
    parsed = Scripts()
    parsed.feed(text)
    tag_names = [t for t, _ in parsed.tags]
    assert "img" not in tag_names
    # The page's own scripts only: the vendor files, our map files and three JSON elements.
    assert len(parsed.scripts) == sum(1 for a in assets.ALL_ASSETS if a.path.endswith(".js")) \
        + len(standalone.STANDALONE_SCRIPTS) + 5
    assert "alert('city')" not in text.replace("\\u003c", "<").split('id="atlas-table"')[0]
    data = payload(text)
    cities = {r[0]: r[1] for r in data["rows"]}
    assert cities["xx-script"] == "<script>alert('city')</script>"  # kept as text
    assert "<script>alert" not in text  # never as live markup
    assert "{{ 7*7 }}" not in text and "Javascript Link {\\u007b 7*7 }}" in text
    assert payload(text, "extra")["details"]["xx-jsurl"][1] == ""  # javascript: source dropped
    assert "<title>Members &lt;b&gt;map&lt;/b&gt;</title>" in text


@pytest.mark.skipif(assets.missing_local_files(), reason="run python -m dashboard.vendor")
def test_assets_are_inline_when_installed(small_atlas):
    parts, inline = standalone.vendor_parts()
    assert inline and all(p.startswith(("<script>", "<style>")) for p in parts)
    text = page_of(small_atlas)
    parsed = Scripts()
    parsed.feed(text)
    fetched = [a for tag, a in parsed.tags if "src" in a or (tag == "link" and "href" in a)]
    assert fetched == []  # nothing is fetched from the network but the tiles
    leaflet = assets.MAP_JS["leaflet"].local_path.read_text(encoding="utf-8")
    assert leaflet[:200] in text
    assert "url(\"data:image/svg+xml;base64," in text  # the CSS's icon, inlined
    assert '"type":"FeatureCollection"' in text  # the country outlines for offline use
