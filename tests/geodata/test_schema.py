"""geodata/schema.py: the one definition of members.geojson, checked on its own."""

import json
from datetime import date
from pathlib import Path

import pytest

from geodata import datafile, published_schema, schema
from geodata.seedmodel import Round, rounds_in_order

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "members_small.geojson"


def small():
    return json.loads(SMALL.read_text(encoding="utf-8"))


def problems_of(props: dict) -> list[str]:
    """Problems of the fixture's first feature with ``props`` changed."""
    collection = small()
    collection["features"][0]["properties"].update(props)
    rounds = {r["round"] for r in collection["metadata"]["rounds"]}
    return [str(p) for p in schema.check_feature(0, collection["features"][0], rounds)]


@pytest.mark.parametrize("path", ["geodata/members.geojson", "tests/fixtures/members_small.geojson",
                                  "tests/fixtures/members_hostile.geojson"])
def test_committed_files_keep_the_contract(path):
    collection = datafile.parse_text((ROOT / path).read_bytes())
    checked = published_schema.full_check(collection)
    assert checked.ok, checked.all_problems()
    assert checked.good == list(range(len(collection["features"])))


def test_the_table_lists_each_property_once_with_the_placement_contract_optional():
    names = [f.name for f in schema.PROPERTIES]
    assert len(names) == len(set(names))
    placement = {f.name: f for f in schema.PROPERTIES
                 if f.name in ("subdivision", "check_subdivision", "place_precision",
                               "place_radius_km")}
    assert len(placement) == 4
    assert all(f.optional and f.nullable for f in placement.values())
    assert placement["check_subdivision"].choices == ("agrees", "differs", "not stated")
    assert placement["place_precision"].choices == ("place", "seat", "area")


@pytest.mark.parametrize("props", [
    {"subdivision": "AR-S", "check_subdivision": "agrees", "place_precision": "place",
     "place_radius_km": None},
    {"subdivision": "GB-ENG", "check_subdivision": "not stated", "place_precision": "area",
     "place_radius_km": 12.5},
    {"subdivision": None, "check_subdivision": None, "place_precision": "seat"},
    {},  # absent: files from before the placement work
])
def test_placement_properties_accepted(props):
    assert problems_of(props) == []


@pytest.mark.parametrize(("props", "message"), [
    ({"subdivision": "ar-s"}, "property 'subdivision': expected an ISO 3166-2 code"),
    ({"check_subdivision": "maybe"}, "text 'maybe' is not one of 'agrees', 'differs', "
                                     "'not stated'"),
    ({"place_precision": "area"}, "property 'place_radius_km': required when place_precision "
                                  "is 'area'"),
    ({"place_precision": "area", "place_radius_km": 0}, "expected a number > 0 or null, got "
                                                        "the number 0"),
    ({"place_radius_km": True}, "expected a number > 0 or null, got true"),
    ({"capital": 1}, "property 'capital': expected true or false, got the number 1"),
    ({"geonames_id": -3}, "property 'geonames_id': expected a whole number ≥ 0 or null"),
    ({"admitted": "2025-13"}, "property 'admitted': expected a date YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"city": "  "}, "property 'city': expected non-empty text, got empty text"),
    ({"note": None}, "property 'note': null, expected text"),
    ({"round": "1999"}, "text '1999' is not a round listed in metadata.rounds"),
])
def test_bad_property_values_name_feature_and_property(props, message):
    found = problems_of(props)
    assert any(message in p for p in found), found
    assert all(p.startswith("feature 0 (id 'kr-suwon')") for p in found)


def test_parse_text_rejects_what_json_loads_would_take_or_crash_on():
    for raw, message in [(b"[NaN]", "NaN is not allowed"), (b"[1e999, -Infinity]",
                                                            "-Infinity is not allowed"),
                         (b"[" * 100_000, "nested too deeply")]:
        with pytest.raises(datafile.ContractError, match=message):
            datafile.parse_text(raw)


def test_summary_text_lists_the_first_problems_and_counts_the_rest():
    problems = [schema.Problem(f"feature {i}", "bad") for i in range(20)]
    text = schema.summary_text("Broken:", problems)
    assert text.splitlines()[1] == "- feature 0: bad"
    assert text.splitlines()[-1] == "- and 8 more"


def _round(key, start=None, end=None):
    return Round(key, key, None, start, end, None, None, None, None, (), (), "", "")


def test_rounds_in_order_by_period_undated_last():
    rounds = [_round("unknown"), _round("2026", date(2026, 1, 1), date(2026, 12, 31)),
              _round("2015-2018", date(2015, 1, 1), date(2018, 12, 31)),
              _round("2019", date(2019, 1, 1), date(2019, 12, 31))]
    assert [r.round for r in rounds_in_order(rounds)] == ["2015-2018", "2019", "2026", "unknown"]


def test_the_copied_properties_are_the_roster_columns_but_its_subdivision():
    # members.csv's subdivision is the roster's claim; the file's is where the point lies.
    from geodata.roster import Member
    from geodata.schema import COPIED_PROPERTIES, PLACEMENT_PROPERTIES, PROPERTIES
    from geodata.seedmodel import MEMBER_COLUMNS

    copied = [f.name for f in COPIED_PROPERTIES]
    assert copied == [c for c in MEMBER_COLUMNS if c != "subdivision"]
    assert all(hasattr(Member, name) for name in copied)
    assert {f.name for f in PLACEMENT_PROPERTIES} | set(copied) == {f.name for f in PROPERTIES}
    assert "subdivision" in {f.name for f in PLACEMENT_PROPERTIES}
