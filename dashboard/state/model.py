"""The page's state as typed values, split by meaning.

``Filters`` narrow the members; ``Display`` changes how they are drawn; ``Route`` says which
view the page shows and as of which round; ``Selection`` is the member whose details are open.
Every part is frozen and made of plain values, so each is hashable and a cache can take exactly
the parts it depends on (the map's rows depend on the filters, the as-of round and the focus
round, never on the view or the chosen city).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Filters:
    """What the sidebar's filters let through. Empty selections mean "all"."""

    rounds: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO alpha-2 codes
    search: str = ""
    new_capitals_only: bool = False  # capitals admitted in the focus round
    first_time_only: bool = False  # countries whose first members came in the focus round


@dataclass(frozen=True, slots=True)
class Display:
    """How the members are drawn: which round stands out, and its marks."""

    focus_round: str = ""  # a dated round key; the session starts on the latest one
    mark_capitals: bool = True
    mark_first_time: bool = True


@dataclass(frozen=True, slots=True)
class Route:
    """Where the visitor is: a view of the selection, and the network as of a round."""

    view: str = "map"  # one of urlstate.VIEWS
    as_of: str = ""  # "" = the network today; else members admitted up to this round


@dataclass(frozen=True, slots=True)
class Selection:
    city: str = ""  # a member id, or "" when no city is chosen


@dataclass(frozen=True, slots=True)
class Scope:
    """What decides which members are shown: the key of every per-selection cache."""

    filters: Filters
    as_of: str
    focus: str


@dataclass(frozen=True, slots=True)
class AtlasState:
    filters: Filters = field(default_factory=Filters)
    display: Display = field(default_factory=Display)
    route: Route = field(default_factory=Route)
    selection: Selection = field(default_factory=Selection)

    @property
    def scope(self) -> Scope:
        return Scope(self.filters, self.route.as_of, self.display.focus_round)

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the members ("Clear filters" then has work to do)."""
        return self.filters != Filters() or bool(self.route.as_of)
