"""Fuzzing seeds/ (Hypothesis): whatever a maintainer does to the CSV files, the build ends
with exit 0, 1 or 2, never a traceback; every error names its file and line; after any
failing run the previous good output is byte for byte what it was; a successful build
passes the data contract, ``check`` and ``report``.

Exit 1 (a build failure: members unplaced or outside their country) only comes with its
FAIL line. The builds run in-process (``geodata.cli.main``) with the session's warm
gazetteer cache; a few run as ``python -m geodata`` subprocesses for the real exit status.
Counts go to tests/artifacts/fuzz-seeds.json.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.cli import main
from geodata.schema import check_collection
from tests.geodata.conftest import ROOT, run_geodata

FILES = ("members.csv", "rounds.csv", "overrides.csv")
ARTIFACTS = ROOT / "tests" / "artifacts"
SEED_LINE = re.compile(r"^.*/(members|rounds|overrides)\.csv:(\d+): \S")
COUNT_LINE = re.compile(r"^(\d+) error\(s\) in .*; nothing written$")

INTERESTING = (
    "", " ", "²", "①", "١٢", "１２", "3²", "nan", "inf", "1e5", "-0", "0", "99999999999999999999",
    "2026", "2025", "unknown", "2025-13-01", "2019-02-30", "2024-02", "yes", "no", "Yes",
    "member", "withdrawn", "doubtful", "official", "announced", "undated", "unresolved", "XZ",
    "FR", "fr-brest", "http://x", "https://example.org/a b", "javascript:alert(1)", "\x00",
    "\x07", '"', "a,b", "line\nbreak", "=cmd()", "Brest", "Ajman", "Africa", "Oceania",
    "geonames", "coordinates", "3030300", "48.39", "-4.48", "95", "<script>x</script>",
    "{{ 7*7 }}",
)
BYTES = (b"\x00", b"\xef\xbb\xbf", b"\r\n", b"\r", b"\xff", b"\xe9", b'"', b",", b"\n",
         "²".encode(), "①".encode(), b"\t", b"\x0b")


def _rows(data: bytes):
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None


def _write_rows(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _set_cell(files, name, row, col, value):
    rows = _rows(files[name] or b"")
    if not rows or len(rows) < 2:
        return
    r = rows[1 + row % (len(rows) - 1)]
    if r:
        r[col % len(r)] = value
        files[name] = _write_rows(rows)


def _add_round(files, label, members):
    """A new round and members copied from existing rows: the next admission round.

    The copies get a name of their own: a city copied under its old name would stand at the
    original's point, which the build refuses unless an override declares the two one place
    (same_place_as); new members of a new round are new places.
    """
    rounds, people = _rows(files["rounds.csv"] or b""), _rows(files["members.csv"] or b"")
    if not rounds or not people or len(people) < 2:
        return
    header = rounds[0]
    new = dict.fromkeys(header, "")
    new.update({"round": "2026", "label": label, "period_start": "2026-01-01",
                "period_end": "2026-12-31", "source_url": "https://example.org/2026"})
    rounds.insert(len(rounds) - 1, [new.get(c, "") for c in header])
    files["rounds.csv"] = _write_rows(rounds)
    cols = people[0]
    for i in members:
        row = dict(zip(cols, people[1 + i % (len(people) - 1)], strict=False))
        if "id" not in row:
            return
        row.update({"id": f"{row['id']}-x{i}", "round": "2026", "admitted": "",
                    "round_basis": "undated", "city": f"{row.get('city', '')} Round {label}"})
        people.append([row.get(c, "") for c in cols])
    files["members.csv"] = _write_rows(people)


def apply(files: dict, op: tuple) -> None:
    kind, name, *args = op
    data = files.get(name)
    if kind == "remove":
        files[name] = None
        return
    if data is None:
        return
    if kind == "cell":
        _set_cell(files, name, *args)
    elif kind == "insert":
        pos = int(args[0] * len(data))
        files[name] = data[:pos] + args[1] + data[pos:]
    elif kind == "delete":
        pos = int(args[0] * len(data))
        files[name] = data[:pos] + data[pos + args[1]:]
    elif kind == "truncate":
        files[name] = data[: int(args[0] * len(data))]
    elif kind == "header_only":
        files[name] = data.split(b"\n", 1)[0] + b"\n"
    elif kind == "encode":
        text = data.decode("utf-8", "replace")
        files[name] = {"latin-1": lambda: text.encode("latin-1", "replace"),
                       "bom": lambda: b"\xef\xbb\xbf" + data,
                       "crlf": lambda: data.replace(b"\n", b"\r\n"),
                       "utf-16": lambda: text.encode("utf-16")}[args[0]]()
    elif kind == "rows":
        rows = _rows(data)
        if rows and len(rows) > 1:
            start, count, duplicate = args
            start = 1 + start % (len(rows) - 1)
            if duplicate:
                rows.insert(start, list(rows[start]))
            else:
                del rows[start:start + count]
            files[name] = _write_rows(rows)
    elif kind == "swap_header":
        rows = _rows(data)
        if rows and len(rows[0]) > 1:
            i, j = args[0] % len(rows[0]), args[1] % len(rows[0])
            rows[0][i], rows[0][j] = rows[0][j], rows[0][i]
            files[name] = _write_rows(rows)
    elif kind == "withdraw":
        rows = _rows(data)
        if rows and "status" in rows[0]:
            at = rows[0].index("status")
            for r in rows[1::args[0]]:
                if len(r) > at:
                    r[at] = "withdrawn"
            files[name] = _write_rows(rows)
    elif kind == "new_round":
        _add_round(files, *args)


fractions = st.floats(0, 1, allow_nan=False)
names = st.sampled_from(FILES)
values = st.one_of(st.sampled_from(INTERESTING), st.text(max_size=12),
                   st.integers(131_070, 140_000).map(lambda n: "x" * n))
OPERATIONS = st.one_of(
    st.tuples(st.just("cell"), names, st.integers(0, 500), st.integers(0, 20), values),
    st.tuples(st.just("insert"), names, fractions,
              st.one_of(st.sampled_from(BYTES), st.binary(min_size=1, max_size=6))),
    st.tuples(st.just("delete"), names, fractions, st.integers(1, 300)),
    st.tuples(st.just("truncate"), names, fractions),
    st.tuples(st.just("header_only"), names),
    st.tuples(st.just("remove"), names),
    st.tuples(st.just("encode"), names, st.sampled_from(("latin-1", "bom", "crlf", "utf-16"))),
    st.tuples(st.just("rows"), names, st.integers(0, 500), st.integers(1, 60), st.booleans()),
    st.tuples(st.just("swap_header"), names, st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("withdraw"), st.just("members.csv"), st.integers(2, 12)),
    st.tuples(st.just("new_round"), st.just("rounds.csv"),
              st.sampled_from(("2026", "2026 (next)", "")),
              st.lists(st.integers(0, 500), min_size=1, max_size=3)),
)
MUTATIONS = st.lists(OPERATIONS, min_size=1, max_size=3)


class Stats:
    """Counts across the examples, written to tests/artifacts/ for the report."""

    def __init__(self, name):
        self.name, self.exits, self.cases, self.tracebacks = name, Counter(), 0, 0

    def save(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        summary = {"cases": self.cases, "exits": dict(sorted(self.exits.items())),
                   "tracebacks": self.tracebacks}
        (ARTIFACTS / f"fuzz-{self.name}.json").write_text(json.dumps(summary) + "\n")
        print(f"\nfuzz {self.name}: {summary}")

    @classmethod
    def collected(cls, name):
        """For a module fixture: the counts, saved once the module's examples are done."""
        counts = cls(name)
        yield counts
        counts.save()


@pytest.fixture(scope="module")
def stats():
    yield from Stats.collected("seeds")


@pytest.fixture(scope="module")
def baseline(built_from_seeds):
    """The real seeds and the good output they build (the file failing runs must keep)."""
    seeds = {name: (ROOT / "seeds" / name).read_bytes() for name in FILES}
    return seeds, built_from_seeds


def in_process(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def assert_exit_2_names_file_and_line(stderr: str) -> None:
    lines = stderr.splitlines()
    seed_lines = [line for line in lines if SEED_LINE.match(line)]
    counts = [int(m.group(1)) for m in map(COUNT_LINE.match, lines) if m]
    if counts:  # malformed seeds: every error is a file:line line, as many as counted
        errors = [line for line in seed_lines if not line.startswith("warning: ")]
        assert counts == [len(errors)], stderr
        assert all(int(SEED_LINE.match(line).group(2)) >= 1 or "cannot read" in line
                   for line in errors), stderr
    else:  # a refused output: the reason, then 'not written'
        assert any(line.startswith("error: ") for line in lines), stderr
        assert lines[-1].endswith("not written (the previous file is untouched)"), stderr


def check_run(seeds: dict, previous: bytes, cache_dir: Path, stats: Stats) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-seeds-") as tmp:
        work = Path(tmp)
        (work / "seeds").mkdir()
        for name, data in seeds.items():
            if data is not None:
                (work / "seeds" / name).write_bytes(data)
        out = work / "members.geojson"
        out.write_bytes(previous)
        common = ["--seeds", str(work / "seeds"), "--out", str(out), "--cache-dir",
                  str(cache_dir)]
        stats.cases += 1
        try:
            status, stdout, stderr = in_process(["build", *common, "--allow-unplaced",
                                                 "--no-progress"])
        except Exception:
            stats.tracebacks += 1
            raise
        stats.exits[status] += 1
        assert status in (0, 1, 2), stderr
        assert "Traceback" not in stderr + stdout
        if status != 0:
            assert out.read_bytes() == previous, "a failing run changed the previous output"
            assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]
        if status == 1:
            assert any(f"FAIL {why}" in stderr for why in (
                "outside their country", "unplaced", "ambiguous names", "stacked points")), stderr
        elif status == 2:
            assert_exit_2_names_file_and_line(stderr)
        else:
            written = json.loads(out.read_bytes())
            checked = check_collection(written)
            assert checked.ok, checked.all_problems()
            for command in ("check", "report"):
                code, _, err = in_process([command, *common])
                assert code == 0, f"{command}: {err}"


@settings(max_examples=settings().max_examples)
@given(mutations=MUTATIONS)
def test_fuzzed_seeds_never_crash_and_never_lose_the_good_output(baseline, cache_dir, stats,
                                                                  mutations):
    seeds, previous = baseline
    files = dict(seeds)
    for op in mutations:
        apply(files, op)
    check_run(files, previous, cache_dir, stats)


@settings(max_examples=max(5, settings().max_examples // 20))
@given(mutations=MUTATIONS)
def test_fuzzed_seeds_in_a_subprocess_exit_0_1_or_2(baseline, cache_dir, mutations):
    """The real command line: its exit status, and no traceback on stderr."""
    seeds, previous = baseline
    files = dict(seeds)
    for op in mutations:
        apply(files, op)
    with tempfile.TemporaryDirectory(prefix="fuzz-seeds-sub-") as tmp:
        work = Path(tmp)
        (work / "seeds").mkdir()
        for name, data in files.items():
            if data is not None:
                (work / "seeds" / name).write_bytes(data)
        (work / "members.geojson").write_bytes(previous)
        result = run_geodata("build", "--seeds", "seeds", "--out", "members.geojson",
                             "--allow-unplaced", "--no-progress", "--cache-dir", str(cache_dir),
                             cwd=work, cache_dir=cache_dir)
        assert result.returncode in (0, 1, 2), result.stderr
        assert "Traceback" not in result.stderr
        if result.returncode:
            assert (work / "members.geojson").read_bytes() == previous
        if result.returncode == 2:
            assert_exit_2_names_file_and_line(result.stderr)


def test_the_mutations_reach_every_outcome(baseline, cache_dir):
    """The strategy is not blind: hand-picked mutations give exit 0, 2, and a 2026 round."""
    seeds, previous = baseline
    files = dict(seeds)
    apply(files, ("new_round", "rounds.csv", "2026", [3]))
    stats = Stats("unused")
    check_run(files, previous, cache_dir, stats)
    assert stats.exits == {0: 1}
    files = dict(seeds)
    apply(files, ("cell", "rounds.csv", 1, 5, "3²"))
    check_run(files, previous, cache_dir, stats)
    assert stats.exits == {0: 1, 2: 1}
    shutil.rmtree(ARTIFACTS / "unused", ignore_errors=True)
