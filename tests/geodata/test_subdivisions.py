"""geodata.subdivisions: GeoNames admin1 -> ISO 3166-2, code checks, nearest place."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.subdivisions import (
    SUPPORT_KM,
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


def test_surroundings_give_the_nearest_admin1_and_are_cached(tmp_path):
    near = NearestPlaces(tmp_path)
    found = near.around("KR", 36.362, 127.356)  # Yuseong-gu's district office
    assert found.nearest == "KR-30" and found.km < 10  # Daejeon
    assert found.subdivision(None) == "KR-30"
    assert near.around("KR", 35.13648, 129.08266).nearest == "KR-26"  # Busan Nam-gu
    assert list(tmp_path.glob("surroundings-*.json")) == []  # written once, by save()
    near.save()
    path = next(tmp_path.glob("surroundings-*.json"))
    cached = json.loads(path.read_text())
    key = next(k for k in cached if k.startswith("KR 36.362 127.356 "))
    assert cached[key][0] == "KR-30"
    # A second instance answers from the file: a changed answer there is what it returns.
    cached[key][0] = "KR-11"
    path.write_text(json.dumps(cached))
    assert NearestPlaces(tmp_path).around("KR", 36.362, 127.356).nearest == "KR-11"


def test_a_stated_subdivision_borne_out_by_the_places_around_is_taken(tmp_path):
    # Dobong-gu (Seoul): the nearest cities500 place is across the boundary, in Gyeonggi.
    dobong = NearestPlaces(tmp_path, use_cache=False).around("KR", 37.65066, 127.03011)
    assert dobong.nearest == "KR-41"
    assert "KR-11" in dobong.around and dobong.around["KR-11"] <= dobong.km + SUPPORT_KM
    assert dobong.subdivision("KR-11") == "KR-11"
    assert dobong.subdivision(None) == "KR-41"  # nothing stated: the nearest place's
    # A statement the surroundings do not bear out is overruled (Busan is 300 km away).
    assert dobong.subdivision("KR-26") == "KR-41"


def test_surroundings_stay_in_the_country(tmp_path):
    # A point in Bahrain next to Saudi Arabia's coast: the places must be Bahraini.
    found = NearestPlaces(tmp_path, use_cache=False).around("BH", 26.15, 50.48)
    assert found.nearest.startswith("BH-")
    assert all(code.startswith("BH-") for code in found.around)


class FullScan(NearestPlaces):
    """The search over every place of the country, as it was before the spatial index."""

    def _candidates(self, iso2, lat, lon):
        return self._places(iso2)[0]


INDEXED, SCANNED = NearestPlaces(use_cache=False), FullScan(use_cache=False)


# Fiji and New Zealand's islands straddle the antimeridian; Norway reaches Svalbard's latitudes
# in the boxes; Bahrain is small and dense; Chile long and thin.
@settings(max_examples=80, deadline=None)
@given(iso2=st.sampled_from(["KR", "BH", "FJ", "NZ", "NO", "CL"]), pick=st.integers(0, 10**6),
       dlat=st.floats(-2, 2), dlon=st.floats(-4, 4))
def test_the_spatial_index_finds_what_a_full_scan_finds(iso2, pick, dlat, dlon):
    places, _ = INDEXED._places(iso2)
    base = places[pick % len(places)]
    lat = max(-89.9, min(89.9, base.lat + dlat))
    lon = (base.lng + dlon + 180) % 360 - 180
    assert INDEXED._search(iso2, lat, lon) == SCANNED._search(iso2, lat, lon)
