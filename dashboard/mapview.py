"""Build the folium map: one small script with every member, a legend and country shading.

Folium's own Marker/Tooltip per city would send ~1 KB of script per member and insert tooltip
text as raw HTML. Instead, one layer carries the members as compact JSON rows and builds the
markers in the browser; every text reaches the DOM HTML-escaped or through textContent.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import folium
import pandas as pd
import xyzservices
from branca.element import Element
from folium.elements import MacroElement
from folium.template import Template

from dashboard import assets
from dashboard.highlights import Highlights

# Okabe–Ito colours (colour-blind safe); the yellow is left out, it vanishes on light tiles.
ROUND_COLOURS = {
    "2015-2018": "#E69F00",
    "2019": "#56B4E9",
    "2020": "#009E73",
    "2022": "#CC79A7",
    "2024": "#0072B2",
    "2025": "#D55E00",
    "unknown": "#999999",
}
FALLBACK_COLOUR = "#666666"
SHADE_COLOUR = "#5B2A86"
MAP_HEIGHT = 620
NEW_CAPITAL, FIRST_TIME, DOUBTFUL = 1, 2, 4  # bit flags per member row
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


# Jinja's openers: branca compiles every rendered script again as a template (Element(script)),
# so data containing "{{ 7*7 }}" would be evaluated on the server. In JSON a structural "{" is
# never followed by "{", "%" or "#", so these pairs only occur inside strings, where the second
# character can be written as a unicode escape.
_JINJA_OPENERS = {"{{": "{\\u007b", "{%": "{\\u0025", "{#": "{\\u0023"}


def safe_json(value) -> str:
    """JSON that can sit inside a <script> element and pass through folium's Jinja templates:
    no '<', '>' or '&' survive literally, and no Jinja opener either."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    for opener, escaped in _JINJA_OPENERS.items():
        text = text.replace(opener, escaped)
    return text


@dataclass(frozen=True)
class MapView:
    """What the map shows; equal views give byte-identical scripts (no remount)."""

    rows: tuple[tuple, ...]  # (id, city, country, round, lon, lat, flags)
    round_labels: tuple[tuple[str, str], ...]  # (round, label) in legend order
    shaded_countries: str  # GeoJSON text of the first-time countries' shapes, or ""
    focus_label: str


# Members placed at one shared point (a city's districts all stand at the city) are drawn on
# a ring this far from it, so each can be hovered and clicked once zoomed in (~2 km).
STACK_RING_DEGREES = 0.02


def display_positions(members: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(lon, lat) to draw each member at: its own point, or a place on its stack's ring."""
    positions = {}
    stacks = members.groupby([members["lon"].round(4), members["lat"].round(4)], sort=False)
    for (lon, lat), stack in stacks:
        ids = sorted(stack["id"])
        if len(ids) == 1:
            positions[ids[0]] = (lon, lat)
            continue
        radius = STACK_RING_DEGREES * max(1.0, len(ids) / 6)
        for i, member_id in enumerate(ids):
            angle = 2 * math.pi * i / len(ids)
            positions[member_id] = (round(lon + radius * math.sin(angle), 4),
                                    round(lat + radius * math.cos(angle), 4))
    return positions


def member_rows(members: pd.DataFrame, marks: Highlights, mark_capitals: bool,
                mark_first_time: bool) -> tuple[tuple, ...]:
    """The compact rows the browser turns into markers."""
    rows = []
    drawn_at = display_positions(members)
    for m in members.itertuples(index=False):
        flags = 0
        if mark_capitals and m.id in marks.new_capital_ids:
            flags |= NEW_CAPITAL
        if mark_first_time and m.iso2 in marks.first_time_iso2 and m.round == marks.focus_round:
            flags |= FIRST_TIME
        if m.status == "doubtful":
            flags |= DOUBTFUL
        lon, lat = drawn_at[m.id]
        rows.append((m.id, m.city, m.country, m.round, lon, lat, flags))
    return tuple(rows)


class _Verbatim(Element):
    """Script text that the figure includes as it is.

    branca wraps every rendered script in Element(text), which compiles the text as a Jinja
    template: ~10 ms per rerun for the member JSON, and a trap for data containing "{{".
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def _render_verbatim(element: MacroElement, kwargs: dict) -> None:
    """MacroElement.render without branca's Element(text): each rendered part is added to the
    figure as it is, so it is neither compiled as a template again (~0.4 ms a part, several
    parts a rerun) nor open to "{{" in the text. Plain MacroElement children get the same."""
    figure = element.get_root()
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(_Verbatim(macro(element, kwargs)),
                                            name=element.get_name())
    for child in element._children.values():
        if type(child).render is MacroElement.render:
            _render_verbatim(child, kwargs)
        else:
            child.render(**kwargs)


class VerbatimParts(MacroElement):
    """Listed after a folium class in the bases, this lands just above MacroElement in the
    method order: folium's own render steps (links, includes, add-to-map) still run first."""

    def render(self, **kwargs) -> None:
        _render_verbatim(self, kwargs)


class MemberLayer(VerbatimParts):
    """Members as circle markers (new capitals as stars), with legend and shading."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var rows = {{ this.rows_json }};
  var legendOrder = {{ this.labels_json }};
  var labels = {};
  legendOrder.forEach(function (pair) { labels[pair[0]] = pair[1]; });
  var colours = {{ this.colours_json }};
  var shaded = {{ this.shaded_json }};
  var focusLabel = {{ this.focus_json }};
  function esc(text) {
    return String(text).replace(/[&<>"'`]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }
  if (shaded) {
    map.createPane("atlasCountries");
    map.getPane("atlasCountries").style.zIndex = 350;
    L.geoJSON(shaded, {pane: "atlasCountries", interactive: false, style: {
      color: "{{ this.shade }}", weight: 1, fillColor: "{{ this.shade }}", fillOpacity: 0.22
    }}).addTo(map);
  }
  var features = rows.map(function (r) {
    return {type: "Feature", properties: {id: r[0]},
            geometry: {type: "Point", coordinates: [r[4], r[5]]}};
  });
  var byId = {};
  rows.forEach(function (r) { byId[r[0]] = r; });
  var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
    pointToLayer: function (feature, latlng) {
      var r = byId[feature.properties.id], colour = colours[r[3]] || "{{ this.fallback }}";
      if (r[6] & {{ this.NEW_CAPITAL }}) {
        return L.marker(latlng, {keyboard: true, riseOnHover: true, icon: L.divIcon({
          className: "atlas-member atlas-capital" +
            (r[6] & {{ this.FIRST_TIME }} ? " atlas-first" : ""),
          html: '<span style="color:' + colour + ';font-size:26px;line-height:26px;' +
            'text-shadow:0 0 2px #000,0 0 1px #000">\u2605</span>',
          iconSize: [26, 26], iconAnchor: [13, 13]})});
      }
      var first = r[6] & {{ this.FIRST_TIME }}, doubtful = r[6] & {{ this.DOUBTFUL }};
      return L.circleMarker(latlng, {
        radius: first ? 7 : 5.5, color: first ? "#111111" : "#ffffff",
        weight: first ? 3 : 1.2, dashArray: doubtful ? "2 2" : null,
        fillColor: colour, fillOpacity: 0.9,
        className: "atlas-member" + (first ? " atlas-first" : "")
      });
    },
    onEachFeature: function (feature, marker) {
      var r = byId[feature.properties.id];
      var tip = r[1] + ", " + r[2] + " (" + (labels[r[3]] || r[3]) + ")";
      if (r[6] & {{ this.NEW_CAPITAL }}) { tip += " \u2014 new capital"; }
      if (r[6] & {{ this.DOUBTFUL }}) { tip += " \u2014 doubtful"; }
      marker.bindTooltip(esc(tip), {direction: "top"});
    }
  }).addTo(map);
  if (rows.length) {
    map.fitBounds(layer.getBounds(), {padding: [24, 24], maxZoom: 6});
  }
  var legend = L.control({position: "topright"});  // bottom-left hid Chile and Argentina
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "atlas-legend");
    box.style.cssText = "background:rgba(255,255,255,.92);padding:6px 9px;border-radius:6px;" +
      "font:12px/1.5 sans-serif;color:#222;box-shadow:0 1px 4px rgba(0,0,0,.3)";
    function line(symbol, colour, text, outline) {
      var row = L.DomUtil.create("div", "", box);
      var dot = L.DomUtil.create("span", "", row);
      dot.textContent = symbol;
      dot.style.cssText = "display:inline-block;width:16px;text-align:center;color:" + colour +
        (outline ? ";-webkit-text-stroke:1.5px #111" : "");
      row.appendChild(document.createTextNode(" " + text));
    }
    legendOrder.forEach(function (pair) {
      line("\u25CF", colours[pair[0]] || "{{ this.fallback }}", pair[1]);
    });
    line("\u2605", "#444", "capital new in " + focusLabel);
    line("\u25CF", "#ffffff", "first-time country, " + focusLabel, true);
    line("\u25A0", "{{ this.shade }}", "its country shape");
    return box;
  };
  legend.addTo(map);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, view: MapView):
        super().__init__()
        self._name = "MemberLayer"
        self.rows_json = safe_json([list(r) for r in view.rows])
        self.labels_json = safe_json([list(pair) for pair in view.round_labels])
        self.colours_json = safe_json(ROUND_COLOURS)
        self.shaded_json = view.shaded_countries.replace("<", "\\u003c") or "null"
        self.focus_json = safe_json(view.focus_label)
        self.shade, self.fallback = SHADE_COLOUR, FALLBACK_COLOUR
        self.NEW_CAPITAL, self.FIRST_TIME, self.DOUBTFUL = NEW_CAPITAL, FIRST_TIME, DOUBTFUL


class DeferredFullscreen(VerbatimParts):
    """The leaflet.fullscreen control, loaded after the markers are drawn.

    streamlit-folium loads every default_js file one after another before it runs the map
    script, so a plugin listed there delays the first markers by a round trip or two. This
    element loads the plugin from the map script instead and adds the control when it arrives;
    if it never arrives (offline, files missing) the map simply has no fullscreen button.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var options = {position: "topleft", title: "Full screen", titleCancel: "Exit full screen"};
  function addControl() { L.control.fullscreen(options).addTo(map); }
  if (L.control.fullscreen) { addControl(); return; }
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = {{ this.css_url }};
  document.head.appendChild(css);
  var js = document.createElement("script");
  js.src = {{ this.js_url }};
  js.onload = addControl;
  document.head.appendChild(js);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, offline: bool):
        super().__init__()
        self._name = "DeferredFullscreen"
        ((_, js_url),) = assets.links(assets.FULLSCREEN_JS, offline)
        ((_, css_url),) = assets.links(assets.FULLSCREEN_CSS, offline)
        self.js_url, self.css_url = safe_json(js_url), safe_json(css_url)


class OfflineBasemap(VerbatimParts):
    """Country outlines from a local file, drawn only if the tiles cannot be fetched.

    Without internet the tiles stay blank; this keeps the map readable. Online it costs
    nothing: the file is fetched on the first tile error, not before.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var shown = false;
  function show() {
    if (shown) { return; }
    shown = true;
    fetch({{ this.url_json }}).then(function (reply) {
      return reply.ok ? reply.json() : null;
    }).then(function (countries) {
      if (!countries) { return; }
      map.createPane("atlasBasemap");
      map.getPane("atlasBasemap").style.zIndex = 250;  // above tiles, below everything else
      map.getContainer().style.background = "#dde8f0";
      L.geoJSON(countries, {pane: "atlasBasemap", interactive: false, style: {
        className: "atlas-basemap", color: "#8d99a6", weight: 0.6,
        fillColor: "#f4f2ed", fillOpacity: 1
      }}).addTo(map);
      map.attributionControl.addAttribution("Countries: Natural Earth");
    }).catch(function () {});
  }
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) { layer.on("tileerror", show); }
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, url: str):
        super().__init__()
        self._name = "OfflineBasemap"
        self.url_json = safe_json(url)


class AtlasMap(folium.Map, VerbatimParts):
    """A folium Map that loads only Leaflet (no jQuery/Bootstrap), from CDN or locally."""

    def __init__(self, offline: bool, **kwargs):
        super().__init__(**kwargs)
        self.default_js = assets.links(assets.MAP_JS, offline)
        self.default_css = assets.links(assets.MAP_CSS, offline)


class AtlasTileLayer(folium.TileLayer, VerbatimParts):
    """folium's TileLayer, its parts added to the figure as they are rendered."""


def build_map(view: MapView, offline: bool) -> folium.Map:
    """The folium map for a view (pure: same view, same script)."""
    fmap = AtlasMap(
        offline,
        location=(20, 10),
        zoom_start=2,
        min_zoom=1,
        tiles=None,
        world_copy_jump=True,
        # Fractional zoom lets fitBounds fill the frame instead of snapping to a whole level
        # that leaves most of it empty at world scale.
        zoom_snap=0.25,
        zoom_delta=0.5,
        control_scale=True,
        height=MAP_HEIGHT,
    )
    # A TileProvider, not a URL string: folium would search all xyzservices providers by
    # name for a string (~5 ms per rerun).
    osm = xyzservices.TileProvider(name="OpenStreetMap", url=OSM_TILES,
                                   attribution="(C) OpenStreetMap contributors",
                                   html_attribution=OSM_ATTRIBUTION, max_zoom=19)
    AtlasTileLayer(osm, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(fmap)
    OfflineBasemap(assets.BASEMAP_URL).add_to(fmap)  # after the tiles: it listens to them
    DeferredFullscreen(offline).add_to(fmap)
    MemberLayer(view).add_to(fmap)
    return fmap


def naive_map(members: pd.DataFrame) -> folium.Map:
    """The obvious version (a folium CircleMarker and Tooltip per city), for the benchmark."""
    fmap = folium.Map(location=(20, 10), zoom_start=2)
    for m in members.itertuples(index=False):
        folium.CircleMarker(
            (m.lat, m.lon), radius=5, color=ROUND_COLOURS.get(m.round, FALLBACK_COLOUR),
            fill=True, tooltip=folium.Tooltip(html.escape(f"{m.city}, {m.country} ({m.round})")),
        ).add_to(fmap)
    return fmap
