"""Country aliases and name folding: what a user types finds the roster's name."""

from __future__ import annotations

import unicodedata

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.names import REVIEWED_ALIASES, country_aliases, fold


def test_common_names_are_among_the_aliases():
    typed = {"TR": "Turkey", "KR": "South Korea", "VN": "Vietnam", "TZ": "Tanzania",
             "US": "USA", "GB": "UK", "CI": "Ivory Coast"}
    for code, name in typed.items():
        assert name in country_aliases(code), (code, name)


def test_aliases_come_from_pycountry_and_the_reviewed_table():
    assert "South Korea" in country_aliases("KR")
    assert "Republic of Türkiye" in country_aliases("TR")
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


def test_fold_ignores_case_accents_and_extra_spaces():
    assert fold("  Đà   Nẵng ") == "da nang"
    assert fold("Setúbal") == fold("SETUBAL") == "setubal"
    assert fold("Straße") == "strasse"
    assert fold("Diyarbakır") == "diyarbakir"


@given(st.text(alphabet=st.characters(categories=["L", "M", "Zs"]), max_size=20))
def test_fold_is_stable_and_leaves_no_marks(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.category(ch).startswith("M") for ch in folded)
    assert folded == folded.strip() and "  " not in folded


@pytest.mark.parametrize(("name", "typed"), [
    ("Sønderborg", "sonderborg"), ("Łódź", "lodz"), ("Ærø", "aero"), ("Đà Nẵng", "da nang"),
    ("Köln", "koln"), ("Straße", "strasse"), ("Œuvre", "oeuvre"), ("Þórshöfn", "thorshofn"),
])
def test_letters_without_accents_fold_like_accented_ones(name, typed):
    assert fold(name) == fold(typed) == typed


def test_search_and_gazetteer_fold_letters_with_one_table():
    from geodata.normalize import LETTER_FOLDS, normalise

    for letter, folded in LETTER_FOLDS.items():
        assert fold(letter) == fold(folded)
        assert normalise(letter) == normalise(folded)
