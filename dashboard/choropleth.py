"""The "countries by round" map: each country shaded by the round its first member joined,
with a legend and a play control that steps through the rounds in the browser.

Round order comes from the data. Shapes are Natural Earth's (dashboard.shapes); the map is
built with folium and its script is added verbatim (mapview.VerbatimParts): data reaches it
only as JSON through mapview.safe_json, and the DOM only through textContent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import pandas as pd
from folium.template import Template

from dashboard import assets
from dashboard.asof import timeline
from dashboard.map.folium_map import MAP_HEIGHT
from dashboard.map.jsdata import safe_json
from dashboard.mapparts import VerbatimParts

# Viridis stops (perceptually even, colour-blind safe); a round's colour is read off this
# scale by its place in time, so the palette stretches to however many rounds the data has.
VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")


def _mix(a: str, b: str, t: float) -> str:
    ca, cb = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def round_colours(rounds: Sequence[str]) -> dict[str, str]:
    """Earliest round darkest, latest lightest, evenly spaced along the scale."""
    colours = {}
    for i, key in enumerate(rounds):
        position = i / max(len(rounds) - 1, 1) * (len(VIRIDIS) - 1)
        low = min(int(position), len(VIRIDIS) - 2)
        colours[key] = _mix(VIRIDIS[low], VIRIDIS[low + 1], position - low)
    return colours


def first_rounds(members: pd.DataFrame, round_keys: Sequence[str]) -> dict[str, str]:
    """ISO code -> the round of the country's earliest member (undated members aside)."""
    order = timeline(round_keys)
    dated = members[members["round"].isin(order)]
    earliest = dated.groupby("iso2")["round"].agg(lambda rs: min(rs, key=order.index))
    return dict(earliest.items())


@dataclass(frozen=True)
class JoinedView:
    """What the countries map shows; equal views give identical scripts."""

    countries: str  # GeoJSON text of the countries to shade (properties: iso2)
    joined: tuple[tuple[str, str, str], ...]  # (iso2, country name, round) per country
    rounds: tuple[tuple[str, str, str], ...]  # (round, label, colour) in time order
    members: tuple[tuple, ...]  # (city, country, round, lon, lat) of placed members


def joined_view(members: pd.DataFrame, round_keys: Sequence[str], label, names: dict,
                shapes_of) -> JoinedView:
    """The view of a members table. ``shapes_of(frozenset of codes)`` gives GeoJSON text."""
    joined = first_rounds(members, round_keys)
    present = set(members["round"])
    order = [k for k in timeline(round_keys) if k in present]  # the play control's steps
    colours = round_colours(order)
    placed = members[members["lat"].notna() & members["round"].isin(order)]
    return JoinedView(
        countries=shapes_of(frozenset(joined)),
        joined=tuple((code, names.get(code, code), key) for code, key in sorted(joined.items())),
        rounds=tuple((key, label(key), colours[key]) for key in order),
        members=tuple((m.city, m.country, m.round, round(float(m.lon), 4),
                       round(float(m.lat), 4)) for m in placed.itertuples(index=False)),
    )


class JoinedLayer(VerbatimParts):
    """Shaded countries, member dots, legend and the play control."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var shapes = {{ this.shapes_json }};
  var joined = {{ this.joined_json }};
  var rounds = {{ this.rounds_json }};
  var members = {{ this.members_json }};
  var step = {}, colour = {}, label = {}, country = {};
  rounds.forEach(function (r, i) { step[r[0]] = i; colour[r[0]] = r[2]; label[r[0]] = r[1]; });
  joined.forEach(function (j) { country[j[0]] = j; });
  function el(tag, text, parent, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  // Every country in light grey below the shading, so the world reads as a map without tiles.
  map.createPane("atlasBasemap").style.zIndex = 250;
  fetch({{ this.basemap_url }}).then(function (reply) {
    return reply.ok ? reply.json() : null;
  }).then(function (countries) {
    if (!countries) { return; }
    L.geoJSON(countries, {pane: "atlasBasemap", interactive: false, style: {
      className: "atlas-basemap", color: "#b7c0c9", weight: 0.5, fillColor: "#f4f2ed",
      fillOpacity: 1}}).addTo(map);
    map.attributionControl.addAttribution("Countries: Natural Earth");
  }).catch(function () {});
  var shown = rounds.length - 1;
  var areas = [], dots = [];
  if (shapes) {
    L.geoJSON(shapes, {
      style: function (f) {
        var r = country[f.properties.iso2][2];
        return {color: "#ffffff", weight: 0.8, fillColor: colour[r], fillOpacity: 0.85,
                className: "atlas-joined"};
      },
      onEachFeature: function (f, layer) {
        var j = country[f.properties.iso2];
        layer.bindTooltip(el("span", j[1] + ": first member in " + label[j[2]]));
        areas.push([layer, step[j[2]]]);
      }
    }).addTo(map);
  }
  members.forEach(function (m) {
    var dot = L.circleMarker([m[4], m[3]], {radius: 3, color: "#222222", weight: 1,
      fillColor: "#ffffff", fillOpacity: 1, className: "atlas-joined-member"});
    dot.bindTooltip(el("span", m[0] + ", " + m[1] + " (" + label[m[2]] + ")"));
    dot.addTo(map);
    dots.push([dot, step[m[2]]]);
  });
  var status;
  function show(upTo) {
    shown = upTo;
    areas.forEach(function (a) {
      a[0].setStyle({fillOpacity: a[1] <= upTo ? 0.85 : 0, opacity: a[1] <= upTo ? 1 : 0});
    });
    dots.forEach(function (d) {
      d[0].setStyle({opacity: d[1] <= upTo ? 1 : 0, fillOpacity: d[1] <= upTo ? 1 : 0});
    });
    var count = 0;
    joined.forEach(function (j) { if (step[j[2]] <= upTo) { count += 1; } });
    if (status && rounds.length) {
      status.textContent = "After " + rounds[upTo][1] + ": " + count + " countries";
    }
  }
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "atlas-legend");
    box.style.cssText = "background:rgba(255,255,255,.94);padding:6px 9px;border-radius:6px;" +
      "font:11px/1.4 sans-serif;color:#222;box-shadow:0 1px 4px rgba(0,0,0,.3)";
    el("strong", "Round of the country's first member", box);
    rounds.forEach(function (r) {
      var row = el("div", "", box);
      var swatch = el("span", "", row);
      swatch.style.cssText = "display:inline-block;width:14px;height:10px;margin-right:5px;" +
        "background:" + r[2];
      row.appendChild(document.createTextNode(r[1]));
    });
    var controls = el("div", "", box);
    controls.style.marginTop = "6px";
    var play = el("button", "\u25B6 Play", controls, "atlas-play");
    play.type = "button";
    play.setAttribute("aria-label", "Play: show the network round by round");
    status = el("div", "", box, "atlas-play-status");
    status.setAttribute("aria-live", "polite");
    var timer = null;
    function stop() {
      clearInterval(timer); timer = null;
      play.textContent = "\u25B6 Play";
    }
    play.onclick = function () {
      if (timer) { stop(); return; }
      show(0);
      play.textContent = "\u2016 Pause";
      timer = setInterval(function () {
        if (shown >= rounds.length - 1) { stop(); return; }
        show(shown + 1);
      }, {{ this.interval_ms }});
    };
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);
  show(rounds.length - 1);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, view: JoinedView, interval_ms: int = 1200):
        super().__init__()
        self._name = "JoinedLayer"
        self.shapes_json = view.countries.replace("<", "\\u003c") or "null"
        self.joined_json = safe_json([list(j) for j in view.joined])
        self.rounds_json = safe_json([list(r) for r in view.rounds])
        self.members_json = safe_json([list(m) for m in view.members])
        self.interval_ms = int(interval_ms)
        self.basemap_url = safe_json(assets.BASEMAP_URL)


class JoinedMap(folium.Map, VerbatimParts):
    """A folium Map that loads only Leaflet, from CDN or locally (like the members map)."""

    def __init__(self, offline: bool, **kwargs):
        super().__init__(**kwargs)
        self.default_js = assets.links(assets.MAP_JS, offline)
        self.default_css = assets.links(assets.MAP_CSS, offline)


def build_map(view: JoinedView, offline: bool) -> folium.Map:
    """The countries map: light tiles-free background, so the shading carries the meaning."""
    fmap = JoinedMap(offline, location=(20, 10), zoom_start=2, min_zoom=1, tiles=None,
                     world_copy_jump=True, zoom_snap=0.25, zoom_delta=0.5,
                     height=MAP_HEIGHT)
    fmap.get_root().header.add_child(folium.Element(
        "<style>.leaflet-container{background:#dde8f0}</style>"))
    JoinedLayer(view).add_to(fmap)
    return fmap
