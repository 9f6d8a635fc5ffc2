"""Country aliases and picker labels: what a user types finds the roster's name."""

from __future__ import annotations

import unicodedata

import pycountry
from hypothesis import given
from hypothesis import strategies as st

from dashboard.names import (
    REVIEWED_ALIASES,
    city_label,
    country_aliases,
    country_label,
    fold,
)


def finds(typed: str, label: str) -> bool:
    """What the pickers do with typed text: a case-insensitive substring of the label."""
    return typed.casefold() in label.casefold()


def test_common_names_find_their_country():
    roster = {"TR": "Türkiye", "KR": "Republic of Korea", "VN": "Viet Nam",
              "TZ": "United Republic of Tanzania", "US": "United States of America",
              "GB": "United Kingdom of Great Britain and Northern Ireland",
              "CI": "Côte d'Ivoire"}
    typed = {"TR": "Turkey", "KR": "South Korea", "VN": "Vietnam", "TZ": "Tanzania",
             "US": "USA", "GB": "UK", "CI": "Ivory Coast"}
    for code, name in roster.items():
        label = country_label(name, code)
        assert finds(typed[code], label), (typed[code], label)
        assert label.startswith(name)


def test_korea_finds_only_the_republic_of_korea():
    labels = {code: country_label(name, code) for code, name in [
        ("KR", "Republic of Korea"), ("GB", "United Kingdom of Great Britain and Northern Ireland"),
        ("UA", "Ukraine"), ("US", "United States of America")]}
    assert [code for code, label in labels.items() if finds("Korea", label)] == ["KR"]


def test_labels_stay_short():
    # Official long forms are searchable in the name search but not spelled out in labels.
    assert country_label("France", "FR") == "France"
    assert country_label("Republic of Korea", "KR") == "Republic of Korea (South Korea)"
    assert country_label("Türkiye", "TR") == "Türkiye (Turkiye, Turkey)"
    assert country_label("Iran (Islamic Republic of)", "IR") == "Iran (Islamic Republic of)"


def test_city_labels_carry_the_accent_free_name_and_the_country_aliases():
    assert city_label("Setúbal", "Portugal", "PT") == "Setúbal, Portugal (Setubal)"
    assert finds("setubal", city_label("Setúbal", "Portugal", "PT"))
    assert finds("Turkey", city_label("Bursa", "Türkiye", "TR"))
    assert city_label("Lisbon", "Portugal", "PT") == "Lisbon, Portugal"
    assert not finds("Seoul", city_label("Setúbal", "Portugal", "PT"))


def test_aliases_come_from_pycountry_and_the_reviewed_table():
    assert "South Korea" in country_aliases("KR")
    assert "Republic of Türkiye" in country_aliases("TR")
    assert "Republic of Türkiye" not in country_aliases("TR", official=False)
    assert "Turkey" in country_aliases("TR")
    assert not any(", " in name for name in country_aliases("KR"))  # no "Korea, Republic of"
    # Every reviewed code is a real country, and no reviewed alias names two countries.
    owners: dict[str, str] = {}
    for code, aliases in REVIEWED_ALIASES.items():
        assert pycountry.countries.get(alpha_2=code) is not None, code
        for alias in aliases:
            assert owners.setdefault(fold(alias), code) == code, alias


def test_unknown_code_has_only_reviewed_names():
    assert country_aliases("XX") == ()


@given(st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=20))
def test_a_city_label_is_found_by_its_name_with_or_without_accents(city):
    label = city_label(city, "Portugal", "PT")
    without_accents = "".join(ch for ch in unicodedata.normalize("NFKD", city)
                              if not unicodedata.combining(ch))
    assert finds(city, label)
    assert finds(without_accents.replace("Đ", "D").replace("đ", "d").replace("ı", "i"), label)
