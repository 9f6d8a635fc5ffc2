"""The other names people type for a country, and name folding for search.

A user types "Turkey", "South Korea", "USA" or "Setubal"; the roster says "Türkiye",
"Republic of Korea", "United States of America", "Setúbal". The search box and the pickers
match what was typed against these names folded (case and accents ignored), with each
country's aliases from pycountry (its short, official and common names, maintained with ISO
3166) plus REVIEWED_ALIASES, a short table of everyday names that pycountry does not carry.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pycountry

# Everyday names missing from pycountry's name/official_name/common_name, reviewed by hand.
# Only names that point at one country unambiguously (no "Congo", no "Korea" alone here).
REVIEWED_ALIASES: dict[str, tuple[str, ...]] = {
    "TR": ("Turkey",),
    "US": ("USA", "US", "America"),
    "GB": ("UK", "Britain", "Great Britain"),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "RU": ("Russia",),
    "CZ": ("Czech Republic",),
    "NL": ("Holland",),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "MM": ("Burma",),
    "AE": ("UAE",),
    "CD": ("DR Congo", "DRC"),
    "KP": ("North Korea",),
    "PS": ("Palestine",),
}


def fold(text: str) -> str:
    """Case- and accent-insensitive form for name search ("Đà Nẵng" matches "da nang")."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


@lru_cache(maxsize=1024)
def country_aliases(iso2: str, official: bool = True) -> tuple[str, ...]:
    """A country's other names: pycountry's common and short names, its official name unless
    official=False (pickers leave out "French Republic" and the like), then the reviewed ones.

    pycountry's inverted short names ("Korea, Republic of") are left out: nobody types them,
    and their words are in the official name anyway.
    """
    found = pycountry.countries.get(alpha_2=iso2)
    fields = ("common_name", "name", "official_name") if official else ("common_name", "name")
    names = [getattr(found, field, None) for field in fields]
    names = [name for name in names if name and ", " not in name]
    names += REVIEWED_ALIASES.get(iso2, ())
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=512)
def country_search_text(iso2: str) -> str:
    """A country's aliases, folded and joined, to append to a searched name."""
    return " | ".join(fold(name) for name in country_aliases(iso2))


def extra_terms(display: str, others: tuple[str, ...]) -> tuple[str, ...]:
    """The names a picker label must add so that typing any of them finds `display`.

    A picker filters its options by substring of the label, without folding accents: so the
    label carries the accent-free form of the display name when it differs, and each other name
    that is neither inside the label already nor a longer form of the display name ("Republic
    of Türkiye" for "Türkiye": typing any part of the short one already matches).
    """
    terms: list[str] = []
    plain = fold(display)
    if plain != display.casefold():
        terms.append(_plain_case(display))
    for name in others:
        folded = fold(name)
        known = " ".join([plain, *map(fold, terms)])
        if folded in known or plain in folded:
            continue
        terms.append(name)
    return tuple(terms)


def _plain_case(text: str) -> str:
    """The text without accents, keeping its capitals ("Türkiye" -> "Turkiye")."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def labelled(display: str, others: tuple[str, ...] = ()) -> str:
    """A picker label: the display name, then the extra search terms in parentheses."""
    extra = extra_terms(display, others)
    return f"{display} ({', '.join(extra)})" if extra else display


def country_label(name: str, iso2: str) -> str:
    """The Country picker's label: "Türkiye (Turkiye, Turkey)"."""
    return labelled(name, country_aliases(iso2, official=False))


def city_label(city: str, country: str, iso2: str) -> str:
    """The city picker's label: "Setúbal, Portugal (Setubal)", "Suwon, Republic of Korea
    (South Korea)"."""
    plain_city = _plain_case(city)
    extra = [plain_city] if fold(city) != city.casefold() else []
    extra += extra_terms(country, country_aliases(iso2, official=False))
    return f"{city}, {country} ({', '.join(extra)})" if extra else f"{city}, {country}"
