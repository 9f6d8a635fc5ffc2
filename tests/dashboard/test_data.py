"""Loading the members GeoJSON and the rounds table."""

from __future__ import annotations

import json

import pytest

from dashboard import coverage, data, highlights
from tests.dashboard.malformed_data import CASES, WARNING_SHOWN


def test_withdrawn_and_unplaced_rows_are_kept_off_the_map(small_atlas):
    ids = set(small_atlas.members["id"])
    assert "ma-laayoune" not in ids
    assert "ke-kuno-consortium" not in ids
    assert small_atlas.withdrawn == ("Laayoune, Morocco",)
    assert small_atlas.unplaced == (("Kuno Consortium, Kenya", "2024"),)
    assert len(small_atlas.members) == 19


def test_rounds_come_in_order_with_announced_figures(small_atlas):
    keys = [r.key for r in small_atlas.rounds]
    assert keys == ["2015-2018", "2019", "2020", "2022", "2024", "2025", "unknown"]
    assert small_atlas.latest_round == "2025"
    latest = next(r for r in small_atlas.rounds if r.key == "2025")
    assert latest.announced_members == 72 and latest.network_members_after == 425


def test_collection_without_rounds_is_refused_with_a_clear_message(small_path):
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    del collection["metadata"]["rounds"]
    with pytest.raises(data.DataError) as caught:
        data.parse_atlas(collection)
    assert caught.value.problems == ("metadata, property 'rounds': missing",)
    assert "python -m geodata build" in caught.value.advice


def test_malformed_collection_is_rejected():
    with pytest.raises(ValueError):
        data.parse_atlas({"type": "Feature"})


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file(name, tmp_path):
    """Each malformed file: an error naming the problem, or the bad feature left out."""
    case = CASES[name]
    path = tmp_path / "members.geojson"
    if case.make is not None:
        path.write_bytes(case.make())
    if case.page == "error":
        with pytest.raises(data.DataError) as caught:
            data.load_atlas(path)
        text = str(caught.value)
        assert case.says in text
        assert str(tmp_path) not in text  # no server paths
    else:
        atlas = data.load_atlas(path)
        assert any(case.says in problem for problem in atlas.problems), atlas.problems
        assert atlas.left_out == 1
        assert len(atlas.members) == WARNING_SHOWN.get(name, 18)


def test_round_order_comes_from_the_file(small_path):
    """Rounds follow the metadata's order (the build's, by date), not a list in the code."""
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    rounds = collection["metadata"]["rounds"]
    new = {**rounds[-2], "round": "2026", "label": "2026", "announced_on": "2026-11-30",
           "period_start": "2026-01-01", "period_end": "2026-12-31", "announced_members": 3,
           "network_members_after": 428, "first_time_countries": ["AE"]}
    rounds.insert(-1, new)  # before 'unknown', as the build orders it
    member = json.loads(json.dumps(collection["features"][0]))
    member["id"] = member["properties"]["id"] = "ae-new-city"
    member["properties"].update(city="New City", country="United Arab Emirates", iso2="AE",
                                round="2026", capital=True, region="Arab States")
    collection["features"].append(member)
    atlas = data.parse_atlas(collection)
    assert atlas.round_keys[-2:] == ("2026", "unknown")
    assert atlas.latest_round == "2026"
    assert atlas.dated_round_keys[-1] == "2026" and "unknown" not in atlas.dated_round_keys
    assert atlas.members["round"].iloc[-2] == "2026"  # sorted by the file's order
    marks = highlights.compute(atlas.members, "2026")
    assert marks.new_capital_ids == {"ae-new-city"} and marks.first_time_iso2 == {"AE"}
    cover = coverage.coverage(atlas)
    assert cover.headline().startswith("20 of 428 members mapped")
    assert cover.table.set_index("Round").loc["2026", "Found"] == 1


def test_relative_atlas_data_is_taken_from_the_project_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ATLAS_DATA", "tests/fixtures/members_small.geojson")
    assert data.data_path() == data.ROOT / "tests" / "fixtures" / "members_small.geojson"
    assert len(data.load_atlas().members) == 19
    monkeypatch.setenv("ATLAS_DATA", str(tmp_path / "abs.geojson"))
    assert data.data_path() == tmp_path / "abs.geojson"
    monkeypatch.setenv("ATLAS_DATA", "")
    assert data.data_path() == data.DEFAULT_DATA


def test_coverage_headline_counts_mapped_against_announced(small_atlas):
    cover = coverage.coverage(small_atlas)
    assert cover.headline().startswith("19 of 425 members mapped")
    row = cover.table.set_index("Round").loc["2025"]
    assert (row["Found"], row["Announced"]) == (8, 72)


def test_roster_keeps_unplaced_members_with_no_coordinates(small_atlas):
    roster = small_atlas.roster
    assert len(roster) == len(small_atlas.members) + len(small_atlas.unplaced)
    kuno = roster[roster["id"] == "ke-kuno-consortium"].iloc[0]
    assert kuno["city"] == "Kuno Consortium" and kuno["lat"] != kuno["lat"]  # NaN
    assert "ma-laayoune" not in set(roster["id"])


def test_an_announced_round_without_members_yet_is_counted_not_focused(small_path):
    """A round in seeds/rounds.csv whose members are not transcribed yet: coverage shows it
    (0 found), the filters and the focus round keep to rounds on the map."""
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    rounds = collection["metadata"]["rounds"]
    rounds.insert(-1, {**rounds[-2], "round": "2026", "label": "2026", "announced_members": 70,
                       "period_start": "2026-01-01", "period_end": "2026-12-31",
                       "network_members_after": 495})
    atlas = data.parse_atlas(collection)
    assert "2026" not in atlas.round_keys and atlas.latest_round == "2025"
    row = coverage.coverage(atlas).table.set_index("Round").loc["2026"]
    assert (row["Found"], row["Announced"], row["Still missing"]) == (0, 70, 70)
    assert coverage.coverage(atlas).headline().startswith("19 of 495 members mapped")
