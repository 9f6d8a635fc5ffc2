"""geodata.verify: may a new members file replace the previous one, and does it match the
roster (what `check` adds to the contract)."""

from __future__ import annotations

import copy
import json

from geodata.checks import CountryShapes
from geodata.cli import DEFAULT_OUT, DEFAULT_SEEDS
from geodata.roster import load_seeds
from geodata.verify import MAX_SHRINK, map_size, refusal, roster_problems


def real():
    return json.loads(DEFAULT_OUT.read_text(encoding="utf-8"))


def test_a_file_that_keeps_the_map_may_replace_the_previous_or_stand_first():
    assert refusal(real(), real()) is None
    assert refusal(real(), None) is None


def test_a_file_that_loses_more_than_a_tenth_of_the_map_is_refused_unless_allowed():
    smaller = real()
    drop = int(len(smaller["features"]) * (MAX_SHRINK + 0.05))
    smaller["features"] = smaller["features"][drop:]
    why = refusal(smaller, real())
    assert why is not None and not why.problems
    assert (why.before, why.after) == (map_size(real()), map_size(smaller))
    assert why.shrink > MAX_SHRINK
    assert refusal(smaller, real(), allow_shrink=True) is None


def test_a_file_that_breaks_the_contract_is_refused_with_its_problems():
    broken = real()
    broken["features"][0]["properties"]["region"] = "Atlantis"
    why = refusal(broken, real(), allow_shrink=True)
    assert why is not None and len(why.problems) == 1
    assert "property 'region'" in why.problems[0].where


def test_the_real_file_matches_its_roster_and_an_edited_one_does_not(cache_dir):
    seeds = load_seeds(DEFAULT_SEEDS)
    shapes = CountryShapes(cache_dir)
    assert roster_problems(real(), seeds, shapes) == []
    edited = copy.deepcopy(real())
    first = edited["features"][0]
    first["properties"]["city"] = "Elsewhere"
    first["geometry"]["coordinates"] = [0.0, 0.0]
    found = roster_problems(edited, seeds, shapes)
    assert any("properties differ from members.csv" in p for p in found)
    assert any(first["id"] in p and "properties differ" not in p for p in found)
