"""The page's sections, each a function of what it shows (Streamlit layout only).

app.py calls them in order with the rerun's derived.Run; the data they show comes from
dashboard.derived (cached) and the pure modules.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from dashboard import derived, picker
from dashboard.assets import use_local_files
from dashboard.data import Atlas, DataError
from dashboard.details import LAPSE_TEXT, md_escape, md_link, member_details
from dashboard.filters import counts, described, first_time_shown, new_capitals_shown
from dashboard.map.folium_map import MAP_HEIGHT, build_map, state_layer
from dashboard.names import country_name
from dashboard.state import keys, session

# The page's CSS, its comments removed (st.html drops a style block that holds a CSS comment)
# and its runs of white space made one: every rerun sends it.
STYLE = "<style>" + " ".join(re.sub(r"/\*.*?\*/", "", Path(__file__).with_name(
    "page.css").read_text(encoding="utf-8"), flags=re.DOTALL).split()) + "</style>"
# The pickers match typed text as a substring and never offer "Select all"/"Select N matches".
PICKING = {"filter_mode": "contains", "select_all": False}
COUNTRY_PICKER = picker.Picker(
    "Country", multiple=True, placeholder="All countries", more="Add a country",
    hint="Any name: Türkiye or Turkey, UK, USA. Enter picks the best match.",
    empty="No member country matches")
CITY_PICKER = picker.Picker(
    "Find a city", multiple=False, placeholder="Click a marker or type a name…",
    hint="City or country; accents optional.", empty="No city shown matches")


def round_text(atlas: Atlas, key: str) -> str:
    """A round's label for Markdown (metric labels and badges render it): plain text by
    contract, whatever seeds/rounds.csv holds."""
    return md_escape(atlas.round_label(key))


def sidebar(run: derived.Run) -> None:
    """The filters; their values land in st.session_state under dashboard.state.keys.

    Round and Region filter by substring ("contains") and offer no "Select N matches" entry.
    Country is the ranked picker: any name a person types ("UK", "Turkey") finds its country,
    best match first, and Enter picks that.
    """
    atlas, snap = run.atlas, run.snap
    label = atlas.round_label
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Admission round", atlas.round_keys, format_func=label, key=keys.ROUNDS.key,
                       placeholder="All rounds", **PICKING)
        st.multiselect("Region", derived.choices(snap).regions, key=keys.REGIONS.key,
                       placeholder="All regions", **PICKING)
        picker.show(COUNTRY_PICKER.with_options(derived.country_choices(snap)),
                    run.state.filters.countries,
                    key=keys.COUNTRY_PICKER, on_change=session.choose_countries)
        st.text_input("Search by name", key=keys.SEARCH.key, placeholder="City or country",
                      help="Finds cities and countries by any part of a word, with or "
                           "without accents, and by other names (Turkey, USA, Vietnam).")
        st.divider()
        st.selectbox("Focus round", atlas.dated_round_keys,
                     format_func=label, key=keys.FOCUS.key, filter_mode="contains",
                     help="The round whose new capitals and first-time countries stand out.")
        st.toggle("Only new capitals", key=keys.NEW_CAPITALS.key)
        st.toggle("Only first-time countries", key=keys.FIRST_TIME.key)
        st.checkbox("Mark new capitals (★)", key=keys.MARK_CAPITALS.key)
        st.checkbox("Shade first-time countries", key=keys.MARK_FIRST_TIME.key)


def headline(run: derived.Run) -> None:
    """Title, coverage line, link notices, the counts of what is shown, and the empty state."""
    st.html(STYLE)  # style only: Streamlit puts it out of the page flow
    label = partial(round_text, run.atlas)
    focus = run.focus
    cover = derived.roster_coverage(run.snap)
    st.title("Learning Cities Atlas")
    st.caption(f"{md_escape(cover.headline())} · [coverage by round](#coverage-by-round)")
    for notice in st.session_state.get(keys.URL_NOTICES, []):
        st.warning(md_escape(notice), icon="⚠️")  # notices quote the link: text only
    tally = counts(run.shown, run.marks)
    # One wrapping row: on a phone the five numbers take two short lines, not five tall ones.
    row = st.container(horizontal=True, gap="medium", key="headline_counts")
    row.metric("Members shown", tally.members, width="content")
    row.metric("Countries", tally.countries, width="content")
    row.metric("Rounds shown", tally.rounds, width="content")
    row.metric(f"New capitals, {label(focus)}", tally.new_capitals, width="content",
               help="Capitals admitted in the focus round, among the members shown.")
    row.metric(f"First-time countries, {label(focus)}", tally.first_time_countries,
               width="content",
               help="Countries whose first members came in the focus round, among those shown.")
    if run.shown.empty:
        empty_result(run)


def empty_result(run: derived.Run) -> None:
    """What an empty selection says (and which filters), with the way back."""
    names = derived.country_names(run.snap)
    active = described(run.state.scope, run.atlas.round_label,
                       lambda code: names.get(code, code))
    box = st.container(key="empty_result", horizontal=True, vertical_alignment="center")
    box.warning("No member matches the current filters"
                + (": " + md_escape(" · ".join(active)) if active else "") + ".",
                icon=":material/search_off:")
    box.button("Clear filters", key=keys.CLEAR, on_click=session.clear_filters,
               type="primary", icon=":material/filter_alt_off:")


def map_view(run: derived.Run) -> None:
    """The map, with the details panel beside it."""
    snap, state, visible_ids = run.snap, run.state, run.visible_ids
    chosen = state.selection.city
    map_column, details_column = st.columns([2.3, 1], gap="medium")
    with map_column:
        fmap = build_map(*derived.map_table(snap), use_local_files())
        # render=False: st_folium renders the map itself as well; the Figure-level pass it
        # skips only doubled the work (the component gets identical arguments either way).
        # The map's script depends on the data version only; what the filters and the chosen
        # member change travels in feature_group_to_add, which st_folium runs on the mounted
        # map: it changes in place, and a rerun does not send the roster again.
        st_folium(fmap, key=keys.MAP, height=MAP_HEIGHT, use_container_width=True,
                  render=False, returned_objects=["last_active_drawing"],
                  feature_group_to_add=state_layer(
                      derived.map_state(snap, state.scope, state.display), chosen or None),
                  on_change=session.on_map_click)
        st.caption("Members at one point open from their cluster; the details panel gives "
                   "the placed coordinates.")
    with details_column:
        picker.show(CITY_PICKER.with_options(derived.city_choices(snap), visible_ids),
                    [chosen] if chosen in visible_ids else [],
                    key=keys.CITY_PICKER, on_change=session.choose_city)
        details_panel(run)
        reveal_details()
        capitals = new_capitals_shown(run.shown, run.marks)
        st.markdown(f"**★ Capitals admitted in {round_text(run.atlas, run.focus)}:** "
                    + ("; ".join(f"{md_escape(city)}, {md_escape(country)}"
                                 for city, country in capitals)
                       or "none among the members shown"),
                    help="Capitals whose admission round is the focus round (sidebar), among "
                         "the members the filters show.")


# After a click on the map, brings the details panel into view unless it is on screen already:
# on a phone it sits under the map, on a laptop beside it (then nothing moves). The count makes
# each click's script new, so Streamlit mounts (and the browser runs) it again.
REVEAL_SCRIPT = """<script>
setTimeout(() => {{
  const panel = document.querySelector(".st-key-details_panel");
  if (!panel) return;
  const box = panel.getBoundingClientRect();
  if (box.top > window.innerHeight * 0.7 || box.bottom < 0) {{
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    panel.scrollIntoView({{behavior: still ? "auto" : "smooth", block: "start"}});
  }}
}}, 100); // click {count}
</script>"""


def reveal_details() -> None:
    """Once per click on the map: scroll the details panel into view if it is off screen."""
    if not st.session_state.pop(keys.REVEAL_PENDING, False):
        return
    count = int(st.session_state.get(keys.REVEALS, 0))
    with st.container(key="reveal_details"):
        st.html(REVEAL_SCRIPT.format(count=count), unsafe_allow_javascript=True)


def details_panel(run: derived.Run) -> None:
    """The selected member's details, in the container keyed details_panel."""
    label = partial(round_text, run.atlas)
    focus = run.focus
    selected = run.state.selection.city
    info = member_details(run.atlas, selected, run.marks) if selected else None
    panel = st.container(border=True, key="details_panel")
    if info is None:
        panel.info("Click a city on the map to see its details here.")
        return
    if selected not in run.visible_ids:
        panel.info(f"{md_escape(info.city)} is hidden by the current filters.")
        return
    panel.markdown(f"### {md_escape(info.city)}")
    panel.markdown(f"{md_escape(info.country)} · {md_escape(info.region)}")
    badges = panel.container(horizontal=True)
    if info.capital:
        badges.badge("Capital", color="blue")
    if info.new_capital:
        badges.badge(f"New capital, {label(focus)}", color="orange", icon=":material/star:")
    if info.first_time:
        badges.badge(f"First-time country, {label(focus)}", color="violet")
    if info.status == "doubtful":
        badges.badge("Doubtful: see the note", color="red")
    if info.lapse in LAPSE_TEXT:
        badges.badge(LAPSE_TEXT[info.lapse][0], color="gray", icon=":material/help:")
    admitted = f", admitted {md_escape(info.admitted)}" if info.admitted else ""
    panel.markdown(f"**Round:** {md_escape(info.round_label)}{admitted}  \n"
                   f"*{md_escape(info.basis)}*")
    if info.first_time_stated:
        panel.markdown(f"**A source calls it its country's first member:** "
                       f"{md_escape(info.first_time_stated)}")
    if info.source_url:
        panel.markdown(f"**Source** ({md_escape(info.evidence)}): "
                       + md_link(info.source_url[:60] + "…", info.source_url))
    panel.markdown(f"**Coordinates:** {info.lat:.4f}, {info.lon:.4f} — "
                   f"{md_escape(info.placed_how)}"
                   + (f" ({md_escape(info.place_name)})" if info.place_name else ""))
    panel.markdown(f"**The point marks:** {md_escape(info.precision)}")
    if info.lapse in LAPSE_TEXT:
        dated = f" ({md_escape(info.lapse_date)})" if info.lapse_date else ""
        links = ", ".join(md_link(f"source {i}", url)
                          for i, url in enumerate(info.lapse_sources, 1))
        panel.markdown(f"**{md_escape(LAPSE_TEXT[info.lapse][1])}**{dated}: "
                       f"{links or 'no safe link'}. The note says more.")
    with panel.expander("Note from the research"):
        st.markdown(md_escape(info.note) or "No note.")
    # "City · round" joined by semicolons: round labels and country names hold commas and
    # parentheses of their own, and nesting them reads badly.
    others = "; ".join(f"{city} \u00b7 {round_}" for city, round_ in info.same_country)
    panel.markdown(f"**Other members in {md_escape(info.country)}:** "
                   f"{md_escape(others) if others else 'none'}")


def first_time_section(run: derived.Run) -> None:
    """The focus round's first-time countries, computed and against the announcement."""
    atlas, marks, focus = run.atlas, run.marks, run.focus
    names = derived.country_names(run.snap)
    st.subheader(f"Countries new to the network in {round_text(atlas, focus)}")
    # The same countries as the headline's count: those the filters show.
    shown = first_time_shown(run.shown, marks)
    st.markdown(" · ".join(md_escape(names[code]) for code in sorted(shown, key=names.get))
                or ("None among the members shown." if marks.first_time_iso2
                    else "None in the roster."))
    whole = len(marks.first_time_iso2)
    st.caption("Computed from the roster: countries whose earliest member, withdrawn and "
               "unknown-round rows aside, is in this round."
               + (f" The filters show {len(shown)} of the {whole} in the whole network."
                  if len(shown) != whole else ""))
    check = derived.first_time_check(run.snap, focus)
    if not (check.earlier_member or check.no_member_found or check.not_announced):
        return
    country = lambda code: names.get(code) or country_name(code)  # noqa: E731
    named = len(check.agreed) + len(check.earlier_member) + len(check.no_member_found)
    lines = [f"For the whole network, whatever the filters: the announcement names {named} "
             f"first-time countries; {len(check.agreed)} agree with the roster."]
    lines += [f"- {md_escape(country(c))}: announced as new, but the roster has an earlier "
              f"member, {md_escape(first)}" for c, first in sorted(check.earlier_member.items())]
    if check.no_member_found:
        lines.append("- Announced as new, no member of this round found yet: " + ", ".join(
            md_escape(country(c)) for c in sorted(check.no_member_found, key=country)))
    if check.not_announced:
        lines.append("- New in the roster but not named by the announcement: " + ", ".join(
            md_escape(country(c)) for c in sorted(check.not_announced, key=country)))
    st.info("\n".join(lines))


def coverage_section(run: derived.Run) -> None:
    """Coverage per round, who is not on the map, and the sources."""
    atlas = run.atlas
    st.subheader("Coverage by round", anchor="coverage-by-round")
    st.markdown(derived.coverage_markdown(run.snap))
    located = derived.roster_coverage(run.snap).located
    if located:
        st.markdown("**Where the missing members are**, from sources that count a place's "
                    "members (a country can be in a region's count too; About the data quotes "
                    "each source):")
        st.markdown(derived.gaps_markdown(run.snap))
    if atlas.unplaced:
        st.warning("Not on the map (no coordinates): "
                   + md_escape("; ".join(name for name, _ in atlas.unplaced)))
    if atlas.withdrawn:
        st.caption("Withdrawn after the announcement, not shown: "
                   + md_escape(", ".join(atlas.withdrawn)))
    st.caption("Sources: UNESCO, UIL, National Commissions and the press, one per member (see "
               "the details panel). Coordinates: GeoNames (CC BY 4.0). Boundaries: Natural "
               "Earth. Tiles: © OpenStreetMap contributors.")


def data_error(error: DataError) -> None:
    """Instead of the page: what is wrong with the data, where, and what to do."""
    st.title("Learning Cities Atlas")
    st.error(f"**The map cannot be shown.** {md_escape(error.summary)}", icon="⚠️")
    if error.problems:
        st.markdown("**What is wrong, and where:**\n" + "\n".join(
            f"- {md_escape(problem)}" for problem in error.problems))
    st.markdown(f"**What to do:** {error.advice}")


def data_warning(atlas: Atlas) -> None:
    """Members left out because their rows in the data file are invalid (the rest is shown)."""
    if not atlas.problems:
        return
    shown = atlas.problems[:12]
    more = len(atlas.problems) - len(shown)
    rows = "1 member is" if atlas.left_out == 1 else f"{atlas.left_out} members are"
    st.warning(
        f"{rows} left out because their rows in the data file are invalid; the others are "
        "shown. Rebuild the data with `python -m geodata build`.\n"
        + "\n".join(f"- {md_escape(problem)}" for problem in shown)
        + (f"\n- and {more} more" if more else ""), icon="⚠️")
