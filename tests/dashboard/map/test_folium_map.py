"""The members map's folium script, checked the way streamlit-folium's own tests check theirs:
one script per data version, whatever the filters; what changes travels in a feature group."""

from __future__ import annotations

import json
import re

from streamlit_folium import (
    _get_feature_group_string,
    _get_header,
    _get_map_string,
    generate_js_hash,
)

from dashboard import assets, shapes
from dashboard.filters import apply_filters
from dashboard.highlights import compute
from dashboard.map import statics
from dashboard.map.folium_map import build_map, state_layer
from dashboard.map.members import map_state, member_table
from dashboard.map.words import MAP_WORDS
from tests.dashboard.scopes import scope


def table_of(atlas):
    return member_table(atlas.members,
                        tuple((key, atlas.round_label(key)) for key in atlas.round_keys))


def rendered(fmap):
    fmap.get_root().render()
    return fmap


def script_of(atlas, offline=True, url="/app/static/data/members-x.json") -> str:
    """The map script st_folium sends to the component."""
    return _get_map_string(rendered(build_map(table_of(atlas), url, offline)))


def options_of(script: str, call: str) -> dict:
    return json.loads(re.search(re.escape(call) + r"\(map_div, (\{.*\})\);", script).group(1))


def state_script(atlas, state: dict, selected=None) -> str:
    fmap = rendered(build_map(table_of(atlas), "/t.json", True))
    return _get_feature_group_string(state_layer(state, selected), fmap)


def test_one_script_whatever_the_filters(small_atlas):
    # st_folium keys the component by its script: the same script is the same mounted map.
    script = script_of(small_atlas)
    assert generate_js_hash(script, "atlas_map") == generate_js_hash(script_of(small_atlas),
                                                                     "atlas_map")
    assert "pt-lisbon" not in script  # the roster is not in the script: it is fetched once
    assert options_of(script, "L.AtlasMembers.addTo")["dataUrl"] == \
        "/app/static/data/members-x.json"


def test_a_new_data_version_is_a_new_script(small_atlas):
    assert script_of(small_atlas, url="/a.json") != script_of(small_atlas, url="/b.json")


def test_without_a_table_file_the_script_carries_the_table(small_atlas):
    script = script_of(small_atlas, url=None)
    data = options_of(script, "L.AtlasMembers.addTo")["data"]
    assert [r[0] for r in data["rows"]] == list(small_atlas.members["id"])


def test_the_state_travels_in_the_feature_group(small_atlas):
    marks = compute(small_atlas.members, "2025")
    shown = apply_filters(small_atlas.members, scope(rounds=("2025",)), marks)
    state = map_state(table_of(small_atlas), shown, marks, True, True, "2025")
    added = state_script(small_atlas, state, "pt-lisbon")
    sent = json.loads(re.search(r"L\.AtlasMembers\.update\(map_div, (\{.*\})\);", added)
                      .group(1))
    assert sent == {**state, "selected": "pt-lisbon"}
    cleared = state_script(small_atlas, state, None)
    assert '"selected":null' in cleared


def test_a_hostile_selected_id_stays_a_string(small_atlas):
    added = state_script(small_atlas, {"visible": ""}, 'x"); alert(1); ("</script>{{ 7*7 }}')
    assert "</script>" not in added and "49" not in added and 'alert(1); ("' not in added


def asset_links(element) -> list[str]:
    """Every script and stylesheet URL st_folium would load (it walks the tree like this)."""
    links = [url for _, url in (*getattr(element, "default_js", []),
                                *getattr(element, "default_css", []))]
    for child in getattr(element, "_children", {}).values():
        links += asset_links(child)
    return links


def test_offline_assets_are_local_and_only_leaflet_and_ours(small_atlas):
    fmap = rendered(build_map(table_of(small_atlas), "/t.json", True))
    links = asset_links(fmap)
    # Offline, Leaflet, Leaflet.markercluster and our scripts come as one local file.
    ((_, bundle),) = statics.map_script_urls(True)
    assert [url for url in links if url.endswith(".js")] == [bundle]
    joined = (statics.DATA_DIR / bundle.rsplit("/", 1)[1]).read_text(encoding="utf-8")
    assert joined.startswith(assets.MAP_JS["leaflet"].local_path.read_text()[:200])
    styles = [url for url in links if url.endswith(".css") or "/atlas/" in url]
    assert [url for url in styles if "/atlas/" in url] == \
        [statics.url_of(name) for name in statics.MAP_STYLES]
    assert all(url.startswith(("/app/static/vendor/", "/app/static/atlas/")) for url in styles)
    assert "http" not in _get_header(fmap).replace('http-equiv', "")
    for dropped in ("jquery", "bootstrap", "awesome-markers", "fullscreen"):
        assert not any(dropped in url.lower() for url in links)
    # Online, Leaflet and its plugin come from the CDN, then our one file.
    online = asset_links(build_map(table_of(small_atlas), "/t.json", False))
    scripts = [url for url in online if url.endswith(".js")]
    assert scripts[:2] == [assets.MAP_JS["leaflet"].cdn_url,
                           assets.MAP_JS["markercluster"].cdn_url]
    assert scripts[2:] == [statics.map_script_urls(False)[-1][1]]
    assert all(url.startswith(("https://cdn.jsdelivr.net/npm/", "/app/static/atlas/",
                               "/app/static/data/atlas-map-")) for url in online)


def test_fullscreen_plugin_is_loaded_after_the_map_not_before_it(small_atlas):
    local = options_of(script_of(small_atlas, offline=True), "L.atlasFrame")
    assert local["fullscreenJs"] == "/app/static/vendor/leaflet.fullscreen/Control.FullScreen.js"
    online = options_of(script_of(small_atlas, offline=False), "L.atlasFrame")
    assert online["fullscreenJs"] == \
        "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.js"


def test_the_map_words_come_from_one_table(small_atlas):
    script = script_of(small_atlas)
    assert options_of(script, "L.AtlasMembers.addTo")["strings"] == MAP_WORDS
    frame = options_of(script, "L.atlasFrame")["strings"]  # only the words it shows
    assert frame and frame.items() <= MAP_WORDS.items()


def test_country_outlines_stand_in_for_unreachable_tiles(small_atlas):
    for offline in (True, False):  # a lost connection greys the tiles in either mode
        script = script_of(small_atlas, offline=offline)
        assert options_of(script, "L.AtlasBasemap.addTo")["url"] == \
            "/app/static/basemap/countries.geojson"
        # after the tile layer, so that it can listen to it
        assert script.index("L.tileLayer(") < script.index("L.AtlasBasemap.addTo")


def test_basemap_has_every_country_simplified():
    countries = json.loads(shapes.basemap_geojson())["features"]
    codes = {feature["properties"]["iso2"] for feature in countries}
    assert {"FR", "BR", "CN", "ZA", "AU", "CL"} <= codes and len(codes) > 200
    assert len(shapes.basemap_geojson()) < 600_000  # fetched only when tiles fail, still small
