"""Where the map's JavaScript and CSS come from: public CDNs, or local copies when offline.

Folium loads Leaflet and its plugins from CDNs, and streamlit-folium stops at the first script
that fails to load, so a machine without CDN access shows no map at all. With
ATLAS_OFFLINE_ASSETS=1 the same files are served by Streamlit's static file serving from
dashboard/static/vendor/, filled by ``python -m dashboard.vendor`` from the npm registry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

OFFLINE_ENV = "ATLAS_OFFLINE_ASSETS"
STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
# Streamlit serves <main script dir>/static/<path> at /app/static/<path> (same origin as the
# component iframe, so an absolute path works there).
STATIC_URL = "/app/static/vendor"

# npm package -> version; dashboard/package.json pins the same versions.
PACKAGES = {"leaflet": "1.9.4", "leaflet.fullscreen": "3.0.0"}


@dataclass(frozen=True)
class Asset:
    """One file: the npm package and the path inside it."""

    package: str
    path: str

    @property
    def cdn_url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{PACKAGES[self.package]}/{self.path}"

    @property
    def local_path(self) -> Path:
        return VENDOR_DIR / self.package / self.path

    @property
    def local_url(self) -> str:
        return f"{STATIC_URL}/{self.package}/{self.path}"


MAP_JS = {"leaflet": Asset("leaflet", "dist/leaflet.js")}
MAP_CSS = {"leaflet_css": Asset("leaflet", "dist/leaflet.css")}
FULLSCREEN_JS = {"Control.Fullscreen.js": Asset("leaflet.fullscreen", "Control.FullScreen.js")}
FULLSCREEN_CSS = {"Control.FullScreen.css": Asset("leaflet.fullscreen", "Control.FullScreen.css")}
ALL_ASSETS = (*MAP_JS.values(), *MAP_CSS.values(), *FULLSCREEN_JS.values(),
              *FULLSCREEN_CSS.values())
# Files that the CSS above refers to (icons), copied with the rest.
EXTRA_FILES = (Asset("leaflet", "dist/images"), Asset("leaflet.fullscreen", "icon-fullscreen.svg"))


# Country outlines drawn when the tiles cannot be fetched, written by ``python -m
# dashboard.vendor`` from Natural Earth (see dashboard/shapes.py); served like the files above.
BASEMAP_FILE = STATIC_DIR / "basemap" / "countries.geojson"
BASEMAP_URL = "/app/static/basemap/countries.geojson"


def offline_requested() -> bool:
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes")


def links(assets: dict[str, Asset], offline: bool) -> list[tuple[str, str]]:
    """(name, url) pairs in folium's default_js/default_css format."""
    return [(name, a.local_url if offline else a.cdn_url) for name, a in assets.items()]


def missing_local_files() -> list[Path]:
    """Local files that are not installed yet (run ``python -m dashboard.vendor``)."""
    files = [a.local_path for a in ALL_ASSETS] + [BASEMAP_FILE]
    return [path for path in files if not path.exists()]
