"""Learning Cities Atlas: the Streamlit page. Layout only; the work is in the other modules."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, derived, layout, layout_views
from dashboard.state import session

st.set_page_config(page_title="Learning Cities Atlas", page_icon="🌍", layout="wide")

try:
    snap = data.snapshot()  # the one stat of the data file this rerun makes
    choices = derived.choices(snap)
except data.DataError as error:  # the file cannot be shown at all: say why instead of the map
    layout.data_error(error)
    st.stop()
session.start(choices)
layout_views.before_widgets()

# The filters' values are in the session state before their widgets are drawn, so the map goes
# out first and the sidebar last: the browser fetches each kind of element's code in the order
# the elements arrive, and the map no longer waits behind the sidebar's (about 0.1 s sooner).
run = derived.Run.of(snap, session.current(choices))
layout.data_warning(run.atlas)
layout.headline(run)
layout_views.as_of_notice(run)
layout_views.view_switch()
# One view of the selection: the map (its own module), or one of the others.
if run.state.route.view == "map":
    layout.map_view(run)
else:
    layout_views.show(run)
layout_views.downloads(run)  # under every view, as in Our World in Data

# A link names the chosen city only while it is shown.
if run.state.selection.city not in run.visible_ids:
    session.write_url(replace(run.state, selection=replace(run.state.selection, city="")), choices)
else:
    session.write_url(run.state, choices)

if run.state.route.view == "map":
    layout.first_time_section(run)
    layout.coverage_section(run)
layout.sidebar(run)
layout_views.as_of_control(run.atlas)
layout_views.keep_playing(run)
