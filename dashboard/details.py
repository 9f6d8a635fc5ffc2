"""The details of one member, for the panel beside the map."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dashboard.data import Atlas
from dashboard.highlights import Highlights
from geodata.links import canonical_url, markdown_target

BASIS_TEXT = {
    "announced": "a source ties it to this round's announcement",
    "dated": "a source dates it; the date falls in this round",
    "undated": "no source gives a year; listed with the early members",
    "unresolved": "the sources tie it to no round",
}
PLACE_TEXT = {
    "gazetteer": "matched by name in GeoNames",
    "override": "placed by a reviewed override",
    "nominatim": "found by OpenStreetMap Nominatim",
}
# place_precision in plain words (geodata/README.md, seeds/README.md: precision)
PRECISION_TEXT = {
    "place": "the place itself",
    "seat": "the seat of the county, commune or consortium",
    "area": "an approximate area",
}
# A member's lapse in words: the badge, and the sentence before the sources.
LAPSE_TEXT = {
    "possible": ("May have lapsed: see below",
                 "A source suggests this member may have left the network; it stays a member "
                 "until one says so"),
    "lapsed": ("Lapsed", "A source says this member left the network"),
}
_AUTOLINKED = re.compile(r"(\\:(?=//)|(?i:www)(?=\\\.)|@)")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:$=^])")


def md_escape(text: object) -> str:
    """Text safe to put in st.markdown: markdown punctuation escaped, HTML made inert."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;")
    # GitHub-flavoured Markdown turns bare addresses into links whatever the escapes: an
    # invisible word joiner after "://", "www" and "@" keeps them text.
    return _AUTOLINKED.sub("\\1\u2060", escaped)


def precision_text(precision: object, radius_km: object) -> str:
    """How exact the point is, in words: "the place itself", "an approximate area, radius 70 km"."""
    if precision == "area":
        try:
            radius = float(radius_km)
        except (TypeError, ValueError):
            radius = math.nan
        if math.isfinite(radius) and radius > 0:
            return f"{PRECISION_TEXT['area']}, radius {radius:g} km"
        return f"{PRECISION_TEXT['area']} (radius not recorded)"
    if isinstance(precision, str) and precision in PRECISION_TEXT:
        return PRECISION_TEXT[precision]
    return "not recorded"  # a file built before place_precision existed


def safe_url(url: str) -> str | None:
    """The URL in canonical form if it is plain http(s) (a source link must never run script
    or carry markup out of its link)."""
    return canonical_url(url)


def md_link(text: str, url: str) -> str:
    """A Markdown link whose text and target cannot break out of it (url from safe_url)."""
    return f"[{md_escape(text)}]({markdown_target(url)})"


@dataclass(frozen=True)
class MemberDetails:
    id: str
    city: str
    country: str
    region: str
    round_label: str
    admitted: str | None
    basis: str
    capital: bool
    new_capital: bool  # a capital admitted in the focus round
    first_time: bool  # its country's first round is the focus round
    first_time_stated: str | None  # what a source says ("yes"/"no"/None)
    status: str
    evidence: str
    source_url: str | None
    note: str
    lat: float
    lon: float
    placed_how: str
    place_name: str | None
    place_source: str | None
    in_country: bool | None
    precision: str  # how exact the point is, in plain words (precision_text)
    same_country: tuple[tuple[str, str], ...]  # (city, round label) of the others
    lapse: str | None = None  # "possible" / "lapsed" / None (seeds/README.md)
    lapse_date: str | None = None
    lapse_sources: tuple[str, ...] = ()  # safe links only


def member_details(atlas: Atlas, member_id: str, marks: Highlights) -> MemberDetails | None:
    """Details for a member id, or None if no placed member has it."""
    members = atlas.members
    found = members[members["id"] == member_id]
    if found.empty:
        return None
    m = found.iloc[0]
    others = members[(members["iso2"] == m["iso2"]) & (members["id"] != member_id)]
    return MemberDetails(
        id=m["id"],
        city=m["city"],
        country=m["country"],
        region=m["region"],
        round_label=atlas.round_label(m["round"]),
        admitted=m["admitted"] or None,
        basis=BASIS_TEXT.get(m["round_basis"], m["round_basis"] or ""),
        capital=bool(m["capital"]),
        new_capital=m["id"] in marks.new_capital_ids,
        first_time=m["iso2"] in marks.first_time_iso2 and m["round"] == marks.focus_round,
        first_time_stated=m["first_time_country"],
        status=m["status"],
        evidence=m["evidence"] or "",
        source_url=safe_url(m["source_url"]),
        note=m["note"],
        lat=float(m["lat"]),
        lon=float(m["lon"]),
        placed_how=PLACE_TEXT.get(m["place_method"], m["place_method"] or "unknown"),
        place_name=m["place_name"],
        place_source=m["place_source"],
        in_country=m["check_in_country"],
        precision=precision_text(m["place_precision"], m["place_radius_km"]),
        same_country=tuple(
            (row.city, atlas.round_label(row.round)) for row in others.itertuples(index=False)
        ),
        lapse=m["lapse"],
        lapse_date=m["lapse_date"],
        lapse_sources=tuple(u for u in map(safe_url, m["lapse_sources"] or ()) if u),
    )
