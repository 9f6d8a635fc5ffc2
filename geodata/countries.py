"""Country names as the atlas writes them: the roster's (UNESCO's), else ISO 3166's."""

from __future__ import annotations

from collections.abc import Iterable

import pycountry


def country_names(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """ISO code -> the roster's (UNESCO's) name of the country, from (iso2, country) pairs
    (the first pair of a code wins)."""
    names: dict[str, str] = {}
    for iso2, country in pairs:
        names.setdefault(iso2, country)
    return names


def country_name(iso2: str, names: dict[str, str]) -> str:
    """The roster's name of a country, else ISO 3166's (a country with no member yet)."""
    if iso2 in names:
        return names[iso2]
    found = pycountry.countries.get(alpha_2=iso2)
    return getattr(found, "common_name", None) or (found.name if found else iso2)
