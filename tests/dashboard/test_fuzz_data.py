"""Fuzzing the data file (Hypothesis): whatever members.geojson holds, loading it gives an
Atlas or a DataError in words (no other exception, no server path), and the page (AppTest)
never raises: it shows the map, with bad rows listed, or the error page.

Counts go to tests/artifacts/fuzz-data.json and fuzz-page.json.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import coverage, data, highlights
from dashboard.filters import apply_filters
from tests.dashboard.malformed_data import small
from tests.dashboard.scopes import scope
from tests.geodata.test_fuzz_seeds import Stats

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PROPERTIES = (*data.COLUMNS, "lat", "lon")
ROUND_KEYS = ("round", "label", "announced_on", "period_start", "period_end",
              "announced_members", "announced_countries", "network_members_after",
              "network_countries_after", "capitals", "first_time_countries", "source_url")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["", "2026", "unknown", "2025", "FR", "AR-S", "area", "place", "seat",
                     "agrees", "withdrawn", "member", "Africa", "yes", "1e400", "-0",
                     "<script>x</script>", "{{ 7*7 }}", "Point", "Feature"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)

OPERATIONS = st.one_of(
    st.tuples(st.just("property"), st.integers(0, 30), st.sampled_from(PROPERTIES), json_values),
    st.tuples(st.just("drop_property"), st.integers(0, 30), st.sampled_from(PROPERTIES)),
    st.tuples(st.just("geometry"), st.integers(0, 30), json_values),
    st.tuples(st.just("coordinate"), st.integers(0, 30), st.integers(0, 2), json_values),
    st.tuples(st.just("feature"), st.integers(0, 30), json_values),
    st.tuples(st.just("round"), st.integers(0, 8), st.sampled_from(ROUND_KEYS), json_values),
    st.tuples(st.just("new_round"), st.sampled_from(["2026", "2027", "x"]), st.booleans(),
              st.integers(0, 30)),
    st.tuples(st.just("top"), st.sampled_from(["type", "features", "metadata"]), json_values),
    st.tuples(st.just("metadata"), st.sampled_from(["rounds", "unplaced", "generator"]),
              json_values),
    st.tuples(st.just("drop_features"), st.integers(0, 30), st.integers(0, 30)),
)
BYTE_EDITS = st.one_of(  # mostly none: most examples should get past the JSON reader
    st.none(), st.none(), st.none(), st.none(), st.none(),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("insert"), st.floats(0, 1),
              st.sampled_from([b"\x00", b"\xff", b"\xef\xbb\xbf", b"}", b",", b"NaN", b"\""])),
    st.tuples(st.just("encode"), st.sampled_from(["latin-1", "utf-16"])),
)


def _rounds_of(collection: dict):
    metadata = collection.get("metadata")
    return metadata.get("rounds") if isinstance(metadata, dict) else None


def mutate(collection: dict, op: tuple) -> None:
    kind, *args = op
    features = collection.get("features")
    feats = features if isinstance(features, list) else []

    def nth(i):
        return feats[i % len(feats)] if feats else None

    if kind in ("property", "drop_property"):
        f = nth(args[0])
        props = f.get("properties") if isinstance(f, dict) else None
        if isinstance(props, dict):
            if kind == "property":
                props[args[1]] = args[2]
            else:
                props.pop(args[1], None)
    elif kind == "geometry":
        f = nth(args[0])
        if isinstance(f, dict):
            f["geometry"] = args[1]
    elif kind == "coordinate":
        f = nth(args[0])
        geometry = f.get("geometry") if isinstance(f, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if isinstance(coords, list):
            if args[1] < len(coords):
                coords[args[1]] = args[2]
            else:
                coords.append(args[2])
    elif kind == "feature":
        if feats:
            feats[args[0] % len(feats)] = args[1]
    elif kind == "round":
        rounds = _rounds_of(collection)
        if isinstance(rounds, list) and rounds and isinstance(rounds[args[0] % len(rounds)],
                                                              dict):
            rounds[args[0] % len(rounds)][args[1]] = args[2]
    elif kind == "new_round":
        key, dated, member = args
        rounds = _rounds_of(collection)
        if isinstance(rounds, list) and rounds and isinstance(rounds[0], dict):
            rounds.insert(len(rounds) - 1, {**rounds[0], "round": key, "label": key,
                                            "period_start": "2026-01-01" if dated else None})
            f = nth(member)
            if isinstance(f, dict) and isinstance(f.get("properties"), dict):
                f["properties"]["round"] = key
    elif kind == "top":
        collection[args[0]] = args[1]
    elif kind == "metadata":
        if isinstance(collection.get("metadata"), dict):
            collection["metadata"][args[0]] = args[1]
    elif kind == "drop_features":
        if feats:
            del feats[args[0] % len(feats): args[0] % len(feats) + args[1]]


def encode(collection, byte_edit) -> bytes:
    raw = json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
    if byte_edit is None:
        return raw
    kind, arg, *rest = byte_edit
    if kind == "truncate":
        return raw[: int(arg * len(raw))]
    if kind == "insert":
        pos = int(arg * len(raw))
        return raw[:pos] + rest[0] + raw[pos:]
    return raw.decode("utf-8").encode(arg, "replace")


FILE_NUMBER = itertools.count()


def write(tmp_dir: Path, raw: bytes) -> Path:
    """A new file per example: the page caches by path and modification time."""
    path = tmp_dir / f"members-{next(FILE_NUMBER)}.geojson"
    path.write_bytes(raw)
    return path


@pytest.fixture(scope="module")
def data_stats():
    yield from Stats.collected("data")


@pytest.fixture(scope="module")
def page_stats():
    yield from Stats.collected("page")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz-data")


def use_everything(atlas: data.Atlas) -> None:
    """What the page computes from an Atlas (pure modules), for every focus round."""
    coverage.markdown_table(coverage.coverage(atlas).table, str)
    for focus in atlas.dated_round_keys or atlas.round_keys:
        marks = highlights.compute(atlas.members, focus)
        highlights.check_first_time(atlas.members, focus, ("FR", "AE"))
        apply_filters(atlas.members, scope(marks.focus_round, new_capitals_only=True), marks)


@settings(max_examples=settings().max_examples)
@given(ops=st.lists(OPERATIONS, min_size=1, max_size=4), byte_edit=BYTE_EDITS)
def test_fuzzed_data_file_loads_or_says_why(files, data_stats, ops, byte_edit):
    collection = small()
    for op in ops:
        mutate(collection, op)
    path = write(files, encode(collection, byte_edit))
    data_stats.cases += 1
    try:
        atlas = data.load_atlas(path)
    except data.DataError as error:
        data_stats.exits["error page"] += 1
        assert error.summary and error.advice
        assert str(files) not in str(error)
        return
    except Exception:
        data_stats.tracebacks += 1
        raise
    data_stats.exits["shown with warnings" if atlas.problems else "shown"] += 1
    assert len(atlas.members) >= 1 and atlas.latest_round in atlas.round_keys
    assert all(p.startswith("feature ") for p in atlas.problems)
    try:
        use_everything(atlas)
    except Exception:
        data_stats.tracebacks += 1
        raise


@settings(max_examples=max(10, settings().max_examples // 2))
@given(ops=st.lists(OPERATIONS, min_size=1, max_size=4), byte_edit=BYTE_EDITS)
def test_fuzzed_data_file_never_breaks_the_page(files, page_stats, monkeypatch, ops, byte_edit):
    collection = small()
    for op in ops:
        mutate(collection, op)
    path = write(files, encode(collection, byte_edit))
    monkeypatch.setenv("ATLAS_DATA", str(path))
    monkeypatch.delenv("ATLAS_OFFLINE_ASSETS", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    page_stats.cases += 1
    at.run()
    if at.exception:
        page_stats.tracebacks += 1
    assert not at.exception, at.exception[0].value
    if at.error:
        page_stats.exits["error page"] += 1
        assert "The map cannot be shown." in at.error[0].value
        assert not at.metric
    else:
        page_stats.exits["map"] += 1
        assert at.metric[0].label == "Members shown"
