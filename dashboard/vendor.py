"""Install the map's JavaScript and CSS from the npm registry, without Node.

``python -m dashboard.vendor`` reads dashboard/package-lock.json (versions pinned there, in
package.json and in dashboard/assets.py), downloads each pinned tarball over HTTPS from the
URL the lockfile resolved, checks it against the lockfile's sha512 integrity hash, and
writes the files the map loads into dashboard/static/vendor/ (git-ignored: third-party code
is installed, never committed). axe-core, which only the browser tests use, goes to
tests/.vendor/. It also writes the offline base map (country outlines from Natural Earth) to
dashboard/static/basemap/. Packages already installed with the right hash are not fetched again.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path, PurePosixPath

from dashboard.assets import (
    ALL_ASSETS,
    BASEMAP_FILE,
    EXTRA_FILES,
    PACKAGES,
    TEST_ASSETS,
    TEST_PACKAGES,
    VENDOR_DIR,
    missing_local_files,
)
from dashboard.shapes import basemap_geojson
from geodata.paths import atomic_write

DASHBOARD_DIR = Path(__file__).resolve().parent
LOCKFILE = DASHBOARD_DIR / "package-lock.json"
REGISTRY = "https://registry.npmjs.org/"
MAX_TARBALL = 20_000_000  # bytes; the largest pinned package (axe-core) is ~3 MB


class VendorError(Exception):
    """A pin, download or tarball that cannot be trusted; the message says which."""


def check_pins() -> dict[str, dict]:
    """The lockfile's entry per package dashboard/package.json names (assets.PACKAGES), after
    checking that the lockfile pins the same versions."""
    locked = json.loads(LOCKFILE.read_text(encoding="utf-8"))["packages"]
    entries = {}
    for name, version in {**PACKAGES, **TEST_PACKAGES}.items():
        entry = locked.get(f"node_modules/{name}")
        if entry is None or entry.get("version") != version:
            raise VendorError(f"dashboard/package-lock.json does not pin {name} {version}")
        url = entry.get("resolved", "")
        if not url.startswith(REGISTRY) or not entry.get("integrity", "").startswith("sha512-"):
            raise VendorError(f"dashboard/package-lock.json: {name} needs a resolved "
                              f"{REGISTRY} URL and a sha512 integrity hash")
        entries[name] = entry
    return entries


def verify(tarball: bytes, integrity: str, name: str) -> None:
    """Raise unless the bytes match the lockfile's Subresource-Integrity sha512 hash."""
    expected = integrity.removeprefix("sha512-")
    actual = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if actual != expected:
        raise VendorError(f"{name}: the downloaded tarball does not match the lockfile's "
                          f"integrity hash (got sha512-{actual})")


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as reply:
        body = reply.read(MAX_TARBALL + 1)
    if len(body) > MAX_TARBALL:
        raise VendorError(f"{url}: larger than {MAX_TARBALL} bytes")
    return body


def wanted_paths(package: str, assets) -> list[str]:
    return [a.path for a in assets if a.package == package]


def safe_member_path(member: tarfile.TarInfo) -> PurePosixPath | None:
    """The path inside the package ("package/dist/x.js" -> "dist/x.js") for a regular file
    that stays inside it; None for links, devices, absolute or climbing paths."""
    if not member.isfile():
        return None
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        return None
    return PurePosixPath(*path.parts[1:])  # npm tarballs wrap everything in one folder


def extract(tarball: bytes, wanted: list[str], target: Path) -> list[Path]:
    """Write the wanted files (or folders' files) of a package tarball under target.

    Only regular files whose cleaned path lies under a wanted path are written, each through
    its own file object: nothing in the archive chooses where a file lands or what it is.
    """
    written = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            inner = safe_member_path(member)
            if inner is None or not any(
                    inner == PurePosixPath(w) or PurePosixPath(w) in inner.parents
                    for w in wanted):
                continue
            destination = target.joinpath(*inner.parts)
            if target.resolve() not in destination.resolve().parents:
                raise VendorError(f"{member.name}: path leaves {target}")
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            atomic_write(destination, source.read())
            written.append(destination)
    missing = [w for w in wanted if not (target / w).exists()]
    if missing:
        raise VendorError(f"not in the tarball: {', '.join(missing)}")
    return written


def stamp_of(folder: Path) -> Path:
    return folder / ".integrity"


def install(name: str, entry: dict, assets, folder: Path) -> int:
    """Fetch, verify and extract one package unless its stamp says it is there already."""
    stamp = stamp_of(folder)
    paths = wanted_paths(name, assets)
    if (stamp.exists() and stamp.read_text() == entry["integrity"]
            and all((folder / p).exists() for p in paths)):
        return 0
    tarball = download(entry["resolved"])
    verify(tarball, entry["integrity"], name)
    folder.mkdir(parents=True, exist_ok=True)
    written = extract(tarball, paths, folder)
    stamp.write_text(entry["integrity"])
    return len(written)


def write_basemap() -> Path:
    """The offline base map, from Natural Earth (public domain), written atomically."""
    BASEMAP_FILE.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(BASEMAP_FILE, basemap_geojson().encode("utf-8"))
    return BASEMAP_FILE


def main(argv: list[str] | None = None) -> int:
    about = __doc__.strip().split("\n\n")[0]
    # No options: --help says what it does.
    argparse.ArgumentParser(prog="python -m dashboard.vendor", description=about).parse_args(argv)
    try:
        entries = check_pins()
        written = 0
        map_assets = (*ALL_ASSETS, *EXTRA_FILES)
        for name in PACKAGES:
            written += install(name, entries[name], map_assets, VENDOR_DIR / name)
        for name in TEST_PACKAGES:
            asset = TEST_ASSETS[name]
            written += install(name, entries[name], (asset,), asset.local_path.parent)
        write_basemap()
        written += 1
    except (VendorError, OSError) as problem:
        print(f"python -m dashboard.vendor: {problem}", file=sys.stderr)
        return 1
    missing = missing_local_files()
    if missing:
        print("missing after install:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    print(f"{written} files written; map assets in {VENDOR_DIR.relative_to(DASHBOARD_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
