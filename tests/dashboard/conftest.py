"""Shared fixtures for the dashboard tests: the small and the hostile GeoJSON fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import data
from tests.dashboard.browser_support import (  # noqa: F401  (fixtures for the browser tests)
    browser,
    full_server,
    hostile_server,
    page,
    small_server,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SMALL = FIXTURES / "members_small.geojson"
HOSTILE = FIXTURES / "members_hostile.geojson"
AREA = FIXTURES / "members_area.geojson"  # one member placed only as an approximate area


@pytest.fixture(scope="session")
def small_atlas() -> data.Atlas:
    return data.load_atlas(SMALL)


@pytest.fixture(scope="session")
def hostile_atlas() -> data.Atlas:
    return data.load_atlas(HOSTILE)


@pytest.fixture(scope="session")
def small_path() -> Path:
    return SMALL


@pytest.fixture(scope="session")
def hostile_path() -> Path:
    return HOSTILE


@pytest.fixture(scope="session")
def area_atlas() -> data.Atlas:
    return data.load_atlas(AREA)


@pytest.fixture(scope="session")
def area_path() -> Path:
    return AREA
