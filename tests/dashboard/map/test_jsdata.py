"""Row sets: the bitmap or the run lengths, whichever is shorter, and back."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from dashboard.map.jsdata import bitmap, row_set, rows_of, runs

sizes_and_rows = st.integers(1, 3000).flatmap(
    lambda size: st.tuples(st.just(size), st.sets(st.integers(0, size - 1))))


@given(sizes_and_rows)
def test_a_row_set_holds_exactly_the_rows_given(case):
    size, rows = case
    text = row_set(rows, size)
    assert rows_of(text, size) == sorted(rows)
    assert rows_of("b" + bitmap(rows, size), size) == sorted(rows)
    assert rows_of("r" + runs(rows, size), size) == sorted(rows)


@given(sizes_and_rows)
def test_a_row_set_is_never_longer_than_the_bitmap(case):
    size, rows = case
    text = row_set(rows, size)
    assert len(text) <= 1 + len(bitmap(rows, size))
    assert len(base64.b64decode(bitmap(rows, size))) == (size + 7) // 8


def test_stretches_go_as_run_lengths_and_scattered_rows_as_a_bitmap():
    stretch = row_set(range(10_000, 20_000), 50_000)
    assert stretch.startswith("r") and len(stretch) <= 13  # 10000, 10000, 30000: 7 bytes
    scattered = row_set(range(0, 50_000, 3), 50_000)
    assert scattered.startswith("b")


def test_run_lengths_are_leb128_from_a_left_out_run():
    # rows 0..1 kept (first run 0), 200 left out (0xc8 0x01), 1 kept, the rest left out
    assert base64.b64decode(runs([0, 1, 202], 210)) == bytes([0, 2, 0xC8, 0x01, 1, 7])
