"""The folium map of the members: Leaflet, our plugins (dashboard/static/atlas/) and their
options. It depends on the data version only, so a filter change leaves the mounted map in
place; what changes travels in state_layer() through st_folium's feature_group_to_add."""

from __future__ import annotations

import folium
import xyzservices
from folium.elements import MacroElement
from folium.template import Template

from dashboard import assets
from dashboard.map import statics
from dashboard.map.jsdata import safe_json
from dashboard.map.members import MemberTable
from dashboard.map.words import MAP_WORDS

MAP_HEIGHT = 470  # with the header and the view switch above, the whole map fits 1366x768
# A neighbourhood's scale: members stand apart well before it, and Leaflet.markercluster builds
# its clusters for every zoom up to this one (the levels above it, where no members merge any
# more, cost the most: at 50,000 members, 14 instead of 19 took clustering from 1.35 to 0.85 s).
MAX_ZOOM = 14
LEGEND_FOLD_BELOW = 560  # below this map width (phones) the legend starts folded
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


class PluginCall(MacroElement):
    """One line of script: a plugin's factory called with the parent map and JSON options.
    Python only ever passes data (safe_json); the behaviour is in the .js files."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this.call }}({{ this.map_name() }}, {{ this.options }});"
        "{% endmacro %}")

    def __init__(self, call: str, options):
        super().__init__()
        self._name = call.replace(".", "_")
        self.call, self.options = call, safe_json(options)

    def map_name(self) -> str:
        """The script name of the map this element is in (through any feature group)."""
        parent = self._parent
        while not isinstance(parent, folium.Map):
            parent = parent._parent
        return parent.get_name()


class AtlasMap(folium.Map):
    """A folium Map that loads Leaflet (no jQuery/Bootstrap) and our plugins."""

    def __init__(self, offline: bool, **kwargs):
        super().__init__(**kwargs)
        self.default_js = list(statics.map_script_urls(offline))
        self.default_css = [*assets.links(assets.MAP_CSS, offline),
                            *((name, statics.url_of(name)) for name in statics.MAP_STYLES)]


def plugin_options(table: MemberTable, table_url: str | None) -> dict:
    """The members layer's options: where its table is (or the table itself), its words."""
    options = {"strings": MAP_WORDS, "foldBelow": LEGEND_FOLD_BELOW,
               "outlinesUrl": assets.BASEMAP_URL}
    if table_url:
        options["dataUrl"] = table_url
    else:
        options["data"] = {"inline": True}  # replaced below: the table text is spliced in
    return options


def build_map(table: MemberTable, table_url: str | None, offline: bool) -> folium.Map:
    """The members map (pure: the same table and setting give the same script)."""
    fmap = AtlasMap(
        offline, location=(20, 10), zoom_start=2, min_zoom=1, tiles=None,
        world_copy_jump=True,
        # Fractional zoom lets fitBounds fill the frame instead of snapping to a whole level
        # that leaves most of it empty at world scale.
        zoom_snap=0.25, zoom_delta=0.5, control_scale=True, height=MAP_HEIGHT)
    # A TileProvider, not a URL string: folium would search all xyzservices providers by
    # name for a string (~5 ms per rerun).
    osm = xyzservices.TileProvider(name="OpenStreetMap", url=OSM_TILES,
                                   attribution="(C) OpenStreetMap contributors",
                                   html_attribution=OSM_ATTRIBUTION, max_zoom=MAX_ZOOM)
    folium.TileLayer(osm, attr=OSM_ATTRIBUTION, name="OpenStreetMap",
                     max_zoom=MAX_ZOOM).add_to(fmap)
    ((_, js_url),) = assets.links(assets.FULLSCREEN_JS, offline)
    ((_, css_url),) = assets.links(assets.FULLSCREEN_CSS, offline)
    frame_words = {key: MAP_WORDS[key] for key in ("fullscreen", "exitFullscreen")}
    PluginCall("L.atlasFrame", {"fullscreenJs": js_url, "fullscreenCss": css_url,
                                "title": MAP_WORDS["membersMapTitle"],
                                "strings": frame_words}).add_to(fmap)
    # After the tiles: it listens to their errors.
    PluginCall("L.AtlasBasemap.addTo", {"url": assets.BASEMAP_URL,
                                   "attribution": MAP_WORDS["basemapAttribution"]}).add_to(fmap)
    members = PluginCall("L.AtlasMembers.addTo", plugin_options(table, table_url))
    if not table_url:
        members.options = members.options.replace('{"inline":true}', table.text, 1)
    members.add_to(fmap)
    return fmap


def state_layer(state: dict, selected: str | None) -> folium.FeatureGroup:
    """The feature group to pass to st_folium(feature_group_to_add=...): st_folium runs it on
    the mounted map, which then shows the new state in place (no remount)."""
    group = folium.FeatureGroup(name="atlas state", control=False)
    PluginCall("L.AtlasMembers.update", {**state, "selected": selected or None}).add_to(group)
    return group
