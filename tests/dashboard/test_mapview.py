"""The generated map script, checked the way streamlit-folium's own tests check theirs."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from streamlit_folium import (
    _get_feature_group_string,
    _get_header,
    _get_map_string,
    generate_js_hash,
)

from dashboard import mapscript, mapview, shapes
from dashboard.filters import FilterState, apply_filters
from dashboard.highlights import compute

DEFAULT = FilterState()


def view_of(atlas, state=DEFAULT):
    marks = compute(atlas.members, state.focus_round or atlas.latest_round)
    shown = apply_filters(atlas.members, state, marks)
    shaded = shapes.shaded_geojson(frozenset(shown["iso2"]) & marks.first_time_iso2)
    labels = tuple((key, atlas.round_label(key)) for key in atlas.round_keys)
    return mapview.make_view(shown, marks, state.mark_capitals, state.mark_first_time, labels,
                             shaded if state.mark_first_time else "",
                             atlas.round_label(marks.focus_round))


def script_of(view, offline=True) -> str:
    """The map script st_folium sends to the component (after folium has rendered it)."""
    fmap = mapview.build_map(view, offline)
    fmap.get_root().render()
    return _get_map_string(fmap)


def rows_in(script: str) -> list[list]:
    return json.loads(re.search(r"var rows = (\[.*?\]);\n", script).group(1))


def data_in(script: str) -> dict:
    return json.loads(re.search(r"var data = (\{.*?\});\n", script).group(1))


def test_one_point_per_filtered_member(small_atlas):
    assert len(rows_in(script_of(view_of(small_atlas)))) == 19
    only_2025 = view_of(small_atlas, FilterState(rounds=("2025",)))
    assert len(rows_in(script_of(only_2025))) == 8


def test_capital_symbol_only_for_new_capitals(small_atlas):
    rows = rows_in(script_of(view_of(small_atlas)))
    starred = {r[0] for r in rows if r[6] & mapview.NEW_CAPITAL}
    assert starred == {"eg-cairo", "pt-lisbon", "tr-ankara", "bj-porto-novo", "zm-lusaka",
                       "ve-caracas"}
    outlined = {r[0] for r in rows if r[6] & mapview.FIRST_TIME}
    assert outlined == {"bj-porto-novo", "cl-concepcion", "us-tacoma", "zm-lusaka", "ve-caracas"}
    # Beijing is a capital, but not a new one in the 2025 focus.
    assert next(r for r in rows if r[0] == "cn-beijing")[6] == 0


def test_highlights_switch_off(small_atlas):
    state = replace(FilterState(), mark_capitals=False, mark_first_time=False)
    script = script_of(view_of(small_atlas, state))
    assert all(r[6] & (mapview.NEW_CAPITAL | mapview.FIRST_TIME) == 0 for r in rows_in(script))
    assert data_in(script)["shaded"] is None
    assert data_in(script)["marks"] == {"capitals": False, "first_time": False}


def test_first_time_countries_are_shaded(small_atlas):
    script = script_of(view_of(small_atlas))
    shaded = data_in(script)["shaded"]
    assert {f["properties"]["iso2"] for f in shaded["features"]} == {"BJ", "CL", "US", "ZM", "VE"}


def test_hostile_fields_reach_the_script_as_inert_json(hostile_atlas):
    script = script_of(view_of(hostile_atlas))
    # No markup survives literally: '<' is \u003c inside the JSON (so "</script>" cannot
    # close the element), and the browser builds text from it, never HTML.
    for raw in ("<script>alert", "<img", "</script><script>", "<b>"):
        assert raw not in script
    cities = {r[1] for r in rows_in(script)}
    assert "<script>alert('city')</script>" in cities
    assert "`${alert('tick')}` back\\slash\\ \"quoted\" 'single'" in cities
    assert "'s-Hertogenbosch" in cities
    # branca compiles rendered scripts again as Jinja templates: data must not be evaluated.
    assert "Javascript Link {{ 7*7 }} {% if 1 %}jinja{% endif %}" in cities
    # Tooltip text goes through the escaping helper, never raw into HTML.
    assert "bindTooltip(esc(tip)" in script


def test_same_view_same_script_and_component_key(small_atlas):
    first, second = script_of(view_of(small_atlas)), script_of(view_of(small_atlas))
    assert generate_js_hash(first, "atlas_map") == generate_js_hash(second, "atlas_map")
    changed = script_of(view_of(small_atlas, FilterState(rounds=("2025",))))
    assert generate_js_hash(changed, "atlas_map") != generate_js_hash(first, "atlas_map")


def asset_links(element) -> list[str]:
    """Every script and stylesheet URL st_folium would load (it walks the tree like this)."""
    links = [url for _, url in (*getattr(element, "default_js", []),
                                *getattr(element, "default_css", []))]
    for child in getattr(element, "_children", {}).values():
        links += asset_links(child)
    return links


def test_offline_assets_are_local_and_only_leaflet(small_atlas):
    fmap = mapview.build_map(view_of(small_atlas), offline=True)
    fmap.get_root().render()
    links = asset_links(fmap)
    assert links and all(url.startswith("/app/static/vendor/") for url in links)
    assert "/app/static/vendor/leaflet/dist/leaflet.js" in links
    assert "http" not in _get_header(fmap).replace('http-equiv', "")
    for dropped in ("jquery", "bootstrap", "awesome-markers"):
        assert not any(dropped in url.lower() for url in links)
    online = asset_links(mapview.build_map(view_of(small_atlas), offline=False))
    assert all(url.startswith("https://cdn.jsdelivr.net/npm/") for url in online)


def test_fullscreen_plugin_is_loaded_by_the_map_script_not_before_it(small_atlas):
    # Not among the files streamlit-folium loads before the map script (that delays markers).
    assert not any("fullscreen" in url.lower()
                   for url in asset_links(mapview.build_map(view_of(small_atlas), offline=True)))
    local = script_of(view_of(small_atlas), offline=True)
    assert '"/app/static/vendor/leaflet.fullscreen/Control.FullScreen.js"' in local
    assert '"/app/static/vendor/leaflet.fullscreen/Control.FullScreen.css"' in local
    assert "cdn.jsdelivr" not in local
    online = script_of(view_of(small_atlas), offline=False)
    assert '"https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.js"' in online


def test_osm_tiles_fullscreen_and_legend(small_atlas):
    script = script_of(view_of(small_atlas))
    assert "tile.openstreetmap.org" in script and "OpenStreetMap" in script
    assert "L.control.fullscreen" in script
    assert "atlas-legend" in script and "L.markerClusterGroup(" in script


def test_members_sharing_a_point_keep_it_and_open_from_their_cluster(small_atlas):
    members = small_atlas.members.copy()
    first, second = members.index[:2]
    members.loc[second, ["lon", "lat"]] = members.loc[first, ["lon", "lat"]].to_numpy()
    marks = compute(members, "2025")
    rows, _ = mapview.member_rows(members, marks, True, True)
    points = {(r[4], r[5]) for r in rows[:2]}
    assert len(points) == 1  # drawn where placed: the cluster layer fans them out
    script = script_of(view_of(small_atlas))
    assert "spiderfy()" in script and "zoomToShowLayer" in script


def test_folium_parts_are_not_compiled_again_as_templates(small_atlas):
    # branca adds each rendered part to the figure as Element(text), which compiles the text as
    # Jinja again: wasted work on every rerun, and "{{ 7*7 }}" in an option becomes 49. The
    # atlas's map classes add their parts as they are.
    fmap = mapview.build_map(view_of(small_atlas), offline=True)
    mapview.AtlasTileLayer("https://example.org/{z}/{x}/{y}.png", attr="{{ 7*7 }} tiles",
                           name="second").add_to(fmap)
    page = fmap.get_root().render()
    assert '"attribution": "{{ 7*7 }} tiles"' in page
    assert "49 tiles" not in page


def test_country_outlines_stand_in_for_unreachable_tiles(small_atlas):
    for offline in (True, False):  # a lost connection greys the tiles in either mode
        script = script_of(view_of(small_atlas), offline=offline)
        assert 'fetch("/app/static/basemap/countries.geojson")' in script
        assert 'layer.on("tileerror", show)' in script
        # after the tile layer, so that it can listen to it
        assert script.index("L.tileLayer(") < script.index('on("tileerror"')


def test_basemap_has_every_country_simplified():
    countries = json.loads(shapes.basemap_geojson())["features"]
    codes = {feature["properties"]["iso2"] for feature in countries}
    assert {"FR", "BR", "CN", "ZA", "AU", "CL"} <= codes and len(codes) > 200
    assert len(shapes.basemap_geojson()) < 600_000  # fetched only when tiles fail, still small


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


OSM_LAND, OSM_WATER, OFFLINE_LAND = "#F2EFE9", "#AAD3DF", "#F4F2ED"


def test_every_member_outline_stands_out_from_the_base_map():
    for ground in (OSM_LAND, OSM_WATER, OFFLINE_LAND):
        assert contrast(mapscript.OUTLINE, ground) >= 3


@given(st.lists(st.from_regex(r"20[0-9]{2}", fullmatch=True), unique=True, max_size=30))
def test_any_rounds_get_distinct_colours_by_a_rule(keys):
    colours = mapview.round_colours([*keys, "unknown"])
    assert set(colours) == {*keys, "unknown"}
    assert len(set(colours.values())) == len(colours)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours.values())
    # Beyond the palette the rule picks hues dark enough to read on the light base map.
    for key in keys[len(mapview.PALETTE):]:
        assert contrast(colours[key], OSM_LAND) >= 3


def test_a_new_round_in_the_data_is_drawn_and_coloured(small_atlas):
    members = small_atlas.members.copy()
    members.loc[members.index[0], "round"] = "2026"
    labels = tuple((key, key) for key in (*small_atlas.round_keys, "2026"))
    view = mapview.make_view(members, compute(members, "2026"), True, True, labels, "", "2026")
    colours = dict((key, colour) for key, _, colour in view.rounds)
    assert colours["2026"] not in {c for k, c in colours.items() if k != "2026"}
    assert rows_in(script_of(view))[0][3] == "2026"


def test_an_area_member_is_drawn_as_a_dashed_circle_of_its_radius(area_atlas):
    rows = {r[0]: r for r in rows_in(script_of(view_of(area_atlas)))}
    area = rows["zm-test-area"]
    assert area[6] & mapview.AREA and area[7] == 40.0
    assert all(r[7] == 0 and not r[6] & mapview.AREA for key, r in rows.items()
               if key != "zm-test-area")
    script = script_of(view_of(area_atlas))
    assert "L.circle(latlng, {radius: r[7] * 1000" in script and 'dashArray: "6 4"' in script
    assert '", approximate area"' in script


def test_markers_are_named_images_and_never_tab_stops(small_atlas):
    script = script_of(view_of(small_atlas))
    assert 'element.setAttribute("aria-label", this.options.label)' in script
    assert 'element.setAttribute("role", "img")' in script
    assert "keyboard: false" in script
    assert "L.MarkerCluster.prototype.options.keyboard = false" in script
    # The cause of the lost first click: Leaflet's focus() on press scrolled the parent page.
    assert "focus({preventScroll: true})" in script


def test_the_selected_member_travels_outside_the_map_script(small_atlas):
    # st_folium keys the component by the map script; the selection is a feature group it
    # applies to the mounted map, so choosing a city never remounts the map.
    view = view_of(small_atlas)
    assert script_of(view) == script_of(view)
    fmap = mapview.build_map(view, True)
    fmap.get_root().render()
    added = _get_feature_group_string(mapview.selection_layer("pt-lisbon"), fmap)
    assert 'window.atlasSelect("pt-lisbon")' in added
    cleared = _get_feature_group_string(mapview.selection_layer(None), fmap)
    assert "window.atlasSelect(null)" in cleared


def test_a_hostile_selected_id_stays_a_string(small_atlas):
    fmap = mapview.build_map(view_of(small_atlas), True)
    fmap.get_root().render()
    added = _get_feature_group_string(
        mapview.selection_layer('x"); alert(1); ("</script>{{ 7*7 }}'), fmap)
    assert "</script>" not in added and "49" not in added and 'alert(1); ("' not in added
