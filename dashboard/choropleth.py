"""The "countries by round" map: each country shaded by the round its first member joined,
with a legend and a play control that steps through the rounds in the browser.

Round order comes from the data. Shapes are Natural Earth's (dashboard.shapes); the map is
a folium map whose one script line calls the L.AtlasCountries plugin
(dashboard/static/atlas/atlas-countries.js) with the view as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import pandas as pd

from dashboard import assets
from dashboard.asof import timeline
from dashboard.map.folium_map import MAP_HEIGHT, AtlasMap, PluginCall
from dashboard.map.words import MAP_WORDS

PLAY_INTERVAL_MS = 1200  # one round per step of the play control

# Viridis stops (perceptually even, colour-blind safe); a round's colour is read off this
# scale by its place in time, so the palette stretches to however many rounds the data has.
VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")


def _mix(a: str, b: str, t: float) -> str:
    ca, cb = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def round_colours(rounds: Sequence[str]) -> dict[str, str]:
    """Earliest round darkest, latest lightest, evenly spaced along the scale."""
    colours = {}
    for i, key in enumerate(rounds):
        position = i / max(len(rounds) - 1, 1) * (len(VIRIDIS) - 1)
        low = min(int(position), len(VIRIDIS) - 2)
        colours[key] = _mix(VIRIDIS[low], VIRIDIS[low + 1], position - low)
    return colours


def first_rounds(members: pd.DataFrame, round_keys: Sequence[str]) -> dict[str, str]:
    """ISO code -> the round of the country's earliest member (undated members aside)."""
    order = timeline(round_keys)
    dated = members[members["round"].isin(order)]
    earliest = dated.groupby("iso2")["round"].agg(lambda rs: min(rs, key=order.index))
    return dict(earliest.items())


@dataclass(frozen=True)
class JoinedView:
    """What the countries map shows; equal views give identical scripts."""

    countries: str  # GeoJSON text of the countries to shade (properties: iso2)
    joined: tuple[tuple[str, str, str], ...]  # (iso2, country name, round) per country
    rounds: tuple[tuple[str, str, str], ...]  # (round, label, colour) in time order
    members: tuple[tuple, ...]  # (city, country, round, lon, lat) of placed members
    # (iso2, country name) of countries whose members here all have an unknown round: no
    # round to shade them by, so the page names them instead of dropping them.
    undated: tuple[tuple[str, str], ...] = ()


def joined_view(members: pd.DataFrame, round_keys: Sequence[str], label, names: dict,
                shapes_of) -> JoinedView:
    """The view of a members table. ``shapes_of(frozenset of codes)`` gives GeoJSON text."""
    joined = first_rounds(members, round_keys)
    present = set(members["round"])
    order = [k for k in timeline(round_keys) if k in present]  # the play control's steps
    colours = round_colours(order)
    placed = members[members["lat"].notna() & members["round"].isin(order)]
    return JoinedView(
        countries=shapes_of(frozenset(joined)),
        joined=tuple((code, names.get(code, code), key) for code, key in sorted(joined.items())),
        rounds=tuple((key, label(key), colours[key]) for key in order),
        members=tuple((m.city, m.country, m.round, round(float(m.lon), 4),
                       round(float(m.lat), 4)) for m in placed.itertuples(index=False)),
        undated=tuple((code, names.get(code, code))
                      for code in sorted(set(members["iso2"]) - set(joined))),
    )


def build_map(view: JoinedView, offline: bool) -> folium.Map:
    """The countries map (atlas-countries.js draws it): tiles-free, so the shading carries
    the meaning. Python passes the view as data; equal views give identical scripts."""
    fmap = AtlasMap(offline, location=(20, 10), zoom_start=2, min_zoom=1, tiles=None,
                    world_copy_jump=True, zoom_snap=0.25, zoom_delta=0.5, height=MAP_HEIGHT)
    PluginCall("L.atlasFrame", {"title": MAP_WORDS["countriesMapTitle"]}).add_to(fmap)
    PluginCall("L.AtlasCountries.addTo", {
        "shapes": json.loads(view.countries) if view.countries else None,
        "joined": [list(j) for j in view.joined], "rounds": [list(r) for r in view.rounds],
        "members": [list(m) for m in view.members], "intervalMs": PLAY_INTERVAL_MS,
        "strings": MAP_WORDS, "outlinesUrl": assets.BASEMAP_URL,
        "attribution": MAP_WORDS["basemapAttribution"]}).add_to(fmap)
    return fmap
