"""Where the map's JavaScript and CSS come from: local copies when installed, else CDNs.

Folium loads Leaflet and its plugins from CDNs, and streamlit-folium stops at the first script
that fails to load, so a machine without CDN access would show no map at all. Once
``python -m dashboard.vendor`` has filled dashboard/static/vendor/ from the npm registry, the
map loads the files from there (Streamlit's static file serving), with no setting: no request
leaves for a third-party CDN. ATLAS_OFFLINE_ASSETS=1 forces the local files (and the page
says so if they are missing); ATLAS_OFFLINE_ASSETS=0 forces the CDN.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

OFFLINE_ENV = "ATLAS_OFFLINE_ASSETS"
ROOT = Path(__file__).resolve().parents[1]
STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
# Only the browser tests load these (git-ignored, filled by python -m dashboard.vendor).
TEST_VENDOR_DIR = ROOT / "tests" / ".vendor"
# Streamlit serves <main script dir>/static/<path> at /app/static/<path> (same origin as the
# component iframe, so an absolute path works there).
STATIC_URL = "/app/static/vendor"

# npm package -> version, as dashboard/package.json names them (the one place; its lockfile,
# package-lock.json, must pin the same: python -m dashboard.vendor checks).
_MANIFEST = json.loads((Path(__file__).with_name("package.json")).read_text(encoding="utf-8"))
PACKAGES: dict[str, str] = dict(_MANIFEST["dependencies"])
TEST_PACKAGES: dict[str, str] = dict(_MANIFEST.get("devDependencies", {}))
VERSIONS = {**PACKAGES, **TEST_PACKAGES}


@dataclass(frozen=True)
class Asset:
    """One file: the npm package and the path inside it."""

    package: str
    path: str
    root: Path = field(default=VENDOR_DIR, compare=False)

    @property
    def cdn_url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{VERSIONS[self.package]}/{self.path}"

    @property
    def local_path(self) -> Path:
        return self.root / self.package / self.path

    @property
    def local_url(self) -> str:
        return f"{STATIC_URL}/{self.package}/{self.path}"


# Loaded before the map script (the script builds clusters with the plugin).
MAP_JS = {
    "leaflet": Asset("leaflet", "dist/leaflet.js"),
    "markercluster": Asset("leaflet.markercluster", "dist/leaflet.markercluster.js"),
}
MAP_CSS = {
    "leaflet_css": Asset("leaflet", "dist/leaflet.css"),
    "markercluster_css": Asset("leaflet.markercluster", "dist/MarkerCluster.css"),
}
FULLSCREEN_JS = {"Control.Fullscreen.js": Asset("leaflet.fullscreen", "Control.FullScreen.js")}
FULLSCREEN_CSS = {"Control.FullScreen.css": Asset("leaflet.fullscreen", "Control.FullScreen.css")}
ALL_ASSETS = (*MAP_JS.values(), *MAP_CSS.values(), *FULLSCREEN_JS.values(),
              *FULLSCREEN_CSS.values())
# Files that the CSS above refers to (icons), copied with the rest.
EXTRA_FILES = (Asset("leaflet", "dist/images"), Asset("leaflet.fullscreen", "icon-fullscreen.svg"))
TEST_ASSETS = {"axe-core": Asset("axe-core", "axe.min.js", TEST_VENDOR_DIR)}


# Country outlines drawn when the tiles cannot be fetched, written by ``python -m
# dashboard.vendor`` from Natural Earth (see dashboard/shapes.py); served like the files above.
BASEMAP_FILE = STATIC_DIR / "basemap" / "countries.geojson"
BASEMAP_URL = "/app/static/basemap/countries.geojson"


def setting() -> bool | None:
    """ATLAS_OFFLINE_ASSETS as True (local), False (CDN) or None (not set: decide by files)."""
    value = os.environ.get(OFFLINE_ENV, "").strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return None


def use_local_files() -> bool:
    """Serve the map's files locally: when forced, or (no setting) when they are installed."""
    forced = setting()
    return forced if forced is not None else not missing_local_files()


def links(assets: dict[str, Asset], offline: bool) -> list[tuple[str, str]]:
    """(name, url) pairs in folium's default_js/default_css format."""
    return [(name, a.local_url if offline else a.cdn_url) for name, a in assets.items()]


def missing_local_files() -> list[Path]:
    """Local files that are not installed yet (run ``python -m dashboard.vendor``)."""
    files = [a.local_path for a in ALL_ASSETS] + [BASEMAP_FILE]
    return [path for path in files if not path.exists()]


def missing_test_files() -> list[Path]:
    return [a.local_path for a in TEST_ASSETS.values() if not a.local_path.exists()]
