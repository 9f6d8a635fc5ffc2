from hypothesis import given
from hypothesis import strategies as st

from geodata.checks import (
    COAST_TOLERANCE_KM,
    STACK_DEGREES,
    CountryShapes,
    capital_check,
    stacked_points,
)


def test_points_inside_near_and_outside(cache_dir):
    shapes = CountryShapes(cache_dir)
    assert shapes.check("FR", 48.39029, -4.48628).detail == "inside"
    # 3 km off Brest's coast, in the Rade: within the coastal tolerance
    near = shapes.check("FR", 48.34, -4.60)
    assert near.ok and (near.detail == "inside" or "km of the border or coast" in near.detail)
    far = shapes.check("DE", 48.85, 2.35)
    assert not far.ok and "in FR" in far.detail
    assert COAST_TOLERANCE_KM == 10.0


def test_disputed_territory_is_accepted_and_said(cache_dir):
    check = CountryShapes(cache_dir).check("MA", 27.15, -13.2)  # Laayoune
    assert check.ok and "Western Sahara" in check.detail


def test_capital_check_wording():
    assert capital_check(True, True) == "agrees"
    assert capital_check(True, False) == "roster says capital, GeoNames does not"
    assert capital_check(False, True) == "GeoNames says capital, roster does not"


def feature(member_id, lat, lon, city=None):
    return {"id": member_id, "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"city": city or member_id}}


def test_stacked_points_name_every_member_of_the_group():
    features = [feature("kr-seoul", 37.566, 126.978, "Seoul"),
                feature("kr-dobong-gu", 37.566, 126.978, "Dobong-gu"),
                feature("kr-gangnam-gu", 37.5664, 126.9783, "Gangnam-gu"),
                feature("kr-busan", 35.1, 129.0, "Busan")]
    problems = stacked_points(features, set())
    assert problems == ["3 members at one point (37.566, 126.978): Dobong-gu (kr-dobong-gu), "
                        "Gangnam-gu (kr-gangnam-gu), Seoul (kr-seoul)"]


def test_declared_pairs_link_a_group_into_one_place():
    features = [feature("a-one", 10, 10), feature("a-two", 10, 10), feature("a-three", 10, 10)]
    chain = {frozenset(("a-one", "a-two")), frozenset(("a-three", "a-two"))}
    assert stacked_points(features, chain) == []
    assert len(stacked_points(features, {frozenset(("a-one", "a-two"))})) == 1


def test_unplaced_features_are_ignored():
    features = [feature("a-one", 10, 10), {"id": "a-two", "geometry": None, "properties": {}}]
    assert stacked_points(features, set()) == []


@given(st.lists(st.tuples(st.integers(-80, 80), st.integers(-170, 170)), min_size=1,
                max_size=30, unique=True),
       st.data())
def test_one_copied_point_is_found_whatever_the_others(cells, data):
    """Points on a 1-degree grid never stack; a copy of any one of them always does."""
    features = [feature(f"x-{i}", lat, lon) for i, (lat, lon) in enumerate(cells)]
    assert stacked_points(features, set()) == []
    twin = data.draw(st.sampled_from(features))
    lon, lat = twin["geometry"]["coordinates"]
    nudge = data.draw(st.floats(0, STACK_DEGREES * 0.9))
    features.append(feature("x-twin", lat + nudge, lon - nudge))
    problems = stacked_points(features, set())
    assert len(problems) == 1
    assert f"({twin['id']})" in problems[0] and "(x-twin)" in problems[0]
