"""The other names people type for a country, and name folding for search.

A user types "Turkey", "South Korea", "USA" or "Setubal"; the roster says "Türkiye",
"Republic of Korea", "United States of America", "Setúbal". The search box and the pickers
(dashboard/picker.py) match what was typed against these names folded (case and accents
ignored), with each country's aliases from pycountry (its short, official and common names,
maintained with ISO 3166) plus REVIEWED_ALIASES, a short table of everyday names that
pycountry does not carry. picker.js folds the same way as fold() (a browser test compares them).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

from geodata.normalize import LETTER_FOLDS

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


_LETTERS = re.compile("[" + "".join(LETTER_FOLDS) + "]")


def fold(text: str) -> str:
    """Case- and accent-insensitive form for name search ("Đà Nẵng" matches "da nang",
    "sonderborg" Sønderborg); picker.js does the same with the same table."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    folded = _LETTERS.sub(lambda m: LETTER_FOLDS[m.group()], bare.casefold())
    return " ".join(folded.split())


@lru_cache(maxsize=1024)
def country_aliases(iso2: str) -> tuple[str, ...]:
    """A country's other names: pycountry's common, short and official names, then the
    reviewed ones.

    pycountry's inverted short names ("Korea, Republic of") are left out: nobody types them,
    and their words are in the official name anyway.
    """
    found = pycountry.countries.get(alpha_2=iso2)
    names = [getattr(found, field, None) for field in ("common_name", "name", "official_name")]
    names = [name for name in names if name and ", " not in name]
    names += REVIEWED_ALIASES.get(iso2, ())
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=512)
def country_search_text(iso2: str) -> str:
    """A country's aliases, folded and joined, to append to a searched name."""
    return " | ".join(fold(name) for name in country_aliases(iso2))


def country_name(code: str) -> str:
    """A country's name for codes with no member in the data (pycountry's common name)."""
    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or getattr(found, "name", code) if found else code
