"""geodata/members.schema.json: current, met by the real file, and in step with the checks
of geodata/schema.py (what it cannot say is listed in published_schema.BEYOND)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata import published_schema
from geodata.schema import check_collection
from tests.dashboard.malformed_data import CASES, small
from tests.dashboard.test_fuzz_data import OPERATIONS, mutate

ROOT = Path(__file__).resolve().parents[2]

# What check_collection says for each kind of problem in BEYOND.
BEYOND_WORDS = re.compile(
    "is not a round listed in metadata.rounds|the id repeats feature|the feature id differs|"
    "this round is listed twice|expected a date|the number (nan|inf|-inf)|"
    "no member has a location|every member in the file is withdrawn|none of the .* is valid")


def test_the_committed_schema_is_the_one_the_tables_give():
    assert published_schema.is_current(), "run python -m geodata schema"
    jsonschema.Draft202012Validator.check_schema(json.loads(
        published_schema.SCHEMA_FILE.read_text(encoding="utf-8")))


def test_the_readmes_command_validates_the_members_file():
    command = ("import jsonschema, json; jsonschema.validate(json.load(open("
               "'geodata/members.geojson')), json.load(open('geodata/members.schema.json')))")
    run = subprocess.run([sys.executable, "-c", command], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"python -c \"{command}\"" in (ROOT / "README.md").read_text(encoding="utf-8")


# The malformed files the page handles that the schema accepts, and the BEYOND line each
# falls under: every other one the schema must reject.
ACCEPTED_BY_THE_SCHEMA = {
    "all geometry null": "placed",
    "only withdrawn members": "current",
    "round listed twice": "listed twice",
    "NaN in the file": "finite",
    "round not in the metadata": "one of metadata.rounds",
    "duplicate id": "ids are unique",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_malformed_file_the_page_handles_is_rejected_or_a_documented_check(name):
    case = CASES[name]
    raw = case.make() if case.make else None
    try:
        collection = json.loads(raw.decode("utf-8"))
    except (AttributeError, ValueError):
        return  # no file, or not JSON text: the reader rejects it before any schema
    problems = published_schema.schema_problems(collection)
    if name in ACCEPTED_BY_THE_SCHEMA:
        assert problems == []
        assert any(ACCEPTED_BY_THE_SCHEMA[name] in line for line in published_schema.BEYOND)
    else:
        assert problems, f"{name}: the schema accepts it"


BASE = small()


@settings(max_examples=150, deadline=None)
@given(ops=st.lists(OPERATIONS, min_size=1, max_size=3))
def test_the_schema_and_the_checks_agree_on_fuzzed_files(ops):
    collection = copy.deepcopy(BASE)
    for op in ops:
        mutate(collection, op)
    checked = check_collection(collection)
    problems = published_schema.schema_problems(collection)
    if checked.ok:
        assert problems == [], problems
    if not problems:
        unexplained = [str(p) for p in checked.all_problems() if not BEYOND_WORDS.search(str(p))]
        assert unexplained == []


@pytest.fixture
def stricter_schema(monkeypatch):
    """The published schema with one more rule than the hand checks have (city ≤ 6 letters),
    as a later schema might be: what the schema alone rejects must still be reported."""
    plain = published_schema.json_schema

    def stricter():
        schema = plain()
        city = schema["properties"]["features"]["items"]["properties"]["properties"][
            "properties"]["city"]
        city["maxLength"] = 6
        return schema

    monkeypatch.setattr(published_schema, "json_schema", stricter)
    published_schema._validator.cache_clear()
    yield
    published_schema._validator.cache_clear()


def test_what_the_schema_alone_rejects_is_left_out_in_the_checks_words(stricter_schema):
    collection = small()
    long_names = {i for i, f in enumerate(collection["features"])
                  if len(f["properties"]["city"]) > 6}
    assert long_names and check_collection(collection).ok
    checked = published_schema.full_check(collection)
    assert set(checked.feature_problems) == long_names
    assert set(checked.good).isdisjoint(long_names) and checked.usable
    index = min(long_names)
    feature = collection["features"][index]
    (problem,) = checked.feature_problems[index]
    assert problem.where == f"feature {index} (id '{feature['id']}'), property 'city'"
    assert "is too long" in problem.what


def test_the_page_leaves_out_what_the_schema_alone_rejects(stricter_schema):
    from dashboard.data import parse_atlas

    atlas = parse_atlas(small())
    assert atlas.problems and all("property 'city'" in p for p in atlas.problems)
    assert all(len(city) <= 6 for city in atlas.roster["city"])
