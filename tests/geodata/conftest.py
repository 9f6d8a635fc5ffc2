"""Shared fixtures: a copy of seeds/ per test, one gazetteer cache per session."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A members.csv row no gazetteer or override can place (Nominatim may, in its tests).
NOWHERE = ("ke-nowhere-consortium,Nowhere Consortium,Kenya,KE,,Africa,2022,2022-09-02,announced,"
           "no,,member,secondary,https://example.org/nowhere,test row,,,\n")


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory) -> Path:
    """Index caches for the whole session (never the user's ~/.cache).

    Also the default for code that finds its cache itself (``$LCA_CACHE_DIR``),
    e.g. the ISO 3166-2 table read while seeds are validated in-process.
    """
    path = tmp_path_factory.mktemp("lca-cache")
    previous = os.environ.get("LCA_CACHE_DIR")
    os.environ["LCA_CACHE_DIR"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("LCA_CACHE_DIR", None)
    else:
        os.environ["LCA_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def gazetteer(cache_dir):
    from geodata.geocoders.gazetteer import GeoNamesGazetteer

    names = [
        "Cao Lãnh", "Sơn La", "Đà Nẵng", "'s-Hertogenbosch", "Brest", "Legazpi", "Suzhou",
        "Gwangju", "Yaoundé", "Yaoundé 1er", "N’Zérékoré", "Novoyavorivsk", "San Justo",
    ]
    return GeoNamesGazetteer(names=names, cache_dir=cache_dir)


@pytest.fixture
def work(tmp_path) -> Path:
    """A scratch project: seeds/ copied from the repo, an empty geodata/."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "geodata").mkdir()
    return tmp_path


def run_geodata(*args, cwd: Path, cache_dir: Path | None = None):
    """``python -m geodata ...`` in a subprocess, with this checkout on the path."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), LCA_CACHE_DIR=str(cache_dir or cwd / ".cache"))
    return subprocess.run(
        [sys.executable, "-m", "geodata", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def built_from_seeds(tmp_path_factory, cache_dir) -> bytes:
    """members.geojson as a build of the real seeds/ writes it (built once per session)."""
    from geodata.cli import main

    out = tmp_path_factory.mktemp("built-from-seeds") / "members.geojson"
    status = main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(out),
                   "--allow-unplaced", "--no-progress", "--cache-dir", str(cache_dir)])
    assert status == 0
    return out.read_bytes()
