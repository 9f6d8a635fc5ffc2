"""The ranked picker: a Streamlit component (static/atlas/picker.js) for Country and Find a city.

Streamlit's own pickers list their matches in the options' fixed order, so the first match is
often not the best ("UK" + Enter picked Ukraine, "Tunis" picked Nabeul). This one ranks them in
the browser, as the user types, by how well a name fits (picker.js says how). The page gives it
options with every name a user may type, published once per data version as a static file
(options_text); a rerun sends only which of them are offered (a row set) and the selection. The
browser sends back the chosen values, which the callback checks against the options offered
before they reach the session state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import streamlit as st

from dashboard import names
from dashboard.map import statics
from dashboard.map.jsdata import row_set, safe_json
from geodata.normalize import LETTER_FOLDS

# A few lines sent with every rerun; picker.js and picker.css load from their static URLs.
_render = st.components.v2.component("atlas.picker", js=statics.file_text("component-entry.js"))
_FILES = {"module": statics.url_of("picker.js"), "styles": statics.url_of("picker.css")}


@dataclass(frozen=True)
class Option:
    """One choice: its value, what the list shows, and the names that find it.

    `group` names a shared list of names (a city's country and that country's other names),
    sent once rather than with each city; the list shows its first name beside the label.
    """

    value: str
    label: str
    names: tuple[str, ...] = ()
    group: str = ""

    def payload(self) -> list:
        """[value, label, group, names]: a list, not a dict (a large network has thousands of
        options), and without names that are just the label."""
        found = [self.value, self.label, self.group]
        if self.names and self.names != (self.label,):
            found.append(list(self.names))
        return found


def country_names(name: str, iso2: str) -> tuple[str, ...]:
    """The roster's name for a country, then the others people type ("Turkey", "UK")."""
    return tuple(dict.fromkeys((name, *names.country_aliases(iso2))))


def country_options(countries: dict[str, str]) -> tuple[Option, ...]:
    """ISO code -> roster name, as options in alphabetical order (accents ignored)."""
    return tuple(Option(code, name, names=country_names(name, code))
                 for code, name in sorted(countries.items(),
                                          key=lambda item: names.fold(item[1])))


def city_options(members) -> tuple[tuple[Option, ...], dict[str, list[str]]]:
    """Members (id, city, country, iso2) as options in alphabetical order, and each country's
    names for their groups (the roster's name first: the list shows it beside the city)."""
    rows = sorted(members.itertuples(index=False),
                  key=lambda row: (names.fold(row.city), names.fold(row.country)))
    options = tuple(Option(row.id, row.city, names=(row.city,), group=row.iso2)
                    for row in rows)
    groups = {row.iso2: list(country_names(row.country, row.iso2)) for row in rows}
    return options, groups


@dataclass(frozen=True)
class Choices:
    """A picker's options for one data version, and the URL of their published file."""

    options: tuple[Option, ...]
    groups: dict[str, list[str]]
    url: str | None


def options_text(options: tuple[Option, ...], groups: dict[str, list[str]]) -> str:
    """The options as the JSON file the browser fetches once (with the letter folds)."""
    return safe_json({"options": [option.payload() for option in options], "groups": groups,
                      "folds": LETTER_FOLDS})


@dataclass(frozen=True)
class Picker:
    """What the page says about one picker: its words, then (with_options) every option of
    the data version, where the browser fetches them (url; None: sent inline), and which of
    them are offered now (offered; None: all). `payload` is the data a rerun sends."""

    label: str
    multiple: bool
    placeholder: str
    hint: str
    empty: str
    more: str = ""  # the placeholder once something is chosen ("Add a country")
    options: tuple[Option, ...] = ()
    groups: dict[str, list[str]] = field(default_factory=dict)
    url: str | None = None
    offered: frozenset[str] | None = None

    def with_options(self, choices: Choices, offered: frozenset[str] | None = None) -> Picker:
        return replace(self, options=choices.options, groups=choices.groups, url=choices.url,
                       offered=offered)

    def offered_values(self) -> list[str]:
        return [o.value for o in self.options if self.offered is None or o.value in self.offered]

    def payload(self, selected: Iterable[str]) -> dict:
        words = {"label": self.label, "multiple": self.multiple,
                 "placeholder": self.placeholder, "more": self.more, "hint": self.hint,
                 "empty": self.empty, "selected": list(selected), **_FILES}
        if self.url is None:  # no published file: the options travel with every rerun
            offered = set(self.offered_values())
            return {**words, "groups": self.groups, "folds": LETTER_FOLDS,
                    "options": [o.payload() for o in self.options if o.value in offered]}
        visible = None if self.offered is None else row_set(
            (i for i, o in enumerate(self.options) if o.value in self.offered),
            len(self.options))
        return {**words, "optionsUrl": self.url, "visible": visible}


def chosen_values(sent, allowed: Iterable[str], multiple: bool) -> list[str]:
    """The values the browser sent, kept only if they are options (in the order sent, once)."""
    values = sent.get("values") if isinstance(sent, dict) else None
    if not isinstance(values, list):
        return []
    allowed = set(allowed)
    kept = list(dict.fromkeys(v for v in values if isinstance(v, str) and v in allowed))
    return kept if multiple else kept[-1:]


def show(picker: Picker, selected: Iterable[str], *, key: str,
         on_change: Callable[[list[str]], None]) -> None:
    """Draw the picker; on a choice, call on_change with the checked values."""
    allowed = picker.offered_values()

    def picked() -> None:
        result = st.session_state.get(key)
        on_change(chosen_values(getattr(result, "picked", None), allowed, picker.multiple))

    _render(key=key, data=picker.payload(selected), on_picked_change=picked)
