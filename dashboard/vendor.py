"""Install the map's JavaScript and CSS from the npm registry for offline use.

``python -m dashboard.vendor`` runs ``npm ci`` on dashboard/package.json (versions pinned there
and in dashboard/assets.py) and copies the files the map loads into dashboard/static/vendor/,
which git ignores: third-party code is installed, never committed. It also writes the offline
base map (country outlines from Natural Earth) to dashboard/static/basemap/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dashboard.assets import (
    ALL_ASSETS,
    BASEMAP_FILE,
    EXTRA_FILES,
    PACKAGES,
    VENDOR_DIR,
    missing_local_files,
)
from dashboard.shapes import basemap_geojson

DASHBOARD_DIR = Path(__file__).resolve().parent
NODE_MODULES = DASHBOARD_DIR / "node_modules"


def check_pins() -> None:
    """package.json and assets.PACKAGES must name the same versions."""
    declared = json.loads((DASHBOARD_DIR / "package.json").read_text())["dependencies"]
    if declared != PACKAGES:
        raise SystemExit(f"dashboard/package.json pins {declared}, assets.py expects {PACKAGES}")


def npm_install() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed: it is needed to fetch Leaflet for offline use")
    lock = DASHBOARD_DIR / "package-lock.json"
    command = [npm, "ci" if lock.exists() else "install", "--no-audit", "--no-fund",
               "--loglevel=error"]
    subprocess.run(command, cwd=DASHBOARD_DIR, check=True)


def copy_assets() -> list[Path]:
    copied = []
    for asset in (*ALL_ASSETS, *EXTRA_FILES):
        source = NODE_MODULES / asset.package / asset.path
        target = VENDOR_DIR / asset.package / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
        copied.append(target)
    return copied


def write_basemap() -> Path:
    """The offline base map, from Natural Earth (public domain), written atomically."""
    BASEMAP_FILE.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=BASEMAP_FILE.parent, suffix=".tmp",
                                     delete=False, encoding="utf-8") as out:
        out.write(basemap_geojson())
    os.chmod(out.name, 0o644)  # a temporary file starts private; the server reads it
    os.replace(out.name, BASEMAP_FILE)
    return BASEMAP_FILE


def main() -> int:
    check_pins()
    npm_install()
    copied = [*copy_assets(), write_basemap()]
    missing = missing_local_files()
    if missing:
        print("missing after install:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    static = VENDOR_DIR.parent.relative_to(DASHBOARD_DIR.parent)
    print(f"installed {len(copied)} files under {static}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
