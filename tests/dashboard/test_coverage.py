"""The coverage the page shows: per round, and where the missing members are (the gaps of
members.geojson's metadata and the announced first-time countries without a member)."""

from __future__ import annotations

import copy
import json

import pytest

from dashboard import data
from dashboard.coverage import coverage, located_markdown
from dashboard.details import md_escape
from tests.dashboard.conftest import SMALL


def gap(**changes) -> dict:
    record = {"id": "kr-all", "rounds": [], "region": None, "iso2": "KR", "admitted_year": None,
              "announced": 10, "bound": "exact", "claim": "Ten Korean members.",
              "source_url": "https://example.org/kr", "note": "a caveat"}
    return {**record, **changes}


@pytest.fixture
def collection() -> dict:
    return json.loads(SMALL.read_text(encoding="utf-8"))


def located(collection: dict):
    return coverage(data.parse_atlas(collection)).located


def korean(collection: dict) -> int:
    return sum(1 for f in collection["features"] if f["properties"]["iso2"] == "KR"
               and f["properties"]["status"] != "withdrawn")


def test_a_gap_shows_how_many_of_its_scope_are_not_yet_named(collection):
    collection["metadata"]["gaps"] = [gap()]
    [shown] = [g for g in located(collection) if g.claim == "Ten Korean members."]
    named = korean(collection)
    assert (shown.announced, shown.named, shown.missing) == (10, named, 10 - named)
    assert shown.sentence() == f"{10 - named} of 10 not yet named: Republic of Korea, all rounds"


def test_a_gap_that_the_roster_fills_is_not_shown(collection):
    collection["metadata"]["gaps"] = [gap(announced=korean(collection))]
    assert not [g for g in located(collection) if g.claim == "Ten Korean members."]
    more = copy.deepcopy(collection)
    extra = copy.deepcopy(next(f for f in more["features"] if f["properties"]["iso2"] == "KR"))
    extra["id"] = extra["properties"]["id"] = "kr-another-one"
    extra["geometry"]["coordinates"][0] += 0.5
    more["features"].append(extra)
    more["metadata"]["gaps"] = [gap(announced=korean(more) + 1)]
    [shown] = [g for g in located(more) if g.claim == "Ten Korean members."]
    assert shown.missing == 1


def test_a_lower_bound_says_at_least(collection):
    collection["metadata"]["gaps"] = [gap(bound="at_least", rounds=["2020"], iso2=None,
                                          region="Asia and the Pacific", announced=50)]
    [shown] = [g for g in located(collection) if g.claim == "Ten Korean members."]
    assert shown.at_least and shown.sentence().startswith(f"At least {shown.missing} ")
    assert shown.sentence().endswith("Asia and the Pacific, 2020")


def test_an_announced_first_time_country_without_a_member_is_a_gap(collection):
    rounds = collection["metadata"]["rounds"]
    latest = next(r for r in rounds if r["round"] == "2025")
    latest["first_time_countries"] = ["BJ", "NE"]  # Benin has a 2025 member here, Niger none
    shown = [g for g in located(collection)
             if "new to the network" in g.claim and g.scope.endswith("2025")]
    assert [g.scope for g in shown] == ["Niger, 2025"]
    assert shown[0].source_url == latest["source_url"]


def test_the_gaps_reach_the_page_as_text_and_safe_links(collection):
    collection["metadata"]["gaps"] = [
        gap(claim="**bold** <img src=x onerror=alert(1)> [x](http://evil.example)",
            note="![i](http://evil.example/p.png)"),
        gap(id="two", claim="Second.", source_url="javascript:alert(1)"),
    ]
    text = located_markdown(located(collection), md_escape)
    assert "<img" not in text and "![i](" not in text and "[x](" not in text
    assert "\\*\\*bold\\*\\*" in text
    assert "[Source](https://example.org/kr)" in text
    assert "javascript" not in text


def test_the_real_roster_locates_its_gaps():
    cover = coverage(data.load_atlas())
    scopes = [g.scope for g in cover.located]
    assert any(s.startswith("Republic of Korea") for s in scopes), scopes
    assert all(g.missing > 0 and g.claim for g in cover.located)


def test_a_brief_list_keeps_each_gaps_count_and_source_only(collection):
    collection["metadata"]["gaps"] = [gap(claim="Nine joined.", note="Counted twice, maybe.")]
    full = located_markdown(located(collection), md_escape)
    brief = located_markdown(located(collection), md_escape, brief=True)
    assert "Counted twice, maybe" in full and "Nine joined\\." in full
    assert "Counted twice" not in brief and "Nine joined" not in brief
    assert brief.splitlines()[0] == (
        "- **8 of 10 not yet named\\: Republic of Korea, all rounds.** "
        "[Source](https://example.org/kr)")
