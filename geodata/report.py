"""Per round: what the roster holds against what UNESCO/UIL announced; how exact the points are."""

from collections import Counter, defaultdict
from dataclasses import asdict

from geodata.countries import country_name, country_names
from geodata.gaps import first_time_gaps, tally
from geodata.normalize import normalise
from geodata.roster import UNKNOWN_ROUND, Seeds


def first_rounds(seeds: Seeds) -> dict[str, tuple[str, list]]:
    """Country -> (its earliest round, members of that round), ignoring withdrawn and unknown."""
    order = {r.round: (r.period_start, i) for i, r in enumerate(seeds.rounds)}
    earliest: dict[str, tuple] = {}
    for m in seeds.members:
        if m.status == "withdrawn" or m.round == UNKNOWN_ROUND or m.round not in order:
            continue
        current = earliest.get(m.iso2)
        if current is None or order[m.round] < order[current[0]]:
            earliest[m.iso2] = (m.round, [m])
        elif current[0] == m.round:
            current[1].append(m)
    return earliest


def report(seeds: Seeds) -> str:
    lines = []
    names = country_names((m.iso2, m.country) for m in seeds.members)
    earliest = first_rounds(seeds)
    by_round = defaultdict(list)
    for m in seeds.members:
        by_round[m.round].append(m)
    for rnd in seeds.rounds:
        rows = by_round.get(rnd.round, [])
        active = [m for m in rows if m.status != "withdrawn"]
        lines.append(f"== {rnd.label} ({rnd.round}) ==")
        lines += _member_lines(rnd, active, [m for m in rows if m.status == "withdrawn"])
        lines += _capital_lines(rnd, active)
        if rnd.round == UNKNOWN_ROUND:  # no round, so no "first time" either
            lines.append("(not counted for first-time countries)")
        else:
            lines += _first_time_lines(rnd, active, earliest, names)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _member_lines(rnd, active, withdrawn) -> list[str]:
    """The round's members and countries against the announced counts."""
    doubtful = [m for m in active if m.status == "doubtful"]
    lines = [_count_line("members", len(active), rnd.announced_members,
                         "{gap} of {announced} not yet found",
                         "{more} more than announced: rows dated into this round")]
    if doubtful:
        lines.append("  doubtful: " + ", ".join(m.city for m in doubtful))
    if withdrawn:
        lines.append("  withdrawn (not counted): " + ", ".join(m.city for m in withdrawn))
    lines.append(_count_line("countries", len({m.iso2 for m in active}),
                             rnd.announced_countries, "{gap} countries not yet found"))
    return lines


def _count_line(what: str, found: int, announced: int | None, missing: str,
                more: str | None = None) -> str:
    line = f"{what} in roster: {found}"
    if announced is None:
        return line
    line += f", announced {announced}"
    gap = announced - found
    if gap > 0:
        line += " (missing: " + missing.format(gap=gap, announced=announced) + ")"
    elif gap < 0 and more:
        line += " (" + more.format(more=-gap) + ")"
    return line


def _capital_lines(rnd, active) -> list[str]:
    """The round's capitals against the ones its announcement names."""
    capitals = [m for m in active if m.capital]
    lines = [f"capitals in roster: {len(capitals)}"
             + (f": {', '.join(m.city for m in capitals)}" if capitals else "")]
    if not rnd.capitals:
        return lines
    announced = {normalise(c): c for c in rnd.capitals}
    found = {normalise(m.city) for m in capitals}
    lines.append(f"  announced {len(rnd.capitals)}: {', '.join(rnd.capitals)}")
    for key, name in announced.items():
        if key not in found:
            row = next((m for m in active if normalise(m.city) == key), None)
            why = "in the roster but not flagged capital" if row else "not in the roster"
            lines.append(f"  {name}: announced capital, {why}")
    for m in capitals:
        if normalise(m.city) not in announced:
            lines.append(f"  {m.city}: capital in the roster, not named by the announcement")
    return lines


def _first_time_lines(rnd, active, earliest, names) -> list[str]:
    """The round's computed first-time countries against the announcement and the sources."""
    computed = sorted(iso for iso, (r, _) in earliest.items() if r == rnd.round)
    shown = ", ".join(f"{country_name(i, names)} ({i})" for i in computed)
    lines = [f"first-time countries computed: {len(computed)}" + (f": {shown}" if shown else "")]
    if rnd.first_time_countries:
        lines += _announced_first_time_lines(rnd, computed, earliest, names)
    elif computed:
        lines.append("  the announcement's first-time countries are not recorded in "
                     "rounds.csv")
    stated = sorted({m.iso2 for m in active if m.first_time_country == "yes"})
    for iso in (i for i in stated if i not in computed):
        first_round, first = earliest.get(iso, ("?", []))
        lines.append(f"  {country_name(iso, names)}: a source calls it first-time here, but "
                     f"{', '.join(m.city for m in first)} joined in {first_round}")
    for iso in computed:
        # Only when every member of the country in this round has a "no": with
        # one undated peer, the "no" may just point at that peer.
        here = [m for m in active if m.iso2 == iso]
        said_no = [m.city for m in here if m.first_time_country == "no"]
        if said_no and len(said_no) == len(here):
            lines.append(f"  {country_name(iso, names)}: computed first-time, but a source "
                         f"for {', '.join(said_no)} says it is not (an earlier member is "
                         "missing from the roster)")
    return lines


def _announced_first_time_lines(rnd, computed, earliest, names) -> list[str]:
    announced = list(rnd.first_time_countries)
    lines = [f"  announced {len(announced)}: {', '.join(announced)}"]
    for iso in announced:
        if iso in computed:
            continue
        name = country_name(iso, names)
        first_round, first = earliest.get(iso, (rnd.round, []))
        if first_round != rnd.round:
            cities = ", ".join(m.city for m in first)
            lines.append(f"  {name}: announced first-time, but {cities} joined in "
                         f"{first_round}")
        else:
            lines.append(f"  {name}: announced first-time, but no {name} member of this "
                         "round is in the roster")
    for iso in computed:
        if iso not in announced:
            cities = ", ".join(m.city for m in earliest[iso][1])
            lines.append(f"  {country_name(iso, names)}: computed first-time ({cities}), "
                         "not announced as such (an earlier member may be missing "
                         "from the roster)")
    return lines


def gaps_report(seeds: Seeds) -> str:
    """Where the members the roster does not name yet are: each sourced count against the
    roster's count of the same scope (seeds/gaps.csv), then the announced first-time countries
    with no member of their round."""
    labels = {r.round: r.label for r in seeds.rounds}
    members = [asdict(m) for m in seeds.members]
    names = country_names((m.iso2, m.country) for m in seeds.members)
    lines = ["== Where the missing members are (seeds/gaps.csv) =="]
    for t in tally(seeds.gaps, members):
        g = t.gap
        scope = [country_name(g.iso2, names) if g.iso2 else "", g.region or "",
                 ", ".join(labels.get(k, k) for k in g.rounds) or "every round",
                 f"admitted in {g.admitted_year}" if g.admitted_year else ""]
        least = "at least " if g.bound == "at_least" else ""
        lines.append(f"{g.id}: {' / '.join(p for p in scope if p)}: announced {least}"
                     f"{g.announced}, named {t.named}, not yet named {least}{t.missing}")
        lines.append(f"  {g.claim} ({g.source_url})")
    announced = [(r.round, r.first_time_countries, r.source_url) for r in seeds.rounds]
    for t in tally(first_time_gaps(announced), members):
        if t.missing:
            g = t.gap
            lines.append(f"{g.id}: {country_name(g.iso2, names)} announced first-time in "
                         f"{labels[g.rounds[0]]}, no member named ({g.source_url})")
    return "\n".join(lines) + "\n"


PRECISION_WORDS = {
    "place": "the place itself",
    "seat": "the seat of a county, municipality, commune or consortium",
    "area": "an area of stated radius (its centre)",
}


def placement_report(collection: dict) -> str:
    """Members per place_precision kind, and the subdivision check, from a built members.geojson."""
    features = collection.get("features") or []
    precisions = Counter(f["properties"].get("place_precision") for f in features
                         if f.get("geometry"))
    unplaced = sum(1 for f in features if not f.get("geometry"))
    lines = [f"== Placement ({len(features)} members) ==", "precision of the points:"]
    for kind, words in PRECISION_WORDS.items():
        lines.append(f"  {kind}: {precisions.pop(kind, 0)} ({words})")
    for kind, n in sorted(precisions.items(), key=str):  # e.g. a file built before precision
        lines.append(f"  {kind or 'not recorded'}: {n}")
    lines.append(f"  not placed: {unplaced}")
    checks = Counter(f["properties"].get("check_subdivision") for f in features
                     if f.get("geometry"))
    lines.append("subdivision stated in members.csv against the point: "
                 + ", ".join(f"{k or 'cannot tell'} {n}" for k, n in sorted(
                     checks.items(), key=lambda kv: str(kv[0]))))
    differs = [f"{f['properties']['city']} ({f['id']})" for f in features
               if f["properties"].get("check_subdivision") == "differs"]
    if differs:
        lines.append("  differs: " + ", ".join(differs))
    return "\n".join(lines) + "\n"
