"""Every key the page keeps in st.session_state, each defined once.

A widget's key is where Streamlit keeps its value; ``BOUND`` says which part and field of the
state (dashboard.state.model) each filter widget holds, so reading the state, starting a
session from a link and "Clear filters" all walk the same table.
"""

from __future__ import annotations

from typing import NamedTuple


class Bound(NamedTuple):
    key: str  # the widget's key
    part: str  # the AtlasState attribute: filters, display or route
    name: str  # the field in that part


ROUNDS = Bound("w_rounds", "filters", "rounds")
REGIONS = Bound("w_regions", "filters", "regions")
COUNTRIES = Bound("w_countries", "filters", "countries")  # set by the Country picker
SEARCH = Bound("w_search", "filters", "search")
NEW_CAPITALS = Bound("w_new_capitals", "filters", "new_capitals_only")
FIRST_TIME = Bound("w_first_time", "filters", "first_time_only")
FOCUS = Bound("w_focus", "display", "focus_round")
MARK_CAPITALS = Bound("w_mark_capitals", "display", "mark_capitals")
MARK_FIRST_TIME = Bound("w_mark_first_time", "display", "mark_first_time")
AS_OF = Bound("w_as_of", "route", "as_of")
VIEW = Bound("w_view", "route", "view")
BOUND = (ROUNDS, REGIONS, COUNTRIES, SEARCH, NEW_CAPITALS, FIRST_TIME, FOCUS, MARK_CAPITALS,
         MARK_FIRST_TIME, AS_OF, VIEW)

SELECTED = "selected_id"  # the chosen member: written by session.select() only
COUNTRY_PICKER, CITY_PICKER = "w_country_picker", "w_city_picker"
MAP, COUNTRIES_MAP = "atlas_map", "atlas_joined"
TABLE = "w_table"
PLAY, STOP = "w_play", "w_stop"
CLEAR = "clear_filters"
# Counts the clicks on the map, and flags the one whose details the page should bring into view.
REVEALS, REVEAL_PENDING = "details_reveals", "details_reveal_pending"
PLAYING, PENDING_AS_OF = "atlas_playing", "atlas_pending_as_of"
PLAY_TICK = "atlas_play_tick"  # when the round on screen was shown (time.monotonic())
STARTED, URL_NOTICES = "atlas_started", "url_notices"
