"""The benchmark's helpers: the synthetic file it measures a large network with, and the
search queries it types (the benchmark itself prints figures; it is not a timed test)."""

from __future__ import annotations

from dashboard import data
from dashboard.devtools import benchmark


def test_a_synthetic_file_is_a_valid_members_file_of_that_size(tmp_path, small_path):
    target = tmp_path / "outside" / "members-50.geojson"
    assert benchmark.write_synthetic(50, target, source=small_path) == 50
    loaded = data.load_atlas(target)
    assert loaded.problems == ()  # every copy passes the contract, none is left out
    assert len(loaded.members) == 50 and loaded.members["id"].is_unique
    assert benchmark.write_synthetic(50, target, source=small_path) == 50
    assert data.load_atlas(target).members.equals(loaded.members)  # seeded: the same file


def test_search_queries_differ_so_no_rerun_is_served_from_the_cache(small_atlas):
    queries = benchmark.search_queries(small_atlas.members, 12)
    assert len(queries) == len(set(queries)) == 12
    folded_cities = [c.casefold() for c in small_atlas.members["city"]]
    assert all(any(c.startswith(q.casefold()) for c in folded_cities) for q in queries)
