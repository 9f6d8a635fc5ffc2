"""The views beside the map (countries, table, growth, about), the as-of control, the
downloads and the copy-link button. Streamlit layout only; the data come from dashboard.derived.
"""

from __future__ import annotations

import os
import time
from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import about, asof, choropleth, copylink, derived, exports, layout, standalone
from dashboard.assets import use_local_files
from dashboard.data import Atlas
from dashboard.details import md_escape
from dashboard.growth import CHARTS
from dashboard.map.folium_map import MAP_HEIGHT
from dashboard.membertable import HEADERS, NOT_PLACED
from dashboard.state import keys, session, urlstate

VIEW_LABELS = {"map": "Map", "countries": "Countries by round", "table": "Table",
               "growth": "Growth", "about": "About the data"}
# How long each round stays on screen while playing (ATLAS_PLAY_SECONDS: the browser tests'
# shorter step).
PLAY_SECONDS = float(os.environ.get("ATLAS_PLAY_SECONDS") or 1.6)


def before_widgets() -> None:
    """Before any widget is drawn: a step of the play control lands here."""
    if keys.PENDING_AS_OF in st.session_state:
        _show_as_of(st.session_state.pop(keys.PENDING_AS_OF))


def _show_as_of(as_of: str, latest: str = "") -> None:
    """The network as of a round, whose newcomers then stand out (the focus round follows:
    as of 2020, the 2020 capitals and first-time countries; today, the latest round's)."""
    st.session_state[keys.AS_OF.key] = as_of
    st.session_state[keys.FOCUS.key] = as_of or latest


def _as_of_chosen(latest: str) -> None:
    _show_as_of(st.session_state.get(keys.AS_OF.key) or "", latest)


def _start_playing(steps: tuple[str, ...]) -> None:
    st.session_state[keys.PLAYING] = True
    _show_as_of(steps[0])


def _stop_playing() -> None:
    st.session_state[keys.PLAYING] = False


def as_of_control(atlas: Atlas) -> None:
    """The sidebar's "as of a round" select, with play and stop buttons."""
    steps = asof.timeline(atlas.round_keys)
    if st.session_state.get(keys.AS_OF.key) not in steps[:-1]:
        st.session_state[keys.PLAYING] = False  # the last round (or none) is shown: play is over
    with st.sidebar:
        st.divider()
        st.selectbox("Network as of", ["", *steps], key=keys.AS_OF.key,
                     on_change=_as_of_chosen, args=(atlas.latest_round,),
                     format_func=lambda k: f"After the {atlas.round_label(k)} round" if k
                     else "Today (every round)",
                     help="Show the network as it stood after a round: members admitted up to "
                          "and including it, with that round's newcomers standing out. "
                          "Members of unknown round are left out.")
        if st.session_state.get(keys.PLAYING):
            st.button("■ Stop", key=keys.STOP, on_click=_stop_playing,
                      help="Stop stepping through the rounds.")
        else:
            st.button("▶ Play the rounds", key=keys.PLAY, on_click=_start_playing, args=(steps,),
                      help="Step through the rounds, one every two seconds or so.")


def keep_playing(run: derived.Run) -> None:
    """While playing: a timer (a fragment run every PLAY_SECONDS, so no run waits) that shows
    the next round once this one has been on screen long enough, or stops after the last."""
    if not st.session_state.get(keys.PLAYING):
        st.session_state.pop(keys.PLAY_TICK, None)
        return
    steps = asof.timeline(run.atlas.round_keys)
    as_of = run.state.route.as_of
    if as_of not in steps or as_of == steps[-1]:
        st.session_state[keys.PLAYING] = False
        return
    st.session_state[keys.PLAY_TICK] = time.monotonic()
    _play_clock(steps[steps.index(as_of) + 1])


@st.fragment(run_every=PLAY_SECONDS)
def _play_clock(next_round: str) -> None:
    shown_at = st.session_state.get(keys.PLAY_TICK)
    if shown_at is None or time.monotonic() - shown_at < PLAY_SECONDS * 0.9:
        return  # the run that drew this round, or a tick that came early
    st.session_state[keys.PENDING_AS_OF] = next_round
    st.rerun()


def as_of_notice(run: derived.Run) -> None:
    as_of = run.state.route.as_of
    if not as_of:
        return
    left_out = derived.undated_left_out(run.snap, run.state.scope)
    text = (f"The network as it stood after the **{md_escape(run.atlas.round_label(as_of))}** "
            "round: members admitted up to and including it.")
    if left_out:
        text += (f" {left_out} member{'s' if left_out != 1 else ''} of unknown round "
                 f"{'are' if left_out != 1 else 'is'} left out.")
    st.info(text, icon=":material/history:")


def view_switch() -> None:
    st.segmented_control("View", urlstate.VIEWS, format_func=VIEW_LABELS.get, key=keys.VIEW.key,
                         required=True, label_visibility="collapsed")


def downloads(run: derived.Run) -> None:
    """Download the filtered members (CSV, GeoJSON, a standalone map) and copy the link.

    The files are built only when a button is clicked (deferred downloads)."""
    roster = derived.roster_shown(run.snap, run.state.scope)
    stem = exports.file_stem(run.state.scope)
    labels = [(key, run.atlas.round_label(key)) for key in run.atlas.round_keys]
    names = derived.country_names(run.snap)
    narrowed = exports.describe(run.state.scope, run.atlas.round_label,
                                lambda code: names.get(code, code))
    title = "UNESCO Global Network of Learning Cities" + (f": {narrowed}" if narrowed else "")
    first = derived.first_rounds(run.snap)

    def table() -> pd.DataFrame:
        return exports.with_country_rounds(roster, first)

    subtitle = (f"{len(roster)} members shown · Learning Cities Atlas · sources: UNESCO, "
                "National Commissions and the press · © OpenStreetMap contributors, "
                "GeoNames (CC BY 4.0), Natural Earth")
    row = st.container(horizontal=True, key="atlas_downloads")
    with row:
        st.download_button("Download CSV", data=lambda: exports.to_csv(table()),
                           file_name=f"{stem}.csv", mime="text/csv", on_click="ignore",
                           key="dl_csv", help=f"{len(roster)} members, one row each")
        st.download_button("Download GeoJSON", data=lambda: exports.to_geojson(table()),
                           file_name=f"{stem}.geojson", mime="application/geo+json",
                           on_click="ignore", key="dl_geojson",
                           help="For QGIS or geojson.io; unplaced members have no geometry")
        st.download_button("Download map (HTML)",
                           data=lambda: standalone.map_html(
                               roster, labels, title, subtitle, marks=run.marks,
                               focus_label=run.atlas.round_label(run.focus),
                               mark_capitals=run.state.display.mark_capitals,
                               mark_first_time=run.state.display.mark_first_time,
                           ).encode("utf-8"),
                           file_name=f"{stem}-map.html", mime="text/html", on_click="ignore",
                           key="dl_html", help="A map page that opens from disk, offline too")
        copylink.show()


def countries_view(run: derived.Run) -> None:
    """Countries shaded by the round their first member joined, with a play control."""
    view = derived.joined(run.snap, run.state.scope)
    st.header("Countries by the round of their first member")
    st_folium(choropleth.build_map(view, use_local_files()), key=keys.COUNTRIES_MAP,
              height=MAP_HEIGHT, use_container_width=True, render=False, returned_objects=[])
    total = len(view.joined) + len(view.undated)
    text = f"{total} countries with a member in the current selection"
    if view.undated:
        names = ", ".join(md_escape(name) for _, name in view.undated)
        text += (f"; {len(view.joined)} are shaded, and {names} "
                 f"{'has' if len(view.undated) == 1 else 'have'} only members of unknown "
                 "round, with no round to shade by")
    st.markdown(text + ". The play button on the map steps through the rounds; the dots are "
                "the members. A country's round is that of its earliest member here (members "
                "of unknown round aside), so the filters change it.")


def _on_table_select(ids: tuple[str, ...]) -> None:
    rows = st.session_state[keys.TABLE].selection.rows
    if rows:
        session.select(ids[rows[0]])


def table_view(run: derived.Run) -> None:
    """Every member the filters let through, placed or not, with the details panel."""
    table, table_html = derived.members_table(run.snap, run.state.scope)
    placed = int((table["How placed"] != NOT_PLACED).sum())
    # The table takes the full width (nine columns); the chosen member's details follow it.
    st.header("Members")
    st.markdown(f"**{len(table)} members** · {placed} on the map, {len(table) - placed} not "
                "placed. Sort by clicking a column's header; search with the magnifier above "
                "the table; choose a row for its details below.")
    st.dataframe(
        table, key=keys.TABLE, hide_index=True, column_order=HEADERS, height=480,
        on_select=partial(_on_table_select, tuple(table["id"])),
        selection_mode="single-row",
        column_config={
            "Source": st.column_config.LinkColumn("Source", display_text="source"),
            "Capital": st.column_config.CheckboxColumn("Capital"),
            # Wide enough for "member; may have lapsed" (the grid sizes a column by its header).
            "Status": st.column_config.TextColumn("Status", width="medium"),
        },
    )
    with st.expander("The same members as a plain table (screen readers, printing)"):
        st.html(table_html)
    details_column, _ = st.columns([1.4, 1], gap="medium")
    with details_column:
        st.subheader("City details")
        selected = run.state.selection.city
        if selected and selected not in run.visible_ids and selected in set(table["id"]):
            row = table[table["id"] == selected].iloc[0]
            st.info(f"**{md_escape(row['City'])}**, {md_escape(row['Country'])}: "
                    f"{md_escape(row['Round'])} round, {md_escape(row['How placed'])}.")
        else:
            layout.details_panel(run)


def _no_missing(frame):
    """Numbers as text, with a dash where nothing was announced."""
    return frame.astype("string").fillna("–")


def growth_view(run: derived.Run) -> None:
    """Per round: admissions, network size, countries and capitals, with the data behind."""
    table, specs = derived.growth_data(run.snap, run.state.scope)
    roster = derived.roster_shown(run.snap, run.state.scope)
    undated = asof.undated_count(roster)
    st.header("How the network grew")
    st.markdown("Blue: counted from this atlas's roster, following the filters. Orange: "
               "UNESCO's announced figures, always for the whole network. "
               + ("" if not undated else "1 member of unknown round is in no round here."
                  if undated == 1 else f"{undated} members of unknown round are in no round "
                  "here."))
    for start in range(0, len(specs), 2):
        for column, spec, (_, fields) in zip(st.columns(2, gap="medium"),
                                             specs[start:start + 2], CHARTS[start:start + 2],
                                             strict=False):
            with column:
                # The title as a heading of the page (Vega clipped it above the line charts);
                # the spec's description becomes the chart's accessible name (alt).
                st.subheader(spec["title"])
                st.vega_lite_chart({k: v for k, v in spec.items()
                                    if k not in ("title", "description")},
                                   width="stretch", height=300, alt=spec["description"])
                with st.expander(f"Data behind “{spec['title']}”"):
                    st.table(_no_missing(table[list(fields)].set_index("Round")
                                         .rename(index=md_escape)))  # cells are Markdown


def about_view(run: derived.Run) -> None:
    st.header("About the data")
    for heading, text in about.sections(run.atlas, derived.roster_coverage(run.snap), md_escape):
        st.subheader(heading)
        st.markdown(text)


def show(run: derived.Run) -> None:
    """The view the route names (the map itself stays layout.map_view)."""
    view = run.state.route.view
    if view == "countries":
        countries_view(run)
    elif view == "table":
        table_view(run)
    elif view == "growth":
        growth_view(run)
    elif view == "about":
        about_view(run)
