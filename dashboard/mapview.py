"""Build the folium map: one small script with every member, clusters, legend and shading.

Folium's own Marker/Tooltip per city would send ~1 KB of script per member and insert tooltip
text as raw HTML. Instead, one layer carries the members as compact JSON rows and builds the
markers in the browser (dashboard/mapscript.py); every text reaches the DOM HTML-escaped or
through textContent/setAttribute.
"""

from __future__ import annotations

import colorsys
import html
import json
import math
from dataclasses import dataclass

import folium
import pandas as pd
import xyzservices

from dashboard import assets
from dashboard.highlights import Highlights
from dashboard.mapparts import DeferredFullscreen, OfflineBasemap, VerbatimParts
from dashboard.mapscript import (
    AREA,
    DOUBTFUL,
    FIRST_TIME,
    MAP_CSS,
    NEW_CAPITAL,
    MemberLayer,
    SelectedMember,
)
from geodata.seedmodel import UNKNOWN_ROUND

__all__ = ["AREA", "DOUBTFUL", "FIRST_TIME", "NEW_CAPITAL", "VerbatimParts"]

# Okabe–Ito colours (colour-blind safe; the yellow left out, it vanishes on light tiles),
# given to the rounds in their order in the data. Every marker has a dark outline, which
# keeps >= 3:1 against the base map whatever the fill.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00")
UNKNOWN_COLOUR = "#8A8A8A"  # the roster's undated round (UNKNOWN_ROUND)
SHADE_COLOUR = "#5B2A86"
MAP_HEIGHT = 470  # with the header and the view switch above, the whole map fits 1366x768
# Below this map width (phones) the legend starts folded.
LEGEND_FOLD_BELOW = 560
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


def _luminance(colour: str) -> float:
    """WCAG relative luminance of "#RRGGBB"."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


BASE_MAP_LAND = "#F2EFE9"  # OpenStreetMap's land colour, the lightest ground under markers


def round_colour(index: int) -> str:
    """The colour of the index-th round: the palette, then a rule for any later round
    (golden-angle hues, darkened until they keep 3:1 against the base map's land)."""
    if index < len(PALETTE):
        return PALETTE[index]
    hue = (0.11 + 0.381966 * (index - len(PALETTE))) % 1.0
    ground = _luminance(BASE_MAP_LAND)
    lightness = 0.5
    while True:
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.75)
        colour = "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in (red, green, blue)))
        if (ground + 0.05) / (_luminance(colour) + 0.05) >= 3.2 or lightness < 0.1:
            return colour
        lightness -= 0.03


def round_colours(round_keys) -> dict[str, str]:
    """Round key -> colour, by the rounds' order in the data ("unknown" is grey)."""
    dated = [key for key in round_keys if key != UNKNOWN_ROUND]
    colours = {key: round_colour(i) for i, key in enumerate(dated)}
    if UNKNOWN_ROUND in round_keys:
        colours[UNKNOWN_ROUND] = UNKNOWN_COLOUR
    return colours


def _star_path(outer: float = 10.2, inner: float = 4.3, centre: float = 11.0) -> str:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / 5
        points.append(f"{centre + radius * math.sin(angle):.2f} "
                      f"{centre + 0.6 - radius * math.cos(angle):.2f}")
    return "M" + " ".join(points) + "Z"


STAR_PATH = _star_path()


@dataclass(frozen=True)
class MapView:
    """What the map shows; equal views give byte-identical scripts (no remount)."""

    # (id, city, country index, round, lon, lat, flags, area radius km or 0)
    rows: tuple[tuple, ...]
    countries: tuple[str, ...]
    rounds: tuple[tuple[str, str, str], ...]  # (round, label, colour) in legend order
    shaded_countries: str  # GeoJSON text of the first-time countries' shapes, or ""
    focus_label: str
    mark_capitals: bool = True
    mark_first_time: bool = True


def _radius_km(value) -> float:
    try:
        radius = float(value)
    except (TypeError, ValueError):
        return 0.0
    return radius if math.isfinite(radius) and radius > 0 else 0.0


def member_rows(members: pd.DataFrame, marks: Highlights, mark_capitals: bool,
                mark_first_time: bool) -> tuple[tuple[tuple, ...], tuple[str, ...]]:
    """The compact rows the browser turns into markers, and the country names they index.

    Members placed at one shared point stay at it: the cluster layer fans them out.
    """
    rows, countries = [], {}
    for m in members.itertuples(index=False):
        flags = 0
        if mark_capitals and m.id in marks.new_capital_ids:
            flags |= NEW_CAPITAL
        if mark_first_time and m.iso2 in marks.first_time_iso2 and m.round == marks.focus_round:
            flags |= FIRST_TIME
        if m.status == "doubtful":
            flags |= DOUBTFUL
        radius = _radius_km(m.place_radius_km) if m.place_precision == "area" else 0.0
        if radius:
            flags |= AREA
        country = countries.setdefault(m.country, len(countries))
        rows.append((m.id, m.city, country, m.round, round(float(m.lon), 5),
                     round(float(m.lat), 5), flags, radius))
    return tuple(rows), tuple(countries)


def make_view(members: pd.DataFrame, marks: Highlights, mark_capitals: bool,
              mark_first_time: bool, round_labels: tuple[tuple[str, str], ...],
              shaded_countries: str, focus_label: str) -> MapView:
    """The MapView of the filtered members; round_labels lists every round (key, label) of
    the data in order, so that a round keeps its colour whatever the filters show."""
    keys = tuple(key for key, _ in round_labels)
    colours = round_colours(keys)
    rows, countries = member_rows(members, marks, mark_capitals, mark_first_time)
    rounds = tuple((key, label, colours[key]) for key, label in round_labels)
    return MapView(rows, countries, rounds, shaded_countries, focus_label, mark_capitals,
                   mark_first_time)


def member_layer(view: MapView) -> MemberLayer:
    data = {
        "countries": list(view.countries),
        "rounds": [list(r) for r in view.rounds], "focus": view.focus_label,
        "marks": {"capitals": view.mark_capitals, "first_time": view.mark_first_time},
        "shade": SHADE_COLOUR, "css": MAP_CSS,
        "shaded": None,
    }
    text = safe_json(data)
    if view.shaded_countries:  # already JSON; spliced in rather than parsed and dumped again
        shaded = view.shaded_countries.replace("<", "\\u003c")
        for opener, escaped in _JINJA_OPENERS.items():
            shaded = shaded.replace(opener, escaped)
        text = text.replace('"shaded":null', '"shaded":' + shaded, 1)
    return MemberLayer(safe_json([list(r) for r in view.rows]), text, STAR_PATH,
                       LEGEND_FOLD_BELOW)


def selection_layer(member_id: str | None) -> folium.FeatureGroup:
    """The feature group to pass to st_folium(feature_group_to_add=...): it shows the chosen
    member on the mounted map (highlight, pan and zoom) without changing the map script."""
    group = folium.FeatureGroup(name="selected member", control=False)
    SelectedMember(safe_json(member_id or None)).add_to(group)
    return group


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
    OfflineBasemap(safe_json(assets.BASEMAP_URL)).add_to(fmap)  # after the tiles: it listens
    ((_, js_url),) = assets.links(assets.FULLSCREEN_JS, offline)
    ((_, css_url),) = assets.links(assets.FULLSCREEN_CSS, offline)
    DeferredFullscreen(safe_json(js_url), safe_json(css_url)).add_to(fmap)
    member_layer(view).add_to(fmap)
    return fmap


def naive_map(members: pd.DataFrame) -> folium.Map:
    """The obvious version (a folium CircleMarker and Tooltip per city), for the benchmark."""
    fmap = folium.Map(location=(20, 10), zoom_start=2)
    for m in members.itertuples(index=False):
        folium.CircleMarker(
            (m.lat, m.lon), radius=5, color=PALETTE[0],
            fill=True, tooltip=folium.Tooltip(html.escape(f"{m.city}, {m.country} ({m.round})")),
        ).add_to(fmap)
    return fmap
