"""``python -m geodata build`` and ``check`` end to end, on a copy of the real seeds."""

import hashlib
import json

import pytest

from tests.geodata.conftest import NOWHERE, run_geodata

OUT = "geodata/members.geojson"


@pytest.fixture(scope="module")
def built(tmp_path_factory, cache_dir):
    """One full build of the real roster (unplaced members allowed), shared by the tests."""
    import shutil

    from tests.geodata.conftest import ROOT

    work = tmp_path_factory.mktemp("built")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--allow-unplaced",
                         "--cache-dir", str(cache_dir), cwd=work, cache_dir=cache_dir)
    assert result.returncode == 0, result.stderr
    return work, result, json.loads((work / OUT).read_text(encoding="utf-8"))


def feature(collection, member_id):
    return next(f for f in collection["features"] if f["id"] == member_id)


def test_summary_and_progress(built):
    _, result, collection = built
    placed = sum(1 for f in collection["features"] if f["geometry"])
    assert f"placed {placed}/{len(collection['features'])} (gazetteer " in result.stdout
    assert "override" in result.stdout
    assert "placing" in result.stderr  # the tqdm bar
    for member_id in collection["metadata"].get("unplaced", []):  # each named in the summary
        assert f", {member_id})" in result.stderr


def test_one_feature_per_roster_row_sorted_with_metadata(built):
    work, _, collection = built
    ids = [f["id"] for f in collection["features"]]
    rows = (work / "seeds" / "members.csv").read_text(encoding="utf-8").splitlines()
    assert len(ids) == len(rows) - 1 and ids == sorted(ids)
    meta = collection["metadata"]
    digest = hashlib.sha256((work / "seeds" / "members.csv").read_bytes()).hexdigest()
    assert meta["seeds_sha256"]["members.csv"] == digest
    assert meta["generator"].startswith("geodata ")
    nulls = sorted(f["id"] for f in collection["features"] if f["geometry"] is None)
    assert nulls == meta.get("unplaced", [])


def test_feature_properties_and_types(built):
    _, _, collection = built
    brest = feature(collection, "fr-brest")
    assert brest["type"] == "Feature" and brest["geometry"]["type"] == "Point"
    lon, lat = brest["geometry"]["coordinates"]
    assert (lat, lon) == (48.39029, -4.48628)
    props = brest["properties"]
    assert list(props)[:3] == ["id", "city", "country"]
    assert props["capital"] is False and props["place_method"] == "gazetteer"
    assert props["geonames_id"] == 3030300 and props["check_in_country"] is True
    assert props["place_source"] == "https://www.geonames.org/3030300"
    assert props["check_capital"] == "agrees"
    assert props["first_time_country"] in ("yes", "no", None)
    hanoi = feature(collection, "vn-hanoi")["properties"]
    assert hanoi["capital"] is True and hanoi["check_capital"] == "agrees"


def test_overrides_carry_their_precision_and_place(built):
    """Every override's method, GeoNames id or point, precision and radius reach its feature."""
    import csv

    work, _, collection = built
    with (work / "seeds" / "overrides.csv").open(encoding="utf-8", newline="") as fh:
        overrides = list(csv.DictReader(fh))
    assert overrides
    for row in overrides:
        placed = feature(collection, row["id"])
        props = placed["properties"]
        assert props["place_method"] == "override" and props["place_source"] == row["source_url"]
        assert props["place_precision"] == row["precision"]
        assert props["place_radius_km"] == (float(row["radius_km"]) if row["radius_km"] else None)
        if row["method"] == "geonames":
            assert props["geonames_id"] == int(row["geonames_id"])
        else:
            assert props["geonames_id"] is None
            assert placed["geometry"]["coordinates"] == [round(float(row["lon"]), 5),
                                                         round(float(row["lat"]), 5)]


def test_every_feature_says_how_exact_it_is_and_where(built):
    _, result, collection = built
    placed = [f["properties"] for f in collection["features"] if f["geometry"]]
    assert {p["place_precision"] for p in placed} <= {"place", "seat", "area"}
    assert all(p["place_precision"] == "place" for p in placed if p["place_method"] == "gazetteer")
    assert all((p["place_radius_km"] is not None) == (p["place_precision"] == "area")
               for p in placed)
    assert all(p["check_subdivision"] in ("agrees", "not stated", None) for p in placed)
    counts = {kind: sum(p["place_precision"] == kind for p in placed)
              for kind in ("place", "seat", "area")}
    unplaced = len(collection["features"]) - len(placed)
    assert (f"precision: place {counts['place']}, seat {counts['seat']}, area {counts['area']}, "
            f"not placed {unplaced}") in result.stdout
    san_justo = feature(collection, "ar-san-justo")["properties"]
    assert san_justo["subdivision"] == "AR-S" and san_justo["check_subdivision"] == "agrees"
    assert feature(collection, "cn-suzhou")["properties"]["subdivision"] == "CN-JS"


def test_withdrawn_rows_are_included(built):
    _, _, collection = built
    laayoune = feature(collection, "ma-laayoune")["properties"]
    assert laayoune["status"] == "withdrawn"


def test_check_passes_then_fails_when_seeds_change(built, cache_dir):
    work, _, _ = built
    ok = run_geodata("check", "--seeds", "seeds", "--out", OUT, "--cache-dir", str(cache_dir),
                     cwd=work)
    assert ok.returncode == 0, ok.stderr
    assert "up to date" in ok.stdout


def test_rebuild_is_byte_identical_and_unchanged_build_does_nothing(built, cache_dir):
    work, _, _ = built
    before = (work / OUT).read_bytes()
    same = run_geodata("build", "--seeds", "seeds", "--out", OUT, cwd=work, cache_dir=cache_dir)
    assert same.returncode == 0 and "nothing changed" in same.stdout
    forced = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--force", "--allow-unplaced",
                         "--cache-dir", str(cache_dir), cwd=work)
    assert forced.returncode == 0, forced.stderr
    assert (work / OUT).read_bytes() == before


def test_stale_file_fails_check(work, built, cache_dir):
    built_work, _, _ = built
    (work / OUT).write_bytes((built_work / OUT).read_bytes())
    ok = run_geodata("check", "--seeds", "seeds", "--out", OUT, "--cache-dir", str(cache_dir),
                     cwd=work)
    assert ok.returncode == 0, ok.stderr
    members = work / "seeds" / "members.csv"
    members.write_text(members.read_text(encoding="utf-8").replace("Sharjah,", "Sharjah City,", 1),
                       encoding="utf-8")
    stale = run_geodata("check", "--seeds", "seeds", "--out", OUT, cwd=work)
    assert stale.returncode == 1
    assert "stale: members.csv changed" in stale.stderr


def test_tampered_point_fails_check(work, built, cache_dir):
    built_work, _, _ = built
    data = json.loads((built_work / OUT).read_text(encoding="utf-8"))
    feature(data, "fr-brest")["geometry"]["coordinates"] = [13.4, 52.5]  # Berlin
    (work / OUT).write_text(json.dumps(data), encoding="utf-8")
    bad = run_geodata("check", "--seeds", "seeds", "--out", OUT, "--cache-dir", str(cache_dir),
                      cwd=work)
    assert bad.returncode == 1
    assert "Brest (fr-brest): outside FR: in DE" in bad.stderr


def test_unplaced_members_fail_the_build_and_keep_the_old_file(work, cache_dir):
    members = work / "seeds" / "members.csv"
    members.write_text(members.read_text(encoding="utf-8") + NOWHERE, encoding="utf-8")
    (work / OUT).write_text("previous\n", encoding="utf-8")
    result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--no-progress",
                         "--cache-dir", str(cache_dir), cwd=work)
    assert result.returncode == 1
    assert "FAIL unplaced" in result.stderr
    assert "Nowhere Consortium (KE, ke-nowhere-consortium): no gazetteer entry" in result.stderr
    assert (work / OUT).read_text(encoding="utf-8") == "previous\n"


def test_point_outside_its_country_fails_the_build(work, cache_dir):
    members = work / "seeds" / "members.csv"
    members.write_text(members.read_text(encoding="utf-8") + NOWHERE, encoding="utf-8")
    overrides = work / "seeds" / "overrides.csv"
    overrides.write_text(
        overrides.read_text(encoding="utf-8") + "ke-nowhere-consortium,coordinates,,48.85,2.35,"
        "place,,,test: a point in Paris,https://example.org/paris\n",
        encoding="utf-8")
    (work / OUT).write_text("previous\n", encoding="utf-8")
    result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--allow-unplaced",
                         "--no-progress", "--cache-dir", str(cache_dir), cwd=work)
    assert result.returncode == 1
    assert "FAIL outside their country" in result.stderr
    assert "Nowhere Consortium (KE, ke-nowhere-consortium): outside KE: in FR" in result.stderr
    assert (work / OUT).read_text(encoding="utf-8") == "previous\n"


def test_nominatim_needs_a_user_agent(work):
    result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--geocoder", "nominatim",
                         cwd=work)
    assert result.returncode == 2
    assert "user agent" in result.stderr


def test_committed_file_carries_the_rounds_as_announced_in_seeds():
    """The dashboard reads only members.geojson, so the build copies rounds.csv into it."""
    import csv
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with (root / "seeds" / "rounds.csv").open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    meta = json.loads((root / "geodata" / "members.geojson").read_text(encoding="utf-8"))
    carried = meta["metadata"]["rounds"]
    assert [r["round"] for r in carried] == [r["round"] for r in table]
    for row, copy in zip(table, carried, strict=True):
        assert copy["label"] == row["label"]
        assert copy["announced_members"] == (int(row["announced_members"])
                                             if row["announced_members"] else None)
        assert copy["first_time_countries"] == [c for c in row["first_time_countries"].split(";")
                                                if c]


def _set_status(work, ids, status):
    import csv
    import io

    path = work / "seeds" / "members.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    at = rows[0].index("status")
    for row in rows[1:]:
        if row[0] in ids:
            row[at] = status
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_a_shrinking_map_needs_allow_shrink(work, built, cache_dir):
    built_work, _, collection = built
    (work / OUT).write_bytes((built_work / OUT).read_bytes())
    before = (work / OUT).read_bytes()
    mapped = [f["id"] for f in collection["features"]
              if f["geometry"] and f["properties"]["status"] != "withdrawn"]
    gone = set(mapped[::5])  # a fifth of the map
    _set_status(work, gone, "withdrawn")
    args = ("build", "--seeds", "seeds", "--out", OUT, "--allow-unplaced", "--no-progress",
            "--cache-dir", str(cache_dir))
    refused = run_geodata(*args, cwd=work)
    assert refused.returncode == 2, refused.stderr
    shrink = len(gone) / len(mapped)
    assert (f"error: seeds/ would shrink the map from {len(mapped)} to "
            f"{len(mapped) - len(gone)} members (-{shrink:.1%}, more than 10%); if that is "
            "intended, build with --allow-shrink") in refused.stderr
    assert (work / OUT).read_bytes() == before
    allowed = run_geodata(*args, "--allow-shrink", cwd=work)
    assert allowed.returncode == 0, allowed.stderr
    written = json.loads((work / OUT).read_text(encoding="utf-8"))
    assert sum(1 for f in written["features"] if f["properties"]["status"] == "withdrawn") \
        == len(gone) + 1  # and Laayoune, withdrawn in seeds/


def test_a_small_shrink_needs_no_flag(work, built, cache_dir):
    built_work, _, collection = built
    (work / OUT).write_bytes((built_work / OUT).read_bytes())
    _set_status(work, {"fr-brest", "vn-hanoi"}, "withdrawn")
    result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--allow-unplaced",
                         "--no-progress", "--cache-dir", str(cache_dir), cwd=work)
    assert result.returncode == 0, result.stderr


def test_an_all_withdrawn_roster_breaks_the_contract_and_is_not_written(work, cache_dir):
    import csv

    with (work / "seeds" / "members.csv").open(encoding="utf-8") as fh:
        ids = {row["id"] for row in csv.DictReader(fh)}
    _set_status(work, ids, "withdrawn")
    result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--allow-unplaced",
                         "--no-progress", "--cache-dir", str(cache_dir), cwd=work)
    assert result.returncode == 2, result.stderr
    assert ("error: geodata/members.geojson would break the data contract (geodata/schema.py, "
            "published as geodata/members.schema.json):\n"
            "- features: every member in the file is withdrawn: nothing to show") in result.stderr
    assert not (work / OUT).exists()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_output_mode_follows_the_umask(work, cache_dir, monkeypatch, umask, mode):
    """Not mkstemp's 0600: a server running as another user must read the file."""
    import os

    from geodata.cli import main

    monkeypatch.chdir(work)
    old = os.umask(umask)
    try:
        status = main(["build", "--seeds", "seeds", "--out", OUT, "--allow-unplaced",
                       "--no-progress", "--cache-dir", str(cache_dir)])
    finally:
        os.umask(old)
    assert status == 0
    assert (work / OUT).stat().st_mode & 0o777 == mode


def test_written_file_passes_the_schema(built):
    from geodata.schema import check_collection

    _, _, collection = built
    checked = check_collection(collection)
    assert checked.ok, checked.all_problems()
    assert len(checked.good) == len(collection["features"])


def test_rounds_are_written_in_date_order_whatever_the_csv_order(work, cache_dir):
    path = work / "seeds" / "rounds.csv"
    header, *rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--allow-unplaced",
                         "--no-progress", "--cache-dir", str(cache_dir), cwd=work)
    assert result.returncode == 0, result.stderr
    meta = json.loads((work / OUT).read_text(encoding="utf-8"))["metadata"]
    written = [(r["round"], r["period_start"]) for r in meta["rounds"]]
    dated = [start for _, start in written if start]
    assert dated == sorted(dated) and len(dated) == len(rows) - 1
    assert written[-1] == ("unknown", None)  # the one undated round, last
    assert written != [tuple(row.split(",")[0:4:3]) for row in reversed(rows)]


def test_check_fails_a_file_that_breaks_the_contract_in_words(work, built, cache_dir):
    built_work, _, _ = built
    data = json.loads((built_work / OUT).read_text(encoding="utf-8"))
    data["features"][3]["geometry"]["coordinates"] = ["x", None]
    data["metadata"]["seeds_sha256"] = ["not", "a", "dict"]
    (work / OUT).write_text(json.dumps(data), encoding="utf-8")
    bad = run_geodata("check", "--seeds", "seeds", "--out", OUT, "--cache-dir", str(cache_dir),
                      cwd=work)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert ("FAIL geodata/members.geojson breaks the data contract (geodata/schema.py, "
            "published as geodata/members.schema.json); run "
            "python -m geodata build:") in bad.stderr
    assert "- metadata, property 'seeds_sha256': expected an object of file name -> SHA-256" \
        in bad.stderr
