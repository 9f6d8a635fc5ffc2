"""Page state <-> URL query parameters, so any view is a link.

Lists are comma-separated (``?round=2024,2025&region=Africa``). Anything unknown or malformed
falls back to the default and yields a notice for the page to show; it never raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dashboard.asof import timeline
from dashboard.state.model import AtlasState, Display, Filters, Route, Selection

KNOWN_PARAMS = ("round", "region", "country", "q", "capitals", "firsttime", "focus", "mark", "city",
                "view", "as_of")
# The page's views of one selection; the first is the default (left out of links).
VIEWS = ("map", "countries", "table", "growth", "about")
MARKS = ("capitals", "firsttime")
MAX_SEARCH = 100
QUOTED_MAX = 80  # a bad value is quoted in its notice up to this length
UNKNOWN_NAMED = 5  # unknown parameter names listed in a notice; the rest are counted


def quoted(value: str) -> str:
    """A link value as a notice quotes it: shortened, never echoed whole (the page escapes
    it too: notices are shown as text)."""
    return value if len(value) <= QUOTED_MAX else value[:QUOTED_MAX - 1] + "…"


@dataclass(frozen=True)
class Choices:
    """What a link may name: the values present in the data."""

    rounds: tuple[str, ...]
    regions: tuple[str, ...]
    countries: tuple[str, ...]
    ids: frozenset[str]


def _listed(names: list[str]) -> str:
    """Parameter names for a notice: the first few, quoted short, then how many more."""
    more = len(names) - UNKNOWN_NAMED
    return (", ".join(quoted(name) for name in names[:UNKNOWN_NAMED])
            + (f" and {more} more." if more > 0 else "."))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _pick(name: str, value: str, allowed: Iterable[str], notices: list[str]) -> tuple[str, ...]:
    allowed = tuple(allowed)
    chosen, ignored = [], []
    for part in _split(value):
        (chosen if part in allowed else ignored).append(part)
    if ignored:
        notices.append(f"Ignored unknown {name} value(s) in the link: "
                       f"{quoted(', '.join(ignored))}.")
    return tuple(dict.fromkeys(chosen))


def _flag(name: str, value: str, notices: list[str]) -> bool:
    if value in ("1", "true", "yes"):
        return True
    if value not in ("0", "false", "no", ""):
        notices.append(f"Ignored '{name}={quoted(value)}' in the link: use 1 or 0.")
    return False


def latest(choices: Choices) -> str:
    """The focus round a link without one gets: the latest dated round (as Atlas.latest_round)."""
    return (timeline(choices.rounds) or choices.rounds or ("",))[-1]


def parse(params: Mapping[str, str], choices: Choices) -> tuple[AtlasState, list[str]]:
    """Read the page state from query parameters; unknown or bad values give notices."""
    notices: list[str] = []
    unknown = sorted(set(params) - set(KNOWN_PARAMS))
    if unknown:
        notices.append(f"Ignored unknown link parameter(s): {_listed(unknown)}")
    get = lambda key: str(params.get(key, "") or "")  # noqa: E731
    focus = get("focus")
    if focus and focus not in timeline(choices.rounds):
        # A focus round needs a date: the undated bucket has no new capitals of its own.
        notices.append(f"Ignored focus round '{quoted(focus)}' in the link: no such dated round.")
        focus = ""
    search = get("q")
    if len(search) > MAX_SEARCH:
        notices.append(f"Shortened the search in the link to {MAX_SEARCH} characters.")
        search = search[:MAX_SEARCH]
    marks = MARKS
    if "mark" in params:
        marks = () if get("mark") == "none" else _pick("mark", get("mark"), MARKS, notices)
    city = get("city")
    if city and city not in choices.ids:
        notices.append(f"Ignored city '{quoted(city)}' in the link: no such member.")
        city = ""
    view = get("view") or VIEWS[0]
    if view not in VIEWS:
        notices.append(f"Ignored view '{quoted(view)}' in the link: use one of {', '.join(VIEWS)}.")
        view = VIEWS[0]
    as_of = get("as_of")
    if as_of and as_of not in timeline(choices.rounds):
        notices.append(f"Ignored as_of '{quoted(as_of)}' in the link: no such dated round; "
                       "showing the whole network.")
        as_of = ""
    state = AtlasState(
        filters=Filters(
            rounds=_pick("round", get("round"), choices.rounds, notices),
            regions=_pick("region", get("region"), choices.regions, notices),
            countries=_pick("country", get("country").upper(), choices.countries, notices),
            search=search,
            new_capitals_only=_flag("capitals", get("capitals"), notices),
            first_time_only=_flag("firsttime", get("firsttime"), notices),
        ),
        display=Display(focus_round=focus or latest(choices),
                        mark_capitals="capitals" in marks, mark_first_time="firsttime" in marks),
        route=Route(view=view, as_of=as_of),
        selection=Selection(city=city),
    )
    return state, notices


def repeated_notices(keys: list[str]) -> list[str]:
    """A notice for link parameters given more than once (the last copy is used)."""
    if not keys:
        return []
    return [f"Parameter(s) given more than once in the link, the last value used: "
            f"{_listed(keys)}"]


def to_params(state: AtlasState, choices: Choices) -> dict[str, str]:
    """The query parameters for a state; defaults are left out to keep links short."""
    filters, display, route = state.filters, state.display, state.route
    params = {
        "round": ",".join(filters.rounds),
        "region": ",".join(filters.regions),
        "country": ",".join(filters.countries),
        "q": filters.search,
        "capitals": "1" if filters.new_capitals_only else "",
        "firsttime": "1" if filters.first_time_only else "",
        "focus": "" if display.focus_round == latest(choices) else display.focus_round,
        "city": state.selection.city,
        "view": "" if route.view == VIEWS[0] else route.view,
        "as_of": route.as_of,
    }
    switches = (display.mark_capitals, display.mark_first_time)
    marks = [name for name, on in zip(MARKS, switches, strict=True) if on]
    if len(marks) < len(MARKS):
        params["mark"] = ",".join(marks) or "none"
    return {key: value for key, value in params.items() if value}
