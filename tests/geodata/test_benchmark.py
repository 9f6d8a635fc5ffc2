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
