"""The rounds' colours on the members map (colour-blind safe, >= 3:1 against the land)."""

from __future__ import annotations

import colorsys

from geodata.seedmodel import UNKNOWN_ROUND

# Okabe–Ito colours (the yellow left out, it vanishes on light tiles), given to the rounds in
# their order in the data. Every marker has a dark outline, which keeps >= 3:1 against the
# base map whatever the fill.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00")
UNKNOWN_COLOUR = "#8A8A8A"  # the roster's undated round (UNKNOWN_ROUND)
SHADE_COLOUR = "#5B2A86"  # first-time countries
OUTLINE = "#1d1d1d"  # every member's outline (atlas-core.js draws it)
BASE_MAP_LAND = "#F2EFE9"  # OpenStreetMap's land colour, the lightest ground under markers


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#RRGGBB"."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def round_colour(index: int) -> str:
    """The colour of the index-th round: the palette, then a rule for any later round
    (golden-angle hues, darkened until they keep 3:1 against the base map's land)."""
    if index < len(PALETTE):
        return PALETTE[index]
    hue = (0.11 + 0.381966 * (index - len(PALETTE))) % 1.0
    ground = luminance(BASE_MAP_LAND)
    lightness = 0.5
    while True:
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.75)
        colour = "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in (red, green, blue)))
        if (ground + 0.05) / (luminance(colour) + 0.05) >= 3.2 or lightness < 0.1:
            return colour
        lightness -= 0.03


def round_colours(round_keys) -> dict[str, str]:
    """Round key -> colour, by the rounds' order in the data ("unknown" is grey)."""
    dated = [key for key in round_keys if key != UNKNOWN_ROUND]
    colours = {key: round_colour(i) for i, key in enumerate(dated)}
    if UNKNOWN_ROUND in round_keys:
        colours[UNKNOWN_ROUND] = UNKNOWN_COLOUR
    return colours
