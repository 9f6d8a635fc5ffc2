"""The offline GeoNames gazetteer, through its geopy interface."""

import pytest
from geopy.location import Location

from geodata.geocoders.gazetteer import GazetteerIndex, GeoNamesGazetteer


@pytest.mark.parametrize(
    ("query", "country", "geonameid"),
    [
        ("Cao Lãnh", "VN", 1586151),
        ("Sơn La", "VN", 1567681),
        ("Đà Nẵng", "VN", 1583992),  # GeoNames' own name is plain "Da Nang"
        ("'s-Hertogenbosch", "NL", 2747351),
        ("N’Zérékoré", "GN", 2416969),  # GeoNames writes "Nzérékoré"
        ("Novoyavorivsk", "UA", 8468760),  # GeoNames writes "Novoyavorivs'k"
    ],
)
def test_names_with_diacritics_and_punctuation(gazetteer, query, country, geonameid):
    loc = gazetteer.geocode(query, country_codes=country)
    assert isinstance(loc, Location)
    assert loc.raw["geonameid"] == geonameid
    assert loc.raw["countrycode"] == country


def test_raw_carries_id_name_country_population(gazetteer):
    loc = gazetteer.geocode("Đà Nẵng", country_codes=["VN"])
    assert loc.raw["name"] == "Da Nang"
    assert loc.raw["population"] > 1_000_000
    assert (round(loc.latitude, 2), round(loc.longitude, 2)) == (16.07, 108.22)


def test_country_filter_brest_is_french(gazetteer):
    assert gazetteer.geocode("Brest", country_codes="FR").raw["geonameid"] == 3030300
    assert gazetteer.geocode("Brest", country_codes="BY").raw["geonameid"] == 629634
    # Without a country the larger Brest (Belarus) wins: the filter is what matters.
    assert gazetteer.geocode("Brest").raw["countrycode"] == "BY"


def test_legazpi_philippines_not_spain(gazetteer):
    loc = gazetteer.geocode("Legazpi", country_codes="PH")
    assert loc.raw["countrycode"] == "PH"
    assert loc.raw["geonameid"] == 1706889  # Legaspi, Albay
    assert {p.countrycode for p in gazetteer.candidates("Legazpi")} >= {"PH", "ES"}


def test_subdivision_filter_keeps_places_inside_it(gazetteer):
    everywhere = gazetteer.candidates("San Justo", "AR")
    assert len(everywhere) >= 2  # Buenos Aires' San Justo is the larger
    assert gazetteer.candidates("San Justo", "AR")[0].admin1code == "01"
    santa_fe = gazetteer.geocode("San Justo", country_codes="AR", subdivision="AR-S")
    assert santa_fe.raw["subdivision"] == "AR-S" and santa_fe.latitude < -30
    assert gazetteer.geocode("San Justo", country_codes="AR", subdivision="AR-X") is None


def test_suzhou_jiangsu_not_anhui(gazetteer):
    found = gazetteer.geocode("Suzhou", country_codes="CN", exactly_one=False)
    assert found[0].raw["geonameid"] == 1886760 and found[0].raw["admin1code"] == "04"
    assert 1793743 in [loc.raw["geonameid"] for loc in found]  # Suzhou, Anhui, ranked lower


def test_two_gwangju_metropolitan_first_gyeonggi_by_admin1(gazetteer):
    both = gazetteer.geocode("Gwangju", country_codes="KR", exactly_one=False)
    assert [loc.raw["geonameid"] for loc in both] == [1841811, 1841810]
    gyeonggi = gazetteer.geocode("Gwangju", country_codes="KR", admin1="13")
    assert gyeonggi.raw["geonameid"] == 1841810


def test_capital_flag_from_geonames_countries(gazetteer):
    assert gazetteer.geocode("Yaoundé", country_codes="CM").raw["capital"] is True
    assert gazetteer.geocode("Brest", country_codes="FR").raw["capital"] is False
    assert gazetteer.capital_name("CM") == "Yaounde"


def test_commune_yaounde_1er_is_left_to_the_overrides(gazetteer):
    """Decision: '1er' communes are not normalised away; seeds/overrides.csv places them."""
    assert gazetteer.geocode("Yaoundé 1er", country_codes="CM") is None
    assert gazetteer.by_id(2220957).raw["name"] == "Yaoundé"


def test_unknown_name_is_none(gazetteer):
    assert gazetteer.geocode("Kuno Consortium", country_codes="KE") is None


def test_partial_index_is_cached_and_grows(cache_dir, gazetteer, monkeypatch):
    calls = []
    real_build = GazetteerIndex.build.__func__

    def counting_build(cls, *args, **kwargs):
        calls.append(args)
        return real_build(cls, *args, **kwargs)

    monkeypatch.setattr(GazetteerIndex, "build", classmethod(counting_build))
    again = GeoNamesGazetteer(names=["Brest", "Sơn La"], cache_dir=cache_dir)
    assert calls == []  # served from the pickle
    assert again.geocode("Brest", country_codes="FR").raw["geonameid"] == 3030300
    assert again.geocode("Kilifi", country_codes="KE").raw["geonameid"] == 192067
    assert len(calls) == 1  # a name outside the index: one rescan, then cached
    GeoNamesGazetteer(names=["Kilifi", "Brest"], cache_dir=cache_dir)
    assert len(calls) == 1


def test_it_is_called_as_geopy_documents_a_geocoder(gazetteer):
    """geopy's docs: geolocator.geocode(query, exactly_one=True, timeout=...)."""
    one = gazetteer.geocode("Brest", exactly_one=True, timeout=5)
    assert one.raw["countrycode"] == "BY"
    many = gazetteer.geocode("Brest", exactly_one=False, timeout=5)
    assert {loc.raw["countrycode"] for loc in many} >= {"BY", "FR"}
    assert isinstance(many[0].latitude, float) and one.address
