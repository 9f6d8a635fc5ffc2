"""Loading the members GeoJSON and the rounds table."""

from __future__ import annotations

import json

import pytest

from dashboard import coverage, data


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


def test_collection_without_rounds_falls_back_to_plain_labels(small_path):
    collection = json.loads(small_path.read_text(encoding="utf-8"))
    del collection["metadata"]["rounds"]
    atlas = data.parse_atlas(collection)
    assert atlas.round_label("2015-2018") == "2015–2018 (rolling)"
    assert all(r.announced_members is None for r in atlas.rounds)
    assert coverage.coverage(atlas).headline() == (
        "19 members mapped · 1 more in the roster could not be placed")


def test_malformed_collection_is_rejected():
    with pytest.raises(ValueError):
        data.parse_atlas({"type": "Feature"})


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
