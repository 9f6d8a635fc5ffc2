"""Install the map's JavaScript and CSS from the npm registry for offline use.

``python -m dashboard.vendor`` runs ``npm ci`` on dashboard/package.json (versions pinned there
and in dashboard/assets.py) and copies the files the map loads into dashboard/static/vendor/,
which git ignores: third-party code is installed, never committed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from dashboard.assets import ALL_ASSETS, EXTRA_FILES, PACKAGES, VENDOR_DIR, missing_local_files

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


def main() -> int:
    check_pins()
    npm_install()
    copied = copy_assets()
    missing = missing_local_files()
    if missing:
        print("missing after install:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    print(f"vendored {len(copied)} files into {VENDOR_DIR.relative_to(DASHBOARD_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
