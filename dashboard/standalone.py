"""A standalone Leaflet page of the current selection, for "Download map (HTML)".

The file works when opened from disk, without a server and without internet: the map's
JavaScript and CSS (every asset in dashboard.assets, read from dashboard/static/vendor/) and
the Natural Earth country outlines are written into it. Tiles are used when they load.
The map is the dashboard's own members layer (atlas-members.js: clusters, shapes, named
markers, legend), started by atlas-standalone.js, all inlined; data reaches the page only as
JSON elements (map.jsdata.safe_json), the DOM only through textContent.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path

import pandas as pd

from dashboard import assets
from dashboard.details import safe_url
from dashboard.highlights import Highlights
from dashboard.map import statics
from dashboard.map.folium_map import LEGEND_FOLD_BELOW, MAX_ZOOM, OSM_ATTRIBUTION, OSM_TILES
from dashboard.map.jsdata import safe_json
from dashboard.map.members import map_state, member_table
from dashboard.map.words import MAP_WORDS

_CSS_URL = re.compile(r"url\((['\"]?)([^'\")]+)\1\)")


def _inline_css_urls(css: str, folder: Path) -> str:
    """Images the CSS refers to, as data: URLs (a file:// page cannot fetch them)."""
    def data_url(match: re.Match) -> str:
        target = folder / match.group(2)
        if match.group(2).startswith(("data:", "#")) or not target.is_file():
            return match.group(0)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return f'url("data:{kind};base64,{base64.b64encode(target.read_bytes()).decode()}")'
    return _CSS_URL.sub(data_url, css)


def _script(text: str) -> str:
    # Nothing in a script element may close it early.
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", text, flags=re.I) + "</script>"


def _style(text: str) -> str:
    return "<style>" + re.sub(r"</(style)", r"<\\/\1", text, flags=re.I) + "</style>"


def vendor_parts() -> tuple[list[str], bool]:
    """<script>/<style> elements for every map asset, inline when installed, else CDN links;
    and whether all of them are inline (the file then works offline)."""
    parts, inline = [], True
    for asset in assets.ALL_ASSETS:
        is_css = asset.path.endswith(".css")
        if asset.local_path.is_file():
            text = asset.local_path.read_text(encoding="utf-8")
            parts.append(_style(_inline_css_urls(text, asset.local_path.parent)) if is_css
                         else _script(text))
        else:
            inline = False
            url = html.escape(asset.cdn_url, quote=True)
            parts.append(f'<link rel="stylesheet" href="{url}">' if is_css
                         else f'<script src="{url}"></script>')
    # Stylesheets first, then the scripts in their listed order (Leaflet before its plugins).
    parts.sort(key=lambda part: not part.startswith(("<style", "<link")))
    return parts, inline


def map_payload(members: pd.DataFrame, round_labels: list[tuple[str, str]],
                marks: Highlights | None = None, focus_label: str = "",
                mark_capitals: bool = True, mark_first_time: bool = True) -> dict:
    """What the page's script draws: the member table (JSON text, as the dashboard's map gets
    it) and state of the placed members, marks of the focus round included, and popup
    details."""
    placed = members[members["lat"].notna() & members["lon"].notna()]
    table = member_table(placed, tuple(round_labels))  # every round: the dashboard's colours
    marks = marks or Highlights("", frozenset(), frozenset())
    state = map_state(table, placed, marks, mark_capitals, mark_first_time, focus_label)
    details = {m.id: [m.admitted or "", safe_url(m.source_url) or ""]
               for m in placed.itertuples(index=False)}
    return {"table": table.text, "state": {**state, "selected": None},
            "extra": {"unplaced": int(len(members) - len(placed)), "details": details}}


# The export's own layout; the map's look is atlas-map.css, its behaviour atlas-standalone.js.
_PAGE_CSS = """
html, body { height: 100%; margin: 0; font: 14px/1.4 system-ui, sans-serif; }
header { padding: 6px 12px; background: #17324d; color: #fff; }
header h1 { font-size: 17px; margin: 0; }
header p { margin: 2px 0 0; font-size: 12px; }
#map { position: absolute; top: 58px; bottom: 0; left: 0; right: 0; }
"""
# Our files the export inlines, in load order (after Leaflet and its plugins).
STANDALONE_SCRIPTS = ("atlas-core.js", "atlas-labels.js", "atlas-basemap.js",
                      "atlas-members.js", "atlas-standalone.js")


def _json_element(element_id: str, text: str) -> str:
    """Data for the page's script, as a JSON element (safe_json text: no '<' survives)."""
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def map_html(members: pd.DataFrame, round_labels: list[tuple[str, str]], title: str,
             subtitle: str, basemap_json: str | None = None, **marking) -> str:
    """The standalone page (UTF-8 text). ``basemap_json`` defaults to the installed outlines;
    ``marking`` is map_payload's marks, focus_label, mark_capitals and mark_first_time."""
    if basemap_json is None and assets.BASEMAP_FILE.is_file():
        basemap_json = assets.BASEMAP_FILE.read_text(encoding="utf-8")
    vendor, _ = vendor_parts()
    options = {"tiles": OSM_TILES, "attribution": OSM_ATTRIBUTION, "maxZoom": MAX_ZOOM,
               "foldBelow": LEGEND_FOLD_BELOW, "strings": MAP_WORDS}
    payload = map_payload(members, round_labels, **marking)
    data = [_json_element("atlas-table", payload["table"]),  # safe_json text already
            _json_element("atlas-state", safe_json(payload["state"])),
            _json_element("atlas-extra", safe_json(payload["extra"])),
            _json_element("atlas-options", safe_json(options)),
            _json_element("atlas-basemap", (basemap_json or "null").replace("<", "\\u003c"))]
    ours = [_script(statics.file_text(name)) for name in STANDALONE_SCRIPTS]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>", *[p for p in vendor if not p.startswith(
            ("<script", "<link rel=\"modulepreload"))],
        _style(statics.file_text("atlas-map.css")), _style(_PAGE_CSS), "</head>",
        "<body>", f"<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>",
        f'<main id="map" aria-label="{html.escape(title, quote=True)}"></main>',
        *data, *[p for p in vendor if p.startswith("<script")], *ours, "</body>", "</html>",
    ])
