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
    page_pool,
    screen,
    screens,
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


LAPSE_SOURCES = ["https://example.org/national-list", "javascript:alert(1)"]


@pytest.fixture(scope="session")
def lapse_atlas() -> data.Atlas:
    """The small fixture with its first placed member marked as a possible lapse (one of its
    two sources is not a safe link)."""
    import json

    collection = json.loads(SMALL.read_text(encoding="utf-8"))
    feature = next(f for f in collection["features"] if f["geometry"])
    feature["properties"].update(lapse="possible", lapse_date="2026-02-03",
                                 lapse_sources=LAPSE_SOURCES)
    return data.parse_atlas(collection)
