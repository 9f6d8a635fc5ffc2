"""Learning Cities Atlas: the Streamlit page. Layout only; the work is in the other modules."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import layout, layout_views, page
from dashboard.data import DataError

st.set_page_config(page_title="Learning Cities Atlas", page_icon="🌍", layout="wide")

try:
    atlas = page.atlas()
except DataError as error:  # the file cannot be shown at all: say why instead of the map
    layout.data_error(error)
    st.stop()
layout.data_warning(atlas)
page.start_session(atlas)
layout_views.before_widgets()

# The filters' values are in the session state before their widgets are drawn, so the map goes
# out first and the sidebar last: the browser fetches each kind of element's code in the order
# the elements arrive, and the map no longer waits behind the sidebar's (about 0.1 s sooner).
state = page.current_state(atlas)
focus = state.focus_round or atlas.latest_round
marks = page.marks(focus)
selection = page.shown(state, focus)
shown, visible_ids = selection.members, selection.ids

layout.headline(atlas, shown, marks, focus)
layout_views.as_of_notice(atlas, state, focus)
layout_views.view_switch()
# One view of the selection: the map (its own module), or one of the others.
if state.view == "map":
    layout.map_view(atlas, state, focus, marks, shown, visible_ids)
else:
    layout_views.show(atlas, state, focus, marks, visible_ids)
layout_views.downloads(atlas, state, focus)  # under every view, as in Our World in Data

selected = st.session_state.get(page.SELECTED)
page.write_url(state if selected in visible_ids else replace(state, city=""))

if state.view == "map":
    layout.first_time_section(atlas, marks, focus)
    layout.coverage_section(atlas)
layout.sidebar(atlas)
layout_views.as_of_control(atlas)
layout_views.keep_playing(atlas, state)
