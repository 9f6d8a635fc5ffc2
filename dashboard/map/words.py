"""Every word the maps show (members, countries by round, the standalone export), by name; the
browser fills in the {placeholders}."""

from __future__ import annotations

MAP_WORDS = {
    "legend": "Legend",
    "member": "{city}, {country} ({round})",
    "memberArea": "{label}, approximate area",
    "tipCapital": " \u2014 new capital",
    "tipDoubtful": " \u2014 doubtful",
    "tipRadius": " (radius {km} km)",
    "capitalNewIn": "capital new in {round}",
    "firstNewIn": "in a country new in {round}",
    "itsCountry": "its country",
    "doubtful": "doubtful (dashed outline)",
    "area": "approximate area",
    "several": "several members: click to open",
    "clusterMembers": "{n} members here",
    "clusterChosen": ", including the chosen city",
    "clusterCapital": ", including a new capital",
    "clusterFirst": ", including a first-time country",
    "clusterOpen": "; click to open",
    "fullscreen": "Full screen",
    "exitFullscreen": "Exit full screen",
    "basemapAttribution": "Countries: Natural Earth",
    "countriesLegend": "Round of the country's first member",
    "firstMemberIn": "{country}: first member in {round}",
    "play": "\u25B6 Play",
    "pause": "\u2016 Pause",
    "playLabel": "Play: show the network round by round",
    "afterRound": "After {round}: {n} countries",
    "roundIs": "Round: {round}",
    "admittedOn": ", admitted {date}",
    "source": "Source",
    "unplaced": "{n} more not placed (no coordinates)",
}
