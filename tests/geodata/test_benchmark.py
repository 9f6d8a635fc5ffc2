"""geodata.benchmark's synthetic rosters: valid seeds of the asked size, copies placed by
coordinates near their originals, never two at one point."""

from __future__ import annotations

from geodata.benchmark import write_synthetic_seeds
from geodata.checks import STACK_DEGREES
from geodata.cli import DEFAULT_SEEDS
from geodata.roster import load_seeds


def test_a_synthetic_roster_is_valid_and_of_the_asked_size(tmp_path):
    real = {m.id for m in load_seeds(DEFAULT_SEEDS).members}
    rows = write_synthetic_seeds(len(real) + 300, tmp_path / "seeds")
    seeds = load_seeds(tmp_path / "seeds")  # raises SeedErrors on any bad row
    assert rows == len(seeds.members) == len(real) + 300
    copies = [o for o in seeds.overrides if o.id not in real]
    assert len(copies) == 300 and {o.method for o in copies} == {"coordinates"}
    # No two copies in one stacked-point cell.
    cells = {(round(o.lat / STACK_DEGREES), round(o.lon / STACK_DEGREES)) for o in copies}
    assert len(cells) == len(copies)


def test_a_name_matched_roster_adds_valid_unstacked_members_by_their_geonames_names(tmp_path):
    from geodata.benchmark import write_named_seeds
    from geodata.normalize import normalise

    real = {m.id: m for m in load_seeds(DEFAULT_SEEDS).members}
    # Two countries' places: the scan of every name is what takes the time.
    rows = write_named_seeds(len(real) + 200, tmp_path / "seeds", countries={"PT", "KR"})
    seeds = load_seeds(tmp_path / "seeds")
    added = [m for m in seeds.members if m.id not in real]
    assert rows == len(seeds.members) == len(real) + 200 == len(real) + len(added)
    assert {o.id for o in seeds.overrides} <= set(real)  # placed by name, not by override
    # Each added name is new in its country: unique among the added, and no member's.
    added_names = [(m.iso2, normalise(m.city)) for m in added]
    assert len(set(added_names)) == len(added_names)
    assert not set(added_names) & {(m.iso2, normalise(m.city)) for m in real.values()}
    assert {m.iso2 for m in added} == {"PT", "KR"}
