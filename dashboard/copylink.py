"""The "Copy link" button: a small Streamlit component (static/atlas/copy-link.js)."""

from __future__ import annotations

import streamlit as st

from dashboard.map import statics

_render = st.components.v2.component("atlas.copy_link",
                                     js=statics.file_text("component-entry.js"))
WORDS = {"label": "Copy link", "title": "Copy a link to this view", "copied": "Link copied",
         "copyThis": "Copy this link: {link}"}


def show(key: str = "copy_link") -> None:
    _render(key=key, data={"module": statics.url_of("copy-link.js"),
                           "styles": statics.url_of("copy-link.css"), **WORDS})
