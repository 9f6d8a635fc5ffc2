"""Streamlit glue: caching, widget state and the map-click callback. No layout here."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pycountry
import streamlit as st

from dashboard import (
    asof,
    assets,
    choropleth,
    coverage,
    data,
    growth,
    highlights,
    membertable,
    picker,
    shapes,
    urlstate,
)
from dashboard.details import md_escape
from dashboard.filters import FILTER_FIELDS, FilterState, apply_filters, searchable
from dashboard.map import members as map_members
from dashboard.map import statics

log = logging.getLogger(__name__)
MAP_KEY = "atlas_map"
SELECTED = "selected_id"
# The ranked pickers' keys (dashboard/picker.py); the countries chosen live in "w_countries".
COUNTRY_PICKER_KEY, CITY_PICKER_KEY = "w_country_picker", "w_city_picker"
# Counts the clicks on the map, and flags the one whose details the page should bring into view.
REVEALS = "details_reveals"
REVEAL_PENDING = "details_reveal_pending"
LOGGED_PROBLEMS = 20  # a broken file's problems in the server log, the first ones only
# widget key -> FilterState field
WIDGETS = {
    "w_rounds": "rounds", "w_regions": "regions", "w_countries": "countries",
    "w_search": "search", "w_new_capitals": "new_capitals_only",
    "w_first_time": "first_time_only", "w_focus": "focus_round",
    "w_mark_capitals": "mark_capitals", "w_mark_first_time": "mark_first_time",
    "w_as_of": "as_of", "w_view": "view",
}


@st.cache_resource(show_spinner=False)
def _atlas_at(path: str, mtime_ns: int) -> data.Atlas:
    loaded = data.load_atlas(Path(path))
    if loaded.problems:  # once per file version: this function is cached
        shown = "; ".join(loaded.problems[:LOGGED_PROBLEMS])
        more = len(loaded.problems) - LOGGED_PROBLEMS
        log.warning("data file %s: %d feature(s) left out: %s%s", path, len(loaded.problems),
                    shown, f"; and {more} more (python -m geodata check lists them)"
                    if more > 0 else "")
    return loaded


def _version(path: Path) -> int:
    """Changes when the data file changes (the cache key of everything read from it)."""
    return path.stat().st_mtime_ns


def _current() -> tuple[str, int]:
    """The data file and its version: the first two arguments of every cached function here."""
    path = data.data_path()
    try:
        return str(path), _version(path)
    except OSError:
        raise data.missing_file(path) from None


def atlas() -> data.Atlas:
    """The data, read once per file version (shared by all sessions, never mutated).

    Raises data.DataError when the file cannot be shown at all (not cached: the next
    rerun reads the file again, so a rebuilt file is picked up). The server log gets the
    full path and problems; the page shows visitors neither the path nor a traceback.
    """
    try:
        return _atlas_at(*_current())
    except data.DataError as error:
        log.error("data file %s cannot be shown: %s", data.data_path(), error)
        raise


@st.cache_resource(show_spinner=False)
def _city_choices_at(path: str, mtime_ns: int) -> picker.Choices:
    options, groups = picker.city_options(_atlas_at(path, mtime_ns).members)
    return picker.Choices(options, groups,
                          statics.publish(picker.options_text(options, groups), "cities").url)


def city_choices() -> picker.Choices:
    """Every member as a "Find a city" option (alphabetical, accents ignored), with their
    countries' names and where the browser fetches them (once per data version)."""
    return _city_choices_at(*_current())


def city_options(shown_ids) -> tuple[tuple[picker.Option, ...], dict[str, list[str]]]:
    """The "Find a city" options for the members shown, and their countries' names."""
    choices = city_choices()
    shown_ids = set(shown_ids)
    return tuple(o for o in choices.options if o.value in shown_ids), choices.groups


@st.cache_resource(show_spinner=False)
def _coverage_at(path: str, mtime_ns: int) -> coverage.Coverage:
    return coverage.coverage(_atlas_at(path, mtime_ns))


def roster_coverage() -> coverage.Coverage:
    """Mapped vs announced, per round (computed once per data version)."""
    return _coverage_at(*_current())


@st.cache_resource(show_spinner=False)
def _coverage_markdown_at(path: str, mtime_ns: int) -> str:
    return coverage.markdown_table(_coverage_at(path, mtime_ns).table, md_escape)


def coverage_markdown() -> str:
    """The per-round coverage table as escaped Markdown (once per data version)."""
    return _coverage_markdown_at(*_current())


@st.cache_resource(show_spinner=False, max_entries=16)
def _new_capitals_at(path: str, mtime_ns: int, focus: str) -> tuple[tuple[str, str], ...]:
    members = _atlas_at(path, mtime_ns).members
    capitals = members[members["id"].isin(marks_for(path, mtime_ns, focus).new_capital_ids)]
    return tuple(zip(capitals["city"], capitals["country"], strict=True))


def new_capitals(focus: str) -> tuple[tuple[str, str], ...]:
    """(city, country) of the capitals admitted in the focus round, in roster order."""
    return _new_capitals_at(*_current(), focus)


@st.cache_data(show_spinner=False, max_entries=16)
def _first_time_check_at(path: str, mtime_ns: int, focus: str) -> highlights.FirstTimeCheck:
    loaded = _atlas_at(path, mtime_ns)
    announced = next((r.announced_first_time for r in loaded.rounds if r.key == focus), ())
    return highlights.check_first_time(loaded.members, focus, announced)


def first_time_check(focus: str) -> highlights.FirstTimeCheck:
    """The focus round's computed first-time countries against the announced ones."""
    return _first_time_check_at(*_current(), focus)


@st.cache_resource(show_spinner=False, max_entries=64)
def marks_for(path: str, mtime_ns: int, focus_round: str) -> highlights.Highlights:
    return highlights.compute(_atlas_at(path, mtime_ns).members, focus_round)


def marks(focus_round: str) -> highlights.Highlights:
    return marks_for(*_current(), focus_round)


@st.cache_data(show_spinner=False, max_entries=32)
def shaded_for(codes: frozenset[str]) -> str:
    return shapes.shaded_geojson(codes)


@dataclass(frozen=True)
class Shown:
    """The members the filters let through, and their ids (shared: read, never modify)."""

    members: pd.DataFrame
    ids: frozenset[str]


@st.cache_resource(show_spinner=False)
def _search_text_at(path: str, mtime_ns: int, which: str) -> pd.Series:
    """What a name search looks in, for the placed members or the whole roster (once per data
    version, not once per search)."""
    return searchable(getattr(_atlas_at(path, mtime_ns), which))


# The cached functions below take the filter state twice: as its repr, which is what the cache
# hashes (a short string, cheap to hash), and as the object itself, which the leading
# underscore keeps out of the hash. Frozen dataclasses of plain values repr deterministically.
# The results are cached as resources, not data: they are immutable or only read, and this
# skips a pickle round trip on every rerun.
@st.cache_resource(show_spinner=False, max_entries=256)
def _shown_at(path: str, mtime_ns: int, state_key: str, _state: FilterState,
              focus: str) -> Shown:
    members = apply_filters(_atlas_at(path, mtime_ns).members, _state,
                            marks_for(path, mtime_ns, focus),
                            _search_text_at(path, mtime_ns, "members"))
    return Shown(members, frozenset(members["id"]))


def _per_state(cached, state: FilterState, focus: str):
    """Call one of the per-filter-state caches here with the current data and the state's
    filters, as its key and as its value: the selected city and the view filter nothing."""
    filters = replace(state, city="", view=urlstate.VIEWS[0])
    return cached(*_current(), repr(filters), filters, focus)


def shown(state: FilterState, focus: str) -> Shown:
    """The filtered members, computed once per filter state."""
    return _per_state(_shown_at, state, focus)


@st.cache_resource(show_spinner=False)
def _map_table_at(path: str, mtime_ns: int) -> tuple[map_members.MemberTable, str | None]:
    loaded = _atlas_at(path, mtime_ns)
    labels = tuple((key, loaded.round_label(key)) for key in loaded.round_keys)
    table = map_members.member_table(loaded.members, labels)
    return table, statics.publish(table.text, "members").url


def map_table() -> tuple[map_members.MemberTable, str | None]:
    """The members map's table, and the URL the browser fetches it from (once per data
    version; no URL if it could not be written, and the map then carries it)."""
    return _map_table_at(*_current())


@st.cache_resource(show_spinner=False, max_entries=256)
def _map_state_at(path: str, mtime_ns: int, state_key: str, _state: FilterState,
                  focus: str) -> dict:
    table, _ = _map_table_at(path, mtime_ns)
    return map_members.map_state(
        table, _shown_at(path, mtime_ns, state_key, _state, focus).members,
        marks_for(path, mtime_ns, focus), _state.mark_capitals, _state.mark_first_time,
        _atlas_at(path, mtime_ns).round_label(focus))


def map_state(state: FilterState, focus: str) -> dict:
    """What a rerun tells the mounted map (shared: read, never modify), per filter state."""
    return _per_state(_map_state_at, state, focus)


def choices_of(loaded: data.Atlas) -> urlstate.Choices:
    """What the widgets and a link may choose from."""
    members = loaded.members
    return urlstate.Choices(
        rounds=loaded.round_keys,
        regions=tuple(sorted(set(members["region"]))),
        countries=tuple(sorted(set(members["iso2"]))),
        ids=frozenset(members["id"]),
    )


@st.cache_resource(show_spinner=False)
def _choices_at(path: str, mtime_ns: int) -> urlstate.Choices:
    return choices_of(_atlas_at(path, mtime_ns))


def choices() -> urlstate.Choices:
    """choices_of() the current data, once per data version."""
    return _choices_at(*_current())


@st.cache_resource(show_spinner=False)
def _country_names_at(path: str, mtime_ns: int) -> dict[str, str]:
    members = _atlas_at(path, mtime_ns).members
    return dict(zip(members["iso2"], members["country"], strict=True))


def country_names() -> dict[str, str]:
    """ISO code -> the roster's country name (shared: read, never modify)."""
    return _country_names_at(*_current())


@st.cache_resource(show_spinner=False)
def _country_choices_at(path: str, mtime_ns: int) -> picker.Choices:
    options = picker.country_options(_country_names_at(path, mtime_ns))
    return picker.Choices(options, {},
                          statics.publish(picker.options_text(options, {}), "countries").url)


def country_choices() -> picker.Choices:
    """The Country picker's options, with every name each country goes by, and where the
    browser fetches them."""
    return _country_choices_at(*_current())


def country_options() -> tuple[picker.Option, ...]:
    return country_choices().options


def choose_countries(values: list[str]) -> None:
    st.session_state["w_countries"] = values


def choose_city(values: list[str]) -> None:
    st.session_state[SELECTED] = values[0] if values else None


def start_session(loaded: data.Atlas) -> None:
    """On a session's first run, put the link's view into the widgets (once)."""
    if "atlas_started" in st.session_state:
        return
    state, notices = urlstate.parse(st.query_params.to_dict(), choices())
    notices += urlstate.repeated_notices(_repeated_params())
    for key, name in WIDGETS.items():
        value = getattr(state, name)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.session_state["w_focus"] = state.focus_round or loaded.latest_round
    st.session_state[SELECTED] = state.city or None
    st.session_state["url_notices"] = notices
    st.session_state["atlas_started"] = True


def current_state(loaded: data.Atlas) -> FilterState:
    values = {name: st.session_state.get(key) for key, name in WIDGETS.items()}
    for name in ("rounds", "regions", "countries"):
        values[name] = tuple(values[name] or ())
    values["search"] = values["search"] or ""
    focus = values["focus_round"]
    values["focus_round"] = "" if focus in (None, loaded.latest_round) else focus
    for name in ("new_capitals_only", "first_time_only", "mark_capitals", "mark_first_time"):
        values[name] = bool(values[name])
    values["as_of"] = values["as_of"] or ""
    values["view"] = values["view"] or urlstate.VIEWS[0]
    values["as_of_rounds"] = asof.rounds_through(choices().rounds, values["as_of"])
    return FilterState(**values, city=st.session_state.get(SELECTED) or "")


def _repeated_params() -> list[str]:
    """Link parameters given more than once (the last copy is the one read)."""
    return [key for key in st.query_params if len(st.query_params.get_all(key)) > 1]


def write_url(state: FilterState) -> None:
    """Keep the address bar in step with the view (only when it changed): what is shown,
    without unknown, bad or repeated parameters."""
    wanted = urlstate.to_params(state)
    if st.query_params.to_dict() != wanted or _repeated_params():
        st.query_params.from_dict(wanted)


def on_map_click() -> None:
    """streamlit-folium calls this when the map's value changes: a click on a member."""
    value = st.session_state.get(MAP_KEY) or {}
    drawing = value.get("last_active_drawing") or {}
    member_id = (drawing.get("properties") or {}).get("id")
    if member_id:
        st.session_state[SELECTED] = member_id
        st.session_state[REVEALS] = st.session_state.get(REVEALS, 0) + 1
        st.session_state[REVEAL_PENDING] = True


def clear_filters() -> None:
    """The "Clear filters" button: every filter back to its default (all members)."""
    default = FilterState()
    for key, name in WIDGETS.items():
        if name in FILTER_FIELDS:
            value = getattr(default, name)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


def offline() -> bool:
    """Load the map's files from this server (installed, or forced by the setting)."""
    return assets.use_local_files()


def country_name(code: str) -> str:
    """A country's name for codes with no member in the data (pycountry's common name)."""
    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or getattr(found, "name", code) if found else code


# --- The views beyond the map (table, growth, countries, exports): the filtered roster, placed
# or not, and what each view builds from it, cached per filter state like the map's rows.
@st.cache_resource(show_spinner=False, max_entries=256)
def _roster_shown_at(path: str, mtime_ns: int, state_key: str, _state: FilterState,
                     focus: str) -> pd.DataFrame:
    return apply_filters(_atlas_at(path, mtime_ns).roster, _state,
                         marks_for(path, mtime_ns, focus),
                         _search_text_at(path, mtime_ns, "roster"))


def roster_shown(state: FilterState, focus: str) -> pd.DataFrame:
    """Every member the filters let through, placed or not (shared: read, never modify)."""
    return _per_state(_roster_shown_at, state, focus)


def undated_left_out(state: FilterState, focus: str) -> int:
    """Members the filters let through but an "as of" view leaves out: their round is unknown."""
    return asof.undated_count(roster_shown(replace(state, as_of="", as_of_rounds=()), focus))


@st.cache_resource(show_spinner=False, max_entries=64)
def _member_table_at(path: str, mtime_ns: int, state_key: str, _state: FilterState,
                     focus: str) -> tuple[pd.DataFrame, str]:
    loaded = _atlas_at(path, mtime_ns)
    table = membertable.member_table(
        _roster_shown_at(path, mtime_ns, state_key, _state, focus), loaded.round_label)
    caption = f"Members shown: {len(table)}"
    return table, membertable.html_table(table, caption)


def members_table(state: FilterState, focus: str) -> tuple[pd.DataFrame, str]:
    """The members table's rows, and the same rows as an escaped HTML table."""
    return _per_state(_member_table_at, state, focus)


@st.cache_resource(show_spinner=False, max_entries=64)
def _growth_at(path: str, mtime_ns: int, state_key: str, _state: FilterState,
               focus: str) -> tuple[pd.DataFrame, tuple[dict, ...]]:
    table = growth.growth_table(_roster_shown_at(path, mtime_ns, state_key, _state, focus),
                                _atlas_at(path, mtime_ns).rounds)
    return table, tuple(build(table).to_dict() for build, _ in growth.CHARTS)


def growth_data(state: FilterState, focus: str) -> tuple[pd.DataFrame, tuple[dict, ...]]:
    """The growth table and its charts' Vega-Lite specs (built once per filter state)."""
    return _per_state(_growth_at, state, focus)


@st.cache_resource(show_spinner=False, max_entries=64)
def _joined_at(path: str, mtime_ns: int, state_key: str, _state: FilterState,
               focus: str) -> choropleth.JoinedView:
    loaded = _atlas_at(path, mtime_ns)
    return choropleth.joined_view(
        _roster_shown_at(path, mtime_ns, state_key, _state, focus),
        [r.key for r in loaded.rounds], loaded.round_label,
        dict(zip(loaded.roster["iso2"], loaded.roster["country"], strict=True)), shaded_for)


def joined(state: FilterState, focus: str) -> choropleth.JoinedView:
    """The countries-by-first-round map's view of the filtered members."""
    return _per_state(_joined_at, state, focus)
