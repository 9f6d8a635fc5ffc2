"""seeds/gaps.csv: sourced counts of members not yet named, checked row by row and counted
against the roster, through load_seeds, the build and ``python -m geodata report``."""

import csv
import dataclasses
import io
import json

import pytest

from geodata.build import feature_collection
from geodata.gaps import first_time_gaps, from_record, tally
from geodata.report import gaps_report
from geodata.roster import SeedErrors, load_seeds
from geodata.schema import check_collection
from tests.geodata.conftest import NOWHERE

HEADER = ("id,rounds,region,iso2,admitted_year,announced,bound,claim,source_url,note\n")


def write_gaps(work, *rows: str) -> None:
    (work / "seeds" / "gaps.csv").write_text(HEADER + "".join(r + "\n" for r in rows),
                                             encoding="utf-8")


def errors_of(work) -> str:
    with pytest.raises(SeedErrors) as raised:
        load_seeds(work / "seeds")
    return str(raised.value)


def members(seeds) -> list[dict]:
    return [dataclasses.asdict(m) for m in seeds.members]


def test_a_gap_counts_the_roster_in_its_scope(work):
    write_gaps(work, "kenya,2022,Africa,KE,,40,exact,Forty in Kenya.,https://example.org/ke,")
    seeds = load_seeds(work / "seeds")
    [counted] = tally(seeds.gaps, members(seeds))
    expected = sum(1 for m in seeds.members if m.iso2 == "KE" and m.round == "2022"
                   and m.region == "Africa" and m.status != "withdrawn")
    assert counted.named == expected and counted.missing == 40 - expected


def test_a_gap_closes_by_itself_when_a_member_is_named(work):
    write_gaps(work, "kenya,2022,,KE,,1,at_least,At least one.,https://example.org/ke,")
    before = load_seeds(work / "seeds")
    named = tally(before.gaps, members(before))[0].named
    write_gaps(work, f"kenya,2022,,KE,,{named + 1},exact,One more.,https://example.org/ke,")
    seeds = load_seeds(work / "seeds")
    assert tally(seeds.gaps, members(seeds))[0].missing == 1
    path = work / "seeds" / "members.csv"
    path.write_text(path.read_text(encoding="utf-8") + NOWHERE, encoding="utf-8")
    seeds = load_seeds(work / "seeds")
    assert tally(seeds.gaps, members(seeds))[0].missing == 0


def test_a_year_narrows_the_scope_and_withdrawn_members_never_count(work):
    write_gaps(work, "kr-2018,2015-2018,,KR,2018,9,exact,Nine in 2018.,https://example.org/kr,",
               "ma-2020,2020,,MA,,9,exact,Nine.,https://example.org/ma,")
    seeds = load_seeds(work / "seeds")
    by_id = {t.gap.id: t for t in tally(seeds.gaps, members(seeds))}
    in_2018 = [m for m in seeds.members if m.iso2 == "KR" and (m.admitted or "")[:4] == "2018"]
    assert by_id["kr-2018"].named == len(in_2018) > 0
    withdrawn = [m for m in seeds.members if m.iso2 == "MA" and m.round == "2020"
                 and m.status == "withdrawn"]
    current = [m for m in seeds.members if m.iso2 == "MA" and m.round == "2020"
               and m.status != "withdrawn"]
    assert withdrawn, "the roster keeps Laayoune as withdrawn"
    assert by_id["ma-2020"].named == len(current)


@pytest.mark.parametrize(("row", "message"), [
    ("x,2031,,,,3,exact,c,https://example.org/x,", "rounds: '2031' is not a round"),
    ("x,,Atlantis,,,3,exact,c,https://example.org/x,", "region: 'Atlantis' is not one of"),
    ("x,,,XZ,,3,exact,c,https://example.org/x,", "iso2: 'XZ' is not an ISO 3166-1"),
    ("x,2019,,,2021,3,exact,c,https://example.org/x,", "admitted_year: 2021 is outside"),
    ("x,,,,18,3,exact,c,https://example.org/x,", "admitted_year: '18' is not a year"),
    ("x,,,,,0,exact,c,https://example.org/x,", "announced: 0 members is no gap"),
    ("x,,,,,three,exact,c,https://example.org/x,", "announced: 'three' is not a whole"),
    ("x,,,,,3,roughly,c,https://example.org/x,", "bound: 'roughly' is not one of"),
    ("x,,,,,3,exact,,https://example.org/x,", "claim: empty"),
    ("x,,,,,3,exact,c,ftp://example.org/x,", "source_url: 'ftp://example.org/x' is not"),
    ("X Y,,,,,3,exact,c,https://example.org/x,", "id: 'X Y' is not a lower-case slug"),
])
def test_a_malformed_gap_names_its_line_and_problem(work, row, message):
    write_gaps(work, "fine,,,,,3,exact,c,https://example.org/f,", row)
    text = errors_of(work)
    assert "gaps.csv:3: " + message in text, text
    assert "gaps.csv:2" not in text


def test_a_repeated_gap_id_is_refused(work):
    write_gaps(work, "a,,,,,3,exact,c,https://example.org/a,",
               "a,,,,,4,exact,c,https://example.org/a,")
    assert "gaps.csv:3: id: 'a' repeats line 2" in errors_of(work)


def test_every_announced_first_time_country_is_a_gap_until_it_has_a_member(work):
    seeds = load_seeds(work / "seeds")
    announced = [(r.round, r.first_time_countries, r.source_url) for r in seeds.rounds]
    counted = tally(first_time_gaps(announced), members(seeds))
    assert len(counted) == sum(len(r.first_time_countries) for r in seeds.rounds)
    for t in counted:
        [key] = t.gap.rounds
        has_member = any(m.iso2 == t.gap.iso2 and m.round == key and m.status != "withdrawn"
                         for m in seeds.members)
        assert t.missing == (0 if has_member else 1), t.gap.id


def test_the_build_carries_the_gaps_and_the_report_counts_them(work):
    write_gaps(work, "kr-all,,,KR,,999,exact,A count of Korean members.,"
                     "https://example.org/kr,a caveat")
    seeds = load_seeds(work / "seeds")
    [gap] = feature_collection(seeds, [])["metadata"]["gaps"]
    assert gap == {"id": "kr-all", "rounds": [], "region": None, "iso2": "KR",
                   "admitted_year": None, "announced": 999, "bound": "exact",
                   "claim": "A count of Korean members.", "source_url": "https://example.org/kr",
                   "note": "a caveat"}
    assert from_record(gap) == dataclasses.replace(seeds.gaps[0], line=0)
    korean = sum(1 for m in seeds.members if m.iso2 == "KR" and m.status != "withdrawn")
    text = gaps_report(seeds)
    assert (f"kr-all: Republic of Korea / every round: announced 999, named {korean}, "
            f"not yet named {999 - korean}") in text
    assert "A count of Korean members. (https://example.org/kr)" in text


def test_the_built_file_holds_valid_gaps(built_from_seeds):
    collection = json.loads(built_from_seeds)
    assert collection["metadata"]["gaps"]
    assert check_collection(collection).ok
    broken = json.loads(built_from_seeds)
    broken["metadata"]["gaps"][0]["announced"] = -1
    problems = [str(p) for p in check_collection(broken).file_problems]
    assert any("metadata.gaps[0], property 'announced'" in p for p in problems), problems


def test_the_real_gaps_file_is_valid_and_sourced():
    from tests.geodata.conftest import ROOT
    seeds = load_seeds(ROOT / "seeds")
    assert seeds.gaps, "seeds/gaps.csv holds the located gaps"
    rows = list(csv.DictReader(io.StringIO((ROOT / "seeds" / "gaps.csv").read_text("utf-8"))))
    assert [g.id for g in seeds.gaps] == [r["id"] for r in rows]
    assert all(g.source_url.startswith(("http://", "https://")) and g.claim
               for g in seeds.gaps)
