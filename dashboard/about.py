""""About the data": where each fact comes from, how complete it is, how members are placed
and checked, the licences, and how to report a correction. Plain words, built from the data.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.asof import UNDATED
from dashboard.coverage import Coverage, located_markdown, markdown_table
from dashboard.data import Atlas
from dashboard.details import md_link

PLACE_METHODS = {
    "gazetteer": "found by name in GeoNames, in the member's own country",
    "override": "placed by hand from a cited public source (districts, counties, consortia "
                "and places no gazetteer lists by name), each reviewed",
    "nominatim": "found with OpenStreetMap's Nominatim search",
}
PRECISION = {"place": "the place itself", "seat": "the seat of an administrative area",
             "area": "the centre of an area, drawn as a circle of its size"}


LAPSE_RULE_URL = "https://uil.unesco.org/lifelong-learning/learning-cities/biennial-progress-report"


def _count(series: pd.Series, value) -> int:
    return int((series == value).sum())




def sources(atlas: Atlas, esc: Callable[[object], str]) -> str:
    roster = atlas.roster
    official = _count(roster["evidence"], "official")
    secondary = _count(roster["evidence"], "secondary")
    announced = [r for r in atlas.rounds if r.announced_on]
    dates = ", ".join(f"{esc(r.label)} ({esc(r.announced_on)})" for r in announced)
    return "\n".join([
        "- **Who is a member, and since which round:** each member rests on a public page "
        "that names it as admitted: UNESCO and its Institute for Lifelong Learning (releases "
        "and city profiles), National Commissions for UNESCO, governments, and the local or "
        f"national press. {official} members rest on an official source and {secondary} on a "
        "secondary one (the press, a city's own page). Every member's source is linked in "
        "its details and in the table.",
        "- **What was announced for each round** (how many cities, how many countries, the "
        f"network's size afterwards): UNESCO's announcements of {dates}.",
        "- **Where each member is:** GeoNames, or a reviewed public source when no gazetteer "
        "lists the place (see below).",
        "- **Country shapes:** Natural Earth. **Map tiles:** OpenStreetMap contributors.",
        "- Doubts stay visible: a member whose admission a source questions is marked "
        f"*doubtful* ({_count(roster['status'], 'doubtful')} today), and a member that left "
        "the network after its announcement is listed as withdrawn, not shown.",
        "- **Membership can lapse.** UNESCO's Institute for Lifelong Learning asks each member "
        "for a progress report every two years, as a requirement to continue as an official "
        "member " + md_link("(UIL: biennial progress report)", LAPSE_RULE_URL) + ". No list "
        "of members that left has been published. A member that a source suggests may have "
        f"left stays on the map, marked *may have lapsed* ({_count(roster['lapse'], 'possible')} "
        f"today, with the sources in its details); one a source says left is marked *lapsed* "
        f"({_count(roster['lapse'], 'lapsed')} today).",
    ])


def coverage_text(atlas: Atlas, cover: Coverage, esc: Callable[[object], str]) -> str:
    undated = _count(atlas.roster["round"], UNDATED)
    lines = [esc(cover.headline()) + ".", markdown_table(cover.table, esc),
             "*Found* counts the members of each round in this atlas; *still missing* is how "
             "many of the round's announced admissions no source found so far names. The early "
             "rolling period (2015 to 2018) had no announced list."]
    if cover.located:
        lines.append("Where the missing members are, from sources that count members in one "
                     "country, region or year:\n\n" + located_markdown(cover.located, esc))
    if undated:
        lines.append(f"{undated} members are known to be members, but no source gives their "
                     "round: they count in the totals and appear in no round.")
    if atlas.unplaced:
        lines.append("Not on the map, because no source gives their place precisely enough: "
                     + esc("; ".join(name for name, _ in atlas.unplaced)) + ".")
    if atlas.withdrawn:
        lines.append("Withdrawn after being announced, and not shown: "
                     + esc(", ".join(atlas.withdrawn)) + ".")
    return "\n\n".join(lines)


def placement(atlas: Atlas, esc: Callable[[object], str]) -> str:
    roster = atlas.roster
    lines = []
    for method, text in PLACE_METHODS.items():
        n = _count(roster["place_method"], method)
        if n:
            lines.append(f"- {n} members {text};")
    other = roster["place_method"].notna() & ~roster["place_method"].isin(list(PLACE_METHODS))
    if other.any():
        lines.append(f"- {int(other.sum())} members placed in other ways (see their details);")
    lines.append(f"- {len(atlas.unplaced)} members not placed yet.")
    inside = _count(roster["check_in_country"], True)
    placed = int(roster["lat"].notna().sum())
    checks = [f"Every point is checked against the country shapes: {inside} of {placed} lie "
              "inside their own country."]
    precise = roster["place_precision"].dropna()
    if not precise.empty:
        checks.append("What a point marks: " + ", ".join(
            f"{n} {esc(PRECISION.get(kind, kind))}" for kind, n in precise.value_counts().items())
            + ".")
    return ("A member is placed by the first of these that works, never by a name alone when "
            "two places share it (a source decides):\n\n" + "\n".join(lines) + "\n\n"
            + " ".join(checks) + " A member placed at its city (a district of a city, say) "
            "stands at the city; the details panel tells how each point was found.")


LICENCES = (
    "- **GeoNames** (coordinates): Creative Commons Attribution 4.0 (CC BY 4.0).\n"
    "- **OpenStreetMap** (map tiles, and places found with Nominatim): © OpenStreetMap "
    "contributors, Open Database Licence (ODbL).\n"
    "- **Natural Earth** (country shapes): public domain.\n"
    "- The roster itself cites its sources; the facts are theirs, the compilation is this "
    "project's. Downloads carry each member's source link."
)

CORRECTIONS = (
    "If a member, a round, a place or a source is wrong or missing, open an issue on the "
    "project's code repository (where this app's source code is published) or tell its "
    "maintainers. Say which city, what is wrong, and give a public page that shows the right "
    "fact: corrections are made from sources, and each one is cited in the roster."
)


def sections(atlas: Atlas, cover: Coverage, esc: Callable[[object], str]) -> list[tuple[str, str]]:
    """(heading, Markdown) pairs of the about page; data values pass through ``esc``."""
    return [
        ("Where each fact comes from", sources(atlas, esc)),
        ("How complete it is, round by round", coverage_text(atlas, cover, esc)),
        ("How members are placed and checked", placement(atlas, esc)),
        ("Licences", LICENCES),
        ("Report a correction", CORRECTIONS),
    ]
