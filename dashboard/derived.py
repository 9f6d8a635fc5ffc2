"""Everything the page derives from the data, cached: per data version, per focus round or per
scope (dashboard.state.model.Scope), so a rerun repeats no work another rerun has done.

Every function takes the rerun's Snapshot first: one stat of the data file per rerun, so one
rerun never mixes two versions of it. The arguments are hashable values (frozen dataclasses of
plain values), which is what Streamlit's caches key on. Results are cached as resources, not
data: they are immutable or only read, and this skips a pickle round trip on every rerun.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import (
    asof,
    choropleth,
    coverage,
    data,
    growth,
    highlights,
    membertable,
    picker,
    shapes,
)
from dashboard.data import Snapshot
from dashboard.details import md_escape
from dashboard.filters import apply_filters, searchable
from dashboard.map import members as map_members
from dashboard.map import statics
from dashboard.state.model import AtlasState, Display, Scope
from dashboard.state.urlstate import Choices

log = logging.getLogger(__name__)
LOGGED_PROBLEMS = 20  # a broken file's problems in the server log, the first ones only


@st.cache_resource(show_spinner=False)
def atlas(snap: Snapshot) -> data.Atlas:
    """The data, read once per file version (shared by all sessions, never mutated).

    Raises data.DataError when the file cannot be shown at all (not cached: the next
    rerun reads the file again, so a rebuilt file is picked up). The server log gets the
    full path and problems; the page shows visitors neither the path nor a traceback.
    """
    try:
        loaded = data.load_atlas(Path(snap.path))
    except data.DataError as error:
        log.error("data file %s cannot be shown: %s", snap.path, error)
        raise
    if loaded.problems:  # once per file version: this function is cached
        shown = "; ".join(loaded.problems[:LOGGED_PROBLEMS])
        more = len(loaded.problems) - LOGGED_PROBLEMS
        log.warning("data file %s: %d feature(s) left out: %s%s", snap.path,
                    len(loaded.problems), shown,
                    f"; and {more} more (python -m geodata check lists them)" if more > 0 else "")
    return loaded


@dataclass(frozen=True)
class Run:
    """What one rerun works from: one snapshot of the data, the state read once from the
    session, and what every view needs of them."""

    snap: Snapshot
    atlas: data.Atlas
    state: AtlasState
    marks: highlights.Highlights  # of the focus round
    shown: pd.DataFrame  # the placed members the scope lets through (read, never modify)
    visible_ids: frozenset[str]

    @property
    def focus(self) -> str:
        return self.state.display.focus_round

    @classmethod
    def of(cls, snap: Snapshot, state: AtlasState) -> Run:
        selection = shown(snap, state.scope)
        return cls(snap, atlas(snap), state, marks(snap, state.display.focus_round),
                   selection.members, selection.ids)


def choices_of(loaded: data.Atlas) -> Choices:
    """What the widgets and a link may choose from. Any roster member may be the chosen city:
    the table lists the unplaced ones too."""
    members = loaded.members
    return Choices(rounds=loaded.round_keys, regions=tuple(sorted(set(members["region"]))),
                   countries=tuple(sorted(set(members["iso2"]))),
                   ids=frozenset(loaded.roster["id"]))


@st.cache_resource(show_spinner=False)
def choices(snap: Snapshot) -> Choices:
    return choices_of(atlas(snap))


@st.cache_resource(show_spinner=False)
def country_names(snap: Snapshot) -> dict[str, str]:
    """ISO code -> the roster's country name (shared: read, never modify)."""
    members = atlas(snap).members
    return dict(zip(members["iso2"], members["country"], strict=True))


@st.cache_resource(show_spinner=False)
def country_choices(snap: Snapshot) -> picker.Choices:
    """The Country picker's options, with every name each country goes by, and where the
    browser fetches them (once per data version)."""
    options = picker.country_options(country_names(snap))
    return picker.Choices(options, {},
                          statics.publish(picker.options_text(options, {}), "countries").url)


@st.cache_resource(show_spinner=False)
def city_choices(snap: Snapshot) -> picker.Choices:
    """Every member as a "Find a city" option (alphabetical, accents ignored), with their
    countries' names and where the browser fetches them (once per data version)."""
    options, groups = picker.city_options(atlas(snap).members)
    return picker.Choices(options, groups,
                          statics.publish(picker.options_text(options, groups), "cities").url)


@st.cache_resource(show_spinner=False)
def roster_coverage(snap: Snapshot) -> coverage.Coverage:
    """Mapped vs announced, per round."""
    return coverage.coverage(atlas(snap))


@st.cache_resource(show_spinner=False)
def coverage_markdown(snap: Snapshot) -> str:
    """The per-round coverage table as escaped Markdown."""
    return coverage.markdown_table(roster_coverage(snap).table, md_escape)


@st.cache_resource(show_spinner=False)
def gaps_markdown(snap: Snapshot) -> str:
    """Where the missing members are, one brief escaped Markdown line per gap (About the data
    has what each source says: the map view sends this on every rerun)."""
    return coverage.located_markdown(roster_coverage(snap).located, md_escape, brief=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def marks(snap: Snapshot, focus: str) -> highlights.Highlights:
    return highlights.compute(atlas(snap).members, focus)


@st.cache_resource(show_spinner=False)
def first_rounds(snap: Snapshot) -> dict[str, str]:
    """ISO code -> the round its country was new to the network (shared: read only)."""
    return highlights.first_rounds(atlas(snap).members)


@st.cache_resource(show_spinner=False, max_entries=16)
def new_capitals(snap: Snapshot, focus: str) -> tuple[tuple[str, str], ...]:
    """(city, country) of the capitals admitted in the focus round, in roster order."""
    members = atlas(snap).members
    capitals = members[members["id"].isin(marks(snap, focus).new_capital_ids)]
    return tuple(zip(capitals["city"], capitals["country"], strict=True))


@st.cache_data(show_spinner=False, max_entries=16)
def first_time_check(snap: Snapshot, focus: str) -> highlights.FirstTimeCheck:
    """The focus round's computed first-time countries against the announced ones."""
    loaded = atlas(snap)
    announced = next((r.announced_first_time for r in loaded.rounds if r.key == focus), ())
    return highlights.check_first_time(loaded.members, focus, announced)


@st.cache_data(show_spinner=False, max_entries=32)
def shaded(codes: frozenset[str]) -> str:
    return shapes.shaded_geojson(codes)


@st.cache_resource(show_spinner=False)
def _search_text(snap: Snapshot, which: str) -> pd.Series:
    """What a name search looks in, for the placed members or the whole roster (once per data
    version, not once per search)."""
    return searchable(getattr(atlas(snap), which))


def _filtered(snap: Snapshot, scope: Scope, which: str) -> pd.DataFrame:
    loaded = atlas(snap)
    return apply_filters(getattr(loaded, which), scope, marks(snap, scope.focus),
                         loaded.round_keys, _search_text(snap, which))


@dataclass(frozen=True)
class Shown:
    """The members the scope lets through, and their ids (shared: read, never modify)."""

    members: pd.DataFrame
    ids: frozenset[str]


@st.cache_resource(show_spinner=False, max_entries=256)
def shown(snap: Snapshot, scope: Scope) -> Shown:
    """The placed members the scope lets through."""
    members = _filtered(snap, scope, "members")
    return Shown(members, frozenset(members["id"]))


@st.cache_resource(show_spinner=False, max_entries=256)
def roster_shown(snap: Snapshot, scope: Scope) -> pd.DataFrame:
    """Every member the scope lets through, placed or not (shared: read, never modify)."""
    return _filtered(snap, scope, "roster")


def undated_left_out(snap: Snapshot, scope: Scope) -> int:
    """Members the filters let through but an "as of" view leaves out: their round is unknown."""
    return asof.undated_count(roster_shown(snap, replace(scope, as_of="")))


@st.cache_resource(show_spinner=False)
def map_table(snap: Snapshot) -> tuple[map_members.MemberTable, str | None]:
    """The members map's table, and the URL the browser fetches it from (once per data
    version; no URL if it could not be written, and the map then carries it)."""
    loaded = atlas(snap)
    labels = tuple((key, loaded.round_label(key)) for key in loaded.round_keys)
    table = map_members.member_table(loaded.members, labels)
    return table, statics.publish(table.text, "members").url


@st.cache_resource(show_spinner=False, max_entries=256)
def map_state(snap: Snapshot, scope: Scope, display: Display) -> dict:
    """What a rerun tells the mounted map (shared: read, never modify)."""
    table, _ = map_table(snap)
    return map_members.map_state(table, shown(snap, scope).members, marks(snap, scope.focus),
                                 display.mark_capitals, display.mark_first_time,
                                 atlas(snap).round_label(scope.focus))


@st.cache_resource(show_spinner=False, max_entries=64)
def members_table(snap: Snapshot, scope: Scope) -> tuple[pd.DataFrame, str]:
    """The members table's rows, and the same rows as an escaped HTML table."""
    table = membertable.member_table(roster_shown(snap, scope), atlas(snap).round_label)
    return table, membertable.html_table(table, f"Members shown: {len(table)}")


@st.cache_resource(show_spinner=False, max_entries=64)
def growth_data(snap: Snapshot, scope: Scope) -> tuple[pd.DataFrame, tuple[dict, ...]]:
    """The growth table and its charts' Vega-Lite specs."""
    table = growth.growth_table(roster_shown(snap, scope), atlas(snap).rounds,
                                atlas(snap).roster)
    return table, tuple(build(table).to_dict() for build, _ in growth.CHARTS)


@st.cache_resource(show_spinner=False, max_entries=64)
def joined(snap: Snapshot, scope: Scope) -> choropleth.JoinedView:
    """The countries-by-first-round map's view of the filtered members."""
    loaded = atlas(snap)
    return choropleth.joined_view(
        roster_shown(snap, scope), [r.key for r in loaded.rounds], loaded.round_label,
        dict(zip(loaded.roster["iso2"], loaded.roster["country"], strict=True)), shaded)
