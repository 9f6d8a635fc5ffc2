from geodata.checks import COAST_TOLERANCE_KM, CountryShapes, capital_check


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
