"""seeds/gaps.csv: where the members the roster does not name yet are.

A gap is a count a source gives for one scope (some rounds, a region, a country, a year of
admission), e.g. "59 Korean members after the 2025 round". The roster's own count of the same
scope is worked out from the members, so a gap closes by itself as names are found: nobody
edits a figure by hand. The build copies the gaps into members.geojson's metadata, and the
report and the page count them with ``tally``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geodata.seedcsv import SeedError, SeedReader, echo
from geodata.seedmodel import BOUNDS, GAP_COLUMNS, REGIONS, Gap, Round

_GAP_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True, slots=True)
class Tally:
    """A gap against the roster: how many the source counts, how many are named."""

    gap: Gap
    named: int

    @property
    def missing(self) -> int:
        """Members of the scope no row names yet (at least this many for an 'at_least' gap)."""
        return max(self.gap.announced - self.named, 0)


def in_scope(gap: Gap, member: Mapping) -> bool:
    """Whether a member (a mapping with iso2, region, round, admitted, status) is in the gap's
    scope. Withdrawn members never count: the announcement that named them was corrected."""
    if member.get("status") == "withdrawn":
        return False
    if gap.rounds and member.get("round") not in gap.rounds:
        return False
    if gap.region and member.get("region") != gap.region:
        return False
    if gap.iso2 and member.get("iso2") != gap.iso2:
        return False
    if gap.admitted_year is not None:
        admitted = member.get("admitted") or ""
        return admitted[:4] == str(gap.admitted_year)
    return True


def tally(gaps: Iterable[Gap], members: Iterable[Mapping]) -> tuple[Tally, ...]:
    """Each gap with the number of members the roster names in its scope."""
    members = list(members)
    return tuple(Tally(g, sum(1 for m in members if in_scope(g, m))) for g in gaps)


def first_time_gaps(announcements: Iterable[tuple[str, Iterable[str], str]]
                    ) -> tuple[Gap, ...]:
    """One gap per country an announcement calls new to the network, from (round key, ISO
    codes, source URL) triples: at least one member of that country in that round. The claim
    is left empty: whoever shows the gap words it."""
    return tuple(
        Gap(id=f"{key}-{code.lower()}-first-time", rounds=(key,), region=None, iso2=code,
            admitted_year=None, announced=1, bound="at_least", claim="", source_url=url or "",
            note="")
        for key, codes, url in announcements for code in codes)


def to_record(gap: Gap) -> dict:
    """A gap as members.geojson's metadata carries it."""
    return {"id": gap.id, "rounds": list(gap.rounds), "region": gap.region, "iso2": gap.iso2,
            "admitted_year": gap.admitted_year, "announced": gap.announced, "bound": gap.bound,
            "claim": gap.claim, "source_url": gap.source_url, "note": gap.note}


def from_record(record: Mapping) -> Gap:
    """The inverse of ``to_record`` (for a record geodata.schema has checked)."""
    return Gap(id=record["id"], rounds=tuple(record["rounds"]), region=record["region"],
               iso2=record["iso2"], admitted_year=record["admitted_year"],
               announced=record["announced"], bound=record["bound"], claim=record["claim"],
               source_url=record["source_url"], note=record.get("note") or "")


def load_gaps(path: Path, rounds: tuple[Round, ...], countries, errors: list[SeedError]):
    """Read and check gaps.csv; ``countries`` tells whether an ISO alpha-2 code exists."""
    reader = SeedReader(path, GAP_COLUMNS, errors)
    known = {r.round: r for r in rounds}
    gaps, seen = [], {}
    for line, row in reader.rows():
        before = len(errors)
        reader.require(line, row, "id", "announced", "claim")
        if row["id"]:
            if not _GAP_ID.match(row["id"]):
                reader.error(line, f"id: {echo(row['id'])} is not a lower-case slug like "
                                   "'kr-2018'")
            elif row["id"] in seen:
                reader.error(line, f"id: {echo(row['id'])} repeats line {seen[row['id']]}")
            seen.setdefault(row["id"], line)
        keys = tuple(k for k in row["rounds"].split(";") if k)
        for key in keys:
            if key not in known:
                reader.error(line, f"rounds: {echo(key)} is not a round in rounds.csv")
        if row["region"]:
            reader.choice(line, row, "region", REGIONS)
        if row["iso2"] and not countries(row["iso2"]):
            reader.error(line, f"iso2: {echo(row['iso2'])} is not an ISO 3166-1 alpha-2 code")
        year = _year(reader, line, row["admitted_year"], [known[k] for k in keys if k in known])
        announced = reader.whole_number(line, "announced", row["announced"])
        if announced == 0:
            reader.error(line, "announced: 0 members is no gap")
        reader.choice(line, row, "bound", BOUNDS)
        reader.url(line, row)
        if len(errors) > before or announced is None:
            continue
        gaps.append(Gap(id=row["id"], rounds=keys, region=row["region"] or None,
                        iso2=row["iso2"] or None, admitted_year=year, announced=announced,
                        bound=row["bound"], claim=row["claim"], source_url=row["source_url"],
                        note=row["note"], line=line))
    return tuple(gaps)


def _year(reader: SeedReader, line: int, value: str, rounds: list[Round]) -> int | None:
    """An admission year, which must fall in one of the gap's rounds when it names some."""
    if not value:
        return None
    if not _YEAR.match(value):
        reader.error(line, f"admitted_year: {echo(value)} is not a year like 2018")
        return None
    year = int(value)
    dated = [r for r in rounds if r.period_start and r.period_end]
    if dated and not any(r.period_start.year <= year <= r.period_end.year for r in dated):
        reader.error(line, f"admitted_year: {year} is outside the gap's rounds")
    return year
