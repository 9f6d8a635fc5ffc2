"""The seed value objects (one frozen dataclass per row) and the seed vocabularies.

A new member column is added in three places: ``MEMBER_COLUMNS``, ``Member``
and the row check in ``geodata.roster.load_members``.
"""

from dataclasses import dataclass
from datetime import date

from geodata.seedcsv import SeedError

MEMBER_COLUMNS = (
    "id", "city", "country", "iso2", "subdivision", "region", "round", "admitted", "round_basis",
    "capital", "first_time_country", "status", "evidence", "source_url", "note", "lapse",
    "lapse_date", "lapse_sources",
)
ROUND_COLUMNS = (
    "round", "label", "announced_on", "period_start", "period_end", "announced_members",
    "announced_countries", "network_members_after", "network_countries_after", "capitals",
    "first_time_countries", "source_url", "note",
)
OVERRIDE_COLUMNS = (
    "id", "method", "geonames_id", "lat", "lon", "precision", "radius_km", "same_place_as",
    "reason", "source_url",
)
GAP_COLUMNS = (
    "id", "rounds", "region", "iso2", "admitted_year", "announced", "bound", "claim",
    "source_url", "note",
)
SEED_FILES = ("members.csv", "rounds.csv", "overrides.csv", "gaps.csv")

REGIONS = (
    "Africa", "Arab States", "Asia and the Pacific", "Europe and North America",
    "Latin America and the Caribbean",
)
UNKNOWN_ROUND = "unknown"
ROUND_BASES = ("announced", "dated", "undated", "unresolved")
STATUSES = ("member", "doubtful", "withdrawn")
# A member that may have left the network (a source suggests it) or that did (a source says
# so, with a date). Either way it stays in the roster: the page marks it, never hides it.
LAPSES = ("possible", "lapsed")
# How a gap's announced figure counts: exactly that many members, or at least that many.
BOUNDS = ("exact", "at_least")
EVIDENCE = ("official", "secondary")
METHODS = ("geonames", "coordinates")
# How exact an override's point is (seeds/README.md): the place itself, the seat of a
# county/commune/consortium, or the centre of an area of stated radius.
PRECISIONS = ("place", "seat", "area")


@dataclass(frozen=True, slots=True)
class Round:
    round: str
    label: str
    announced_on: date | None
    period_start: date | None
    period_end: date | None
    announced_members: int | None
    announced_countries: int | None
    network_members_after: int | None
    network_countries_after: int | None
    capitals: tuple[str, ...]
    first_time_countries: tuple[str, ...]
    source_url: str
    note: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    city: str
    country: str
    iso2: str
    region: str
    round: str
    admitted: str | None
    round_basis: str
    capital: bool
    first_time_country: str | None  # "yes" / "no" / None: what a source states
    status: str
    evidence: str
    source_url: str
    note: str
    subdivision: str | None = None  # ISO 3166-2 code of its first-level division, if stated
    line: int = 0
    lapse: str | None = None  # one of LAPSES, or None: no sign that it left
    lapse_date: str | None = None  # YYYY[-MM[-DD]]: when it left, or the date of the evidence
    lapse_sources: tuple[str, ...] = ()  # the pages that say so


@dataclass(frozen=True, slots=True)
class Gap:
    """Members a source counts in a scope (rounds, region, country, year) that the roster may
    not name yet: ``announced`` against the roster's own count of that scope."""

    id: str
    rounds: tuple[str, ...]  # empty: every round (the network as a whole)
    region: str | None
    iso2: str | None
    admitted_year: int | None
    announced: int
    bound: str  # one of BOUNDS
    claim: str  # what the source says, in one sentence
    source_url: str
    note: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Override:
    id: str
    method: str
    geonames_id: int | None
    lat: float | None
    lon: float | None
    reason: str
    source_url: str
    line: int = 0
    precision: str = "place"
    radius_km: float | None = None  # "area" only
    same_place_as: str | None = None  # a member declared to be the same place (stacking allowed)


@dataclass(frozen=True, slots=True)
class Seeds:
    members: tuple[Member, ...]
    rounds: tuple[Round, ...]
    overrides: tuple[Override, ...]
    digests: dict  # file name -> SHA-256 of its bytes
    warnings: tuple[SeedError, ...] = ()
    gaps: tuple[Gap, ...] = ()

    def round_by_key(self) -> dict[str, Round]:
        return {r.round: r for r in self.rounds}

    def override_by_id(self) -> dict[str, Override]:
        return {o.id: o for o in self.overrides}



def rounds_in_order(rounds) -> tuple[Round, ...]:
    """Rounds by date (period start, then end), undated ones (e.g. 'unknown') last.

    This order is the one everything downstream shows: the build writes it into
    members.geojson's metadata and the dashboard takes it from there.
    """
    dated = [r for r in rounds if r.period_start is not None]
    undated = [r for r in rounds if r.period_start is None]
    dated.sort(key=lambda r: (r.period_start, r.period_end or r.period_start))
    return (*dated, *undated)
