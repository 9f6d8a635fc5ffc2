"""A 2026 admission round added to a temporary copy of seeds/, and the file it builds.

Test data only (seeds/ itself is never touched): a round row and one member, Reykjavik
(Iceland has no member in the roster, so it is also a first-time country).
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from pathlib import Path

from geodata.cli import main

ROOT = Path(__file__).resolve().parents[2]
ROUND = {
    "round": "2026", "label": "2026 (test round)", "announced_on": "2026-11-30",
    "period_start": "2026-01-01", "period_end": "2026-12-31", "announced_members": "1",
    "announced_countries": "1", "network_members_after": "426", "network_countries_after": "92",
    "capitals": "Reykjavik", "first_time_countries": "IS",
    "source_url": "https://example.org/gnlc-2026-test-round",
    "note": "A round made up by the tests",
}
MEMBER = {
    "id": "is-reykjavik", "city": "Reykjavik", "country": "Iceland", "iso2": "IS",
    "region": "Europe and North America", "round": "2026", "admitted": "2026-11-30",
    "round_basis": "announced", "capital": "yes", "first_time_country": "yes",
    "status": "member", "evidence": "official",
    "source_url": "https://example.org/gnlc-2026-test-round",
    "note": "Test member of the made-up 2026 round",
}
LABEL = ROUND["label"]
MEMBER_ID = MEMBER["id"]


def _append(path: Path, values: dict) -> None:
    """One row in the file's own column order (columns this test does not know stay empty)."""
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values.get(c, "") for c in header])
    path.write_text(text + out.getvalue(), encoding="utf-8")


def add_round(seeds: Path) -> None:
    """Append the 2026 round and its member to a seeds/ copy (rounds.csv keeps its order)."""
    _append(seeds / "rounds.csv", ROUND)
    _append(seeds / "members.csv", MEMBER)


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
