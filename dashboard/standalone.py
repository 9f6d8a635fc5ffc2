"""A standalone Leaflet page of the current selection, for "Download map (HTML)".

The file works when opened from disk, without a server and without internet: the map's
JavaScript and CSS (every asset in dashboard.assets, read from dashboard/static/vendor/) and
the Natural Earth country outlines are written into it. Tiles are used when they load.
Data reaches the page only as JSON (map.jsdata.safe_json), the DOM only through textContent.
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
from dashboard.map.colours import UNKNOWN_COLOUR, round_colours
from dashboard.map.folium_map import OSM_ATTRIBUTION, OSM_TILES
from dashboard.map.jsdata import safe_json

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


def map_payload(members: pd.DataFrame, round_labels: list[tuple[str, str]]) -> dict:
    """What the page's script draws: members (placed only), legend, colours."""
    placed = members[members["lat"].notna() & members["lon"].notna()]
    rows = [[m.id, m.city, m.country, m.round, m.admitted or "", safe_url(m.source_url) or "",
             round(float(m.lon), 5), round(float(m.lat), 5)]
            for m in placed.itertuples(index=False)]
    present = set(placed["round"])
    return {"rows": rows, "legend": [[k, v] for k, v in round_labels if k in present],
            # The same colours as the dashboard's map: by the rounds' order in the data.
            "colours": round_colours([key for key, _ in round_labels]),
            "fallback": UNKNOWN_COLOUR,
            "unplaced": int(len(members) - len(placed))}


_PAGE_SCRIPT = """
(function () {
  var data = DATA, basemap = BASEMAP;
  var labels = {};
  data.legend.forEach(function (pair) { labels[pair[0]] = pair[1]; });
  var map = L.map("map", {worldCopyJump: true, zoomSnap: 0.25, minZoom: 1});
  window.map = map;
  var tiles = L.tileLayer(TILES, {maxZoom: 19, attribution: ATTRIBUTION}).addTo(map);
  var outlines = null;
  function showOutlines() {
    if (outlines || !basemap) { return; }
    map.createPane("countries").style.zIndex = 250;
    map.getContainer().style.background = "#dde8f0";
    outlines = L.geoJSON(basemap, {pane: "countries", interactive: false, style: {
      color: "#8d99a6", weight: 0.6, fillColor: "#f4f2ed", fillOpacity: 1}}).addTo(map);
    map.attributionControl.addAttribution("Countries: Natural Earth");
  }
  tiles.on("tileerror", showOutlines);
  if (location.protocol === "file:" && !navigator.onLine) { showOutlines(); }
  function el(tag, text, parent) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  // Plain markers, never clustered: a few hundred circles draw fast, and every one shows.
  var group = L.featureGroup();
  data.rows.forEach(function (r) {
    var marker = L.circleMarker([r[7], r[6]], {
      radius: 6, color: "#ffffff", weight: 1.2, fillOpacity: 0.9,
      fillColor: data.colours[r[3]] || data.fallback, className: "atlas-member"});
    marker.bindTooltip(el("span", r[1] + ", " + r[2] + " (" + (labels[r[3]] || r[3]) + ")"));
    var popup = el("div");
    el("strong", r[1], popup);
    el("div", r[2], popup);
    el("div", "Round: " + (labels[r[3]] || r[3]) + (r[4] ? ", admitted " + r[4] : ""), popup);
    if (r[5]) {
      var link = el("a", "Source", el("div", "", popup));
      link.href = r[5];
      link.rel = "noopener noreferrer";
      link.target = "_blank";
    }
    marker.bindPopup(popup);
    group.addLayer(marker);
  });
  group.addTo(map);
  if (data.rows.length) {
    map.fitBounds(group.getBounds(), {padding: [24, 24], maxZoom: 6});
  } else {
    map.setView([20, 10], 2);
  }
  var legend = L.control({position: "topright"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "legend");
    data.legend.forEach(function (pair) {
      var row = el("div", "", box);
      var dot = el("span", "\\u25CF", row);
      dot.style.color = data.colours[pair[0]] || data.fallback;
      row.appendChild(document.createTextNode(" " + pair[1]));
    });
    if (data.unplaced) {
      el("div", data.unplaced + " more not placed (no coordinates)", box).className = "note";
    }
    return box;
  };
  legend.addTo(map);
  if (L.control.fullscreen) { L.control.fullscreen({position: "topleft"}).addTo(map); }
})();
"""

_PAGE_CSS = """
html, body { height: 100%; margin: 0; font: 14px/1.4 system-ui, sans-serif; }
header { padding: 6px 12px; background: #17324d; color: #fff; }
header h1 { font-size: 17px; margin: 0; }
header p { margin: 2px 0 0; font-size: 12px; }
#map { position: absolute; top: 58px; bottom: 0; left: 0; right: 0; }
.legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 6px;
          box-shadow: 0 1px 4px rgba(0,0,0,.3); color: #222; font-size: 12px; }
.legend span { display: inline-block; width: 16px; text-align: center; }
.legend .note { margin-top: 4px; color: #555; }
"""


def map_html(members: pd.DataFrame, round_labels: list[tuple[str, str]], title: str,
             subtitle: str, basemap_json: str | None = None) -> str:
    """The standalone page (UTF-8 text). ``basemap_json`` defaults to the installed outlines."""
    if basemap_json is None and assets.BASEMAP_FILE.is_file():
        basemap_json = assets.BASEMAP_FILE.read_text(encoding="utf-8")
    vendor, _ = vendor_parts()
    values = {"DATA": safe_json(map_payload(members, round_labels)),
              "BASEMAP": (basemap_json or "null").replace("<", "\\u003c"),
              "TILES": safe_json(OSM_TILES), "ATTRIBUTION": safe_json(OSM_ATTRIBUTION)}
    # One pass over the template, so a placeholder's name inside the data is left alone.
    script = re.sub(r"\b(DATA|BASEMAP|TILES|ATTRIBUTION)\b", lambda m: values[m.group(1)],
                    _PAGE_SCRIPT)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>", *[p for p in vendor if not p.startswith(
            ("<script", "<link rel=\"modulepreload"))], _style(_PAGE_CSS), "</head>",
        "<body>", f"<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>",
        f'<main id="map" aria-label="{html.escape(title, quote=True)}"></main>',
        *[p for p in vendor if p.startswith("<script")], _script(script), "</body>", "</html>",
    ])
