"""Fuzzing the built file for ``python -m geodata check`` (Hypothesis): a tampered
members.geojson makes check exit 1 with FAIL lines, never a traceback.

The mutations are the data-file fuzzer's (tests/dashboard/test_fuzz_data.py), applied to a
file freshly built from seeds/, so check gets past the generator and staleness tests and
reaches the contract and the per-member validation. Counts: tests/artifacts/fuzz-check.json.
"""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.schema import check_collection
from tests.dashboard.test_fuzz_data import BYTE_EDITS, OPERATIONS, encode, mutate
from tests.geodata.conftest import ROOT
from tests.geodata.test_fuzz_seeds import Stats, in_process

NUMBER = itertools.count()


@pytest.fixture(scope="module")
def check_stats():
    yield from Stats.collected("check")


@pytest.fixture(scope="module")
def built(tmp_path_factory, built_from_seeds):
    return tmp_path_factory.mktemp("fuzz-check"), json.loads(built_from_seeds)


@settings(max_examples=max(10, settings().max_examples // 2))
@given(ops=st.lists(OPERATIONS, min_size=1, max_size=3), byte_edit=BYTE_EDITS)
def test_check_on_a_tampered_file_fails_in_words(built, cache_dir, check_stats, ops, byte_edit):
    work, good = built
    collection = json.loads(json.dumps(good))
    for op in ops:
        mutate(collection, op)
    path = work / f"tampered-{next(NUMBER)}.geojson"
    path.write_bytes(encode(collection, byte_edit))
    check_stats.cases += 1
    try:
        status, out, err = in_process(["check", "--seeds", str(ROOT / "seeds"), "--out",
                                       str(path), "--cache-dir", str(cache_dir)])
    except Exception:
        check_stats.tracebacks += 1
        raise
    check_stats.exits[status] += 1
    assert status in (0, 1), err
    if status == 1:
        assert err.startswith("FAIL "), err
    else:  # what check accepts keeps the contract
        assert check_collection(json.loads(path.read_bytes())).ok
    path.unlink()
