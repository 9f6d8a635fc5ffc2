"""The pages the benchmark compares the atlas with: the obvious way to build each one
(everything rebuilt on every rerun), and the atlas's own map pipeline in the naive page's
shape. Each runs as a whole Streamlit script through ``AppTest.from_function``, so each
imports what it needs inside it."""

from __future__ import annotations


def naive_page() -> None:
    """The obvious page: load, filter and build a marker per city on every rerun."""
    import streamlit as st
    from streamlit_folium import st_folium

    from dashboard import data
    from dashboard.devtools.naive import naive_map

    members = data.load_atlas().members
    rounds = st.multiselect("Round", sorted(set(members["round"])), key="w_rounds")
    shown = members[members["round"].isin(rounds)] if rounds else members
    st_folium(naive_map(shown), key="naive_map", returned_objects=[])


def lean_page() -> None:
    """The naive page's shape (one filter, one map) with the atlas's own map pipeline, so the
    two maps are compared like for like; the full page adds ~35 other elements to each rerun."""
    import streamlit as st
    from streamlit_folium import st_folium

    from dashboard import data, derived
    from dashboard.map.folium_map import build_map, state_layer
    from dashboard.state.model import Display, Filters, Scope

    snap = data.snapshot()
    atlas = derived.atlas(snap)
    rounds = st.multiselect("Round", atlas.round_keys, key="w_rounds")
    scope = Scope(Filters(rounds=tuple(rounds)), "", atlas.latest_round)
    state = derived.map_state(snap, scope, Display(atlas.latest_round))
    st_folium(build_map(*derived.map_table(snap), False), key="lean_map", render=False,
              returned_objects=["last_active_drawing"],
              feature_group_to_add=state_layer(state, None))


def naive_search_page() -> None:
    """The obvious name search: fold every member's names on every rerun, then the naive map."""
    import streamlit as st
    from streamlit_folium import st_folium

    from dashboard import data, names
    from dashboard.devtools.naive import naive_map

    members = data.load_atlas().members
    typed = names.fold(st.text_input("Search by name", key="w_search"))

    def matches(row) -> bool:
        terms = [row.city, row.country, *names.country_aliases(row.iso2)]
        return any(typed in names.fold(term) for term in terms)

    shown = members[[matches(row) for row in members.itertuples()]] if typed else members
    st_folium(naive_map(shown), key="naive_map", returned_objects=[])


def naive_map(members):
    """The obvious map (a folium CircleMarker and Tooltip per city), for comparison."""
    import html

    import folium

    fmap = folium.Map(location=(20, 10), zoom_start=2)
    for m in members.itertuples(index=False):
        folium.CircleMarker(
            (m.lat, m.lon), radius=5, color="#E69F00", fill=True,
            tooltip=folium.Tooltip(html.escape(f"{m.city}, {m.country} \u00b7 {m.round}")),
        ).add_to(fmap)
    return fmap


def naive_table_page() -> None:
    """The obvious table view: load, filter and build the table on every rerun."""
    import streamlit as st

    from dashboard import data, membertable

    atlas = data.load_atlas()
    rounds = st.multiselect("Round", sorted(set(atlas.roster["round"])), key="w_rounds")
    roster = atlas.roster[atlas.roster["round"].isin(rounds)] if rounds else atlas.roster
    table = membertable.member_table(roster, atlas.round_label)
    st.dataframe(table, hide_index=True)
    st.html(membertable.html_table(table, f"Members shown: {len(table)}"))


def naive_growth_page() -> None:
    """The obvious growth view: load, filter, count and build the charts on every rerun."""
    import streamlit as st

    from dashboard import data, growth

    atlas = data.load_atlas()
    rounds = st.multiselect("Round", sorted(set(atlas.roster["round"])), key="w_rounds")
    roster = atlas.roster[atlas.roster["round"].isin(rounds)] if rounds else atlas.roster
    table = growth.growth_table(roster, atlas.rounds)
    for build, columns in growth.CHARTS:
        st.altair_chart(build(table))
        st.table(table[list(columns)])
