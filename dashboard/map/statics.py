"""The atlas's own browser files and its published data (the member table, the pickers'
options), served by Streamlit as static files with a content hash in the URL: a browser keeps
them across reruns, and a new release or data version gets a new URL."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dashboard import assets
from dashboard.assets import STATIC_DIR
from geodata.paths import atomic_write

log = logging.getLogger(__name__)
ATLAS_DIR = STATIC_DIR / "atlas"
DATA_DIR = STATIC_DIR / "data"  # written at run time, one file per data version (git-ignored)
STATIC_URL = "/app/static"
# Loaded in this order after Leaflet and Leaflet.markercluster.
MAP_SCRIPTS = ("atlas-core.js", "atlas-labels.js", "atlas-frame.js", "atlas-basemap.js",
               "atlas-members.js", "atlas-countries.js")
MAP_STYLES = ("atlas-map.css",)
KEPT_FILES = 8  # beyond this many files of one kind, those older than a day are removed:
STALE_AFTER_S = 86_400  # another server process may still be serving a newer one


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


@cache
def url_of(name: str) -> str:
    """The URL of one of our files, with its content hash (read once per process)."""
    return f"{STATIC_URL}/atlas/{name}?v={digest((ATLAS_DIR / name).read_bytes())}"


@cache
def map_script_urls(offline: bool) -> tuple[tuple[str, str], ...]:
    """(name, url) pairs of the map's scripts in folium's default_js format: Leaflet and
    Leaflet.markercluster (from the CDN online), then one file that joins ours, preceded
    offline by those two. The map's frame loads its scripts one after another, and each
    request costs ~45 ms on Streamlit's server (Nagle's algorithm is left on there). If the
    file cannot be written, or the local copies are missing, every script is its own file."""
    vendor = [asset.local_path for asset in assets.MAP_JS.values()] if offline else []
    separate = (*assets.links(assets.MAP_JS, offline),
                *((name, url_of(name)) for name in MAP_SCRIPTS))
    if not all(path.is_file() for path in vendor):
        return separate
    parts = [_without_source_map(path.read_text(encoding="utf-8")) for path in vendor]
    parts += [file_text(name) for name in MAP_SCRIPTS]
    bundle = publish("\n;\n".join(parts), "atlas-map", ".js")
    if bundle.url is None:
        return separate
    online = () if offline else tuple(assets.links(assets.MAP_JS, False))
    return (*online, ("atlas-map.js", bundle.url))


def _without_source_map(text: str) -> str:
    # A source map comment only means something at the end of the file that names it.
    return "\n".join(line for line in text.splitlines()
                     if not line.startswith("//# sourceMappingURL="))


def file_text(name: str) -> str:
    """One of our files' text (the standalone export inlines them)."""
    return (ATLAS_DIR / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Published:
    """Where the browser fetches a published JSON file; url is None if it could not be
    written (a read-only install), and the page then sends the data itself."""

    url: str | None
    version: str


def publish(text: str, kind: str = "members", suffix: str = ".json") -> Published:
    """Write text as data/<kind>-<hash><suffix> (atomically, once per content)."""
    version = digest(text.encode("utf-8"))
    target = DATA_DIR / f"{kind}-{version}{suffix}"
    try:
        if not target.exists():
            atomic_write(target, text)
            _prune(kind, target)
    except OSError as error:
        log.warning("%s not written to %s (%s): the page sends it instead", kind, target,
                    error)
        return Published(None, version)
    return Published(f"{STATIC_URL}/data/{target.name}", version)


def _prune(kind: str, keep: Path) -> None:
    files = sorted(((p.stat().st_mtime, p) for p in DATA_DIR.glob(f"{kind}-*{keep.suffix}")),
                   reverse=True)
    stale = time.time() - STALE_AFTER_S
    for mtime, old in files[KEPT_FILES:]:
        if old != keep and mtime < stale:
            old.unlink(missing_ok=True)
