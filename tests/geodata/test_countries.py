"""Country names: the roster's spelling wins; ISO 3166's common name covers the rest."""

from geodata.countries import country_name, country_names


def test_the_roster_name_wins_and_the_first_pair_of_a_code_decides():
    names = country_names([("KR", "Republic of Korea"), ("KR", "Korea"), ("TR", "Türkiye")])
    assert names == {"KR": "Republic of Korea", "TR": "Türkiye"}
    assert country_name("TR", names) == "Türkiye"


def test_a_country_with_no_member_takes_its_iso_name():
    assert country_name("NE", {}) == "Niger"
    assert country_name("BO", {}) == "Bolivia"  # ISO's common name, not the official one
    assert country_name("XZ", {}) == "XZ"  # unknown codes stay as they are
