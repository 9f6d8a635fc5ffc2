"""The state in st.session_state: read once per rerun, written by the widgets' callbacks, and
kept in step with the address bar. The chosen member is written by select() alone."""

from __future__ import annotations

from dataclasses import fields, replace

import streamlit as st

from dashboard.asof import timeline
from dashboard.state import keys, urlstate
from dashboard.state.model import AtlasState, Display, Filters, Route, Selection

_PARTS = {"filters": Filters, "display": Display, "route": Route}


def _widget_value(value):
    return list(value) if isinstance(value, tuple) else value


def start(choices: urlstate.Choices) -> None:
    """On a session's first run, put the link's state into the widgets (once)."""
    if keys.STARTED in st.session_state:
        return
    state, notices = urlstate.parse(st.query_params.to_dict(), choices)
    notices += urlstate.repeated_notices(_repeated_params())
    for bound in keys.BOUND:
        st.session_state[bound.key] = _widget_value(getattr(getattr(state, bound.part),
                                                            bound.name))
    select(state.selection.city)
    st.session_state[keys.URL_NOTICES] = notices
    st.session_state[keys.STARTED] = True


def current(choices: urlstate.Choices) -> AtlasState:
    """The state as the widgets hold it now; a missing or emptied widget reads as its default.
    A focus round later than the as-of round is brought back to it, in its widget too."""
    values: dict[str, dict] = {part: {} for part in _PARTS}
    for bound in keys.BOUND:
        values[bound.part][bound.name] = st.session_state.get(bound.key)
    parts = {}
    for part, kind in _PARTS.items():
        default = kind()
        read = {}
        for spec in fields(kind):
            value, fallback = values[part].get(spec.name), getattr(default, spec.name)
            if isinstance(fallback, tuple):
                read[spec.name] = tuple(value or ())
            elif isinstance(fallback, bool):
                read[spec.name] = bool(value) if value is not None else fallback
            else:
                read[spec.name] = value or fallback
        parts[part] = kind(**read)
    rounds = timeline(choices.rounds)
    if parts["display"].focus_round not in rounds:
        parts["display"] = Display(urlstate.latest(choices), parts["display"].mark_capitals,
                                   parts["display"].mark_first_time)
    as_of = parts["route"].as_of
    if as_of in rounds and rounds.index(parts["display"].focus_round) > rounds.index(as_of):
        # As of a round, that round's newcomers stand out: a later focus would count and mark
        # members the page does not show (and "New capitals, 2025: 0" as of 2020).
        parts["display"] = replace(parts["display"], focus_round=as_of)
        st.session_state[keys.FOCUS.key] = as_of
    city = st.session_state.get(keys.SELECTED) or ""
    return AtlasState(**parts, selection=Selection(city if city in choices.ids else ""))


def select(member_id: str | None, *, reveal: bool = False) -> None:
    """Choose the member whose details are shown (None or "" for none). reveal: the choice came
    from the map, so the details panel is brought into view."""
    st.session_state[keys.SELECTED] = member_id or None
    if reveal:
        st.session_state[keys.REVEALS] = st.session_state.get(keys.REVEALS, 0) + 1
        st.session_state[keys.REVEAL_PENDING] = True


def selected() -> str | None:
    return st.session_state.get(keys.SELECTED)


def _repeated_params() -> list[str]:
    """Link parameters given more than once (the last copy is the one read)."""
    return [key for key in st.query_params if len(st.query_params.get_all(key)) > 1]


def write_url(state: AtlasState, choices: urlstate.Choices) -> None:
    """Keep the address bar in step with the view (only when it changed): what is shown,
    without unknown, bad or repeated parameters."""
    wanted = urlstate.to_params(state, choices)
    if st.query_params.to_dict() != wanted or _repeated_params():
        st.query_params.from_dict(wanted)


# --- callbacks ------------------------------------------------------------------------------

def on_map_click() -> None:
    """streamlit-folium calls this when the map's value changes: a click on a member."""
    value = st.session_state.get(keys.MAP) or {}
    drawing = value.get("last_active_drawing") or {}
    member_id = (drawing.get("properties") or {}).get("id")
    if member_id:
        select(member_id, reveal=True)


def choose_countries(values: list[str]) -> None:
    st.session_state[keys.COUNTRIES.key] = values


def choose_city(values: list[str]) -> None:
    select(values[0] if values else None)


def clear_filters() -> None:
    """The "Clear filters" button: every filter and the as-of round back to their defaults."""
    for bound in keys.BOUND:
        if bound.part == "filters" or bound is keys.AS_OF:
            st.session_state[bound.key] = _widget_value(
                getattr(_PARTS[bound.part](), bound.name))
