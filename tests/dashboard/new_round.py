"""A 2026 admission round added to a temporary copy of seeds/, and the file it builds.

Test data only (seeds/ itself is never touched): a round row and one member, Reykjavik
(Iceland has no member in the roster, so it is also a first-time country).
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from geodata.cli import main

ROOT = Path(__file__).resolve().parents[2]
ROUND_ROW = ("2026,2026 (test round),2026-11-30,2026-01-01,2026-12-31,1,1,426,92,Reykjavik,IS,"
             "https://example.org/gnlc-2026-test-round,A round made up by the tests\n")
MEMBER_ROW = ("is-reykjavik,Reykjavik,Iceland,IS,Europe and North America,2026,2026-11-30,"
              "announced,yes,yes,member,official,https://example.org/gnlc-2026-test-round,"
              "Test member of the made-up 2026 round\n")
LABEL = "2026 (test round)"
MEMBER_ID = "is-reykjavik"


def add_round(seeds: Path) -> None:
    """Append the 2026 round and its member to a seeds/ copy (rounds.csv keeps its order)."""
    for name, row in (("rounds.csv", ROUND_ROW), ("members.csv", MEMBER_ROW)):
        path = seeds / name
        path.write_text(path.read_text(encoding="utf-8") + row, encoding="utf-8")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def build_new_round(work: Path) -> tuple[Path, dict[str, tuple[int, str, str]]]:
    """Copy seeds/, add the round, then build, check and report; returns the file and runs."""
    shutil.copytree(ROOT / "seeds", work / "seeds")
    add_round(work / "seeds")
    out = work / "members.geojson"
    common = ["--seeds", str(work / "seeds"), "--out", str(out),
              "--cache-dir", str(work / "cache")]
    runs = {"build": run("build", *common, "--allow-unplaced", "--no-progress")}
    runs["check"] = run("check", *common)
    runs["report"] = run("report", *common)
    return out, runs
