"""Namesakes, subdivisions, precision and stacked points, through ``python -m geodata build``.

Each test writes a small roster (the real rounds.csv, a few members, a few
overrides) so that it states exactly the case it checks.
"""

import csv
import io
import json
import shutil

import pytest

from geodata.seedmodel import MEMBER_COLUMNS, OVERRIDE_COLUMNS
from tests.geodata.conftest import ROOT, run_geodata

OUT = "geodata/members.geojson"


def member(member_id, city, country, iso2, region, subdivision=""):
    return {"id": member_id, "city": city, "country": country, "iso2": iso2,
            "subdivision": subdivision, "region": region, "round": "2020",
            "admitted": "2020-09-23", "round_basis": "announced", "capital": "no",
            "first_time_country": "", "status": "member", "evidence": "official",
            "source_url": f"https://example.org/{member_id}", "note": "test row"}


def override(member_id, method, geonames_id="", lat="", lon="", precision="place",
             radius_km="", same_place_as=""):
    return {"id": member_id, "method": method, "geonames_id": geonames_id, "lat": lat,
            "lon": lon, "precision": precision, "radius_km": radius_km,
            "same_place_as": same_place_as, "reason": "test override",
            "source_url": f"https://example.org/override/{member_id}"}


def write_csv(path, columns, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture
def roster(tmp_path, cache_dir):
    """``roster(members, overrides)`` writes a seeds/ and runs the build on it."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "geodata").mkdir()
    shutil.copy(ROOT / "seeds" / "rounds.csv", tmp_path / "seeds" / "rounds.csv")

    def build(members, overrides=(), *extra):
        write_csv(tmp_path / "seeds" / "members.csv", MEMBER_COLUMNS, members)
        write_csv(tmp_path / "seeds" / "overrides.csv", OVERRIDE_COLUMNS, overrides)
        result = run_geodata("build", "--seeds", "seeds", "--out", OUT, "--no-progress",
                             "--cache-dir", str(cache_dir), *extra, cwd=tmp_path,
                             cache_dir=cache_dir)
        try:
            data = json.loads((tmp_path / OUT).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # not written, or a placeholder a test put there
            data = None
        return result, data

    build.dir = tmp_path
    return build


def props(data, member_id):
    return next(f["properties"] for f in data["features"] if f["id"] == member_id)


def point(data, member_id):
    return next(f["geometry"]["coordinates"] for f in data["features"] if f["id"] == member_id)


LA_MATANZA = member("ar-la-matanza", "La Matanza", "Argentina", "AR",
                    "Latin America and the Caribbean")
SAN_JUSTO = member("ar-san-justo", "San Justo", "Argentina", "AR",
                   "Latin America and the Caribbean", "AR-S")
SUZHOU = member("cn-suzhou", "Suzhou", "China", "CN", "Asia and the Pacific", "CN-JS")


def test_san_justo_lands_in_santa_fe_and_suzhou_in_jiangsu(roster):
    result, data = roster(
        [LA_MATANZA, SAN_JUSTO, SUZHOU],
        [override("ar-la-matanza", "geonames", "3428775", precision="seat")])
    assert result.returncode == 0, result.stderr
    san_justo = props(data, "ar-san-justo")
    assert san_justo["subdivision"] == "AR-S" and san_justo["check_subdivision"] == "agrees"
    assert san_justo["place_method"] == "gazetteer" and san_justo["place_precision"] == "place"
    lon, lat = point(data, "ar-san-justo")
    assert -31.5 < lat < -30 and -61.5 < lon < -60  # Santa Fe province, not Greater Buenos Aires
    # La Matanza's seat is the other San Justo, in Buenos Aires province.
    matanza = props(data, "ar-la-matanza")
    assert matanza["subdivision"] == "AR-B" and matanza["place_precision"] == "seat"
    assert matanza["check_subdivision"] == "not stated"
    suzhou = props(data, "cn-suzhou")
    assert suzhou["geonames_id"] == 1886760 and suzhou["subdivision"] == "CN-JS"
    assert suzhou["check_subdivision"] == "agrees"
    assert "precision: place 2, seat 1, area 0, not placed 0" in result.stdout


def test_ambiguous_name_without_subdivision_fails_listing_the_candidates(roster):
    result, data = roster([{**SUZHOU, "subdivision": ""}])
    assert result.returncode == 1
    assert data is None  # nothing written
    err = result.stderr
    assert "FAIL ambiguous names" in err
    assert "Suzhou (CN, cn-suzhou, seeds/members.csv:2)" in err
    assert "Suzhou (CN-JS Jiangsu Sheng, population 6,715,559, GeoNames 1886760)" in err
    assert "Suzhou (CN-AH Anhui Sheng, population 1,647,642, GeoNames 1793743)" in err
    assert "a subdivision (seeds/members.csv) or an override" in err


def test_ambiguous_even_with_allow_unplaced(roster):
    result, _ = roster([{**SUZHOU, "subdivision": ""}], (), "--allow-unplaced")
    assert result.returncode == 1 and "FAIL ambiguous names" in result.stderr


def test_two_namesakes_inside_the_stated_subdivision_need_an_override(roster):
    shenzhen = member("cn-shenzhen", "Shenzhen", "China", "CN", "Asia and the Pacific", "CN-GD")
    result, _ = roster([shenzhen])
    assert result.returncode == 1
    assert "places by this name in CN-GD" in result.stderr
    assert "an override (seeds/overrides.csv) naming one" in result.stderr
    # A reviewed override names the place: then it is placed there.
    result, data = roster([shenzhen], [override("cn-shenzhen", "geonames", "1795565")])
    assert result.returncode == 0, result.stderr
    assert props(data, "cn-shenzhen")["check_subdivision"] == "agrees"


def test_stated_subdivision_without_that_name_is_unplaced_and_says_where_it_looked(roster):
    wrong = {**SUZHOU, "subdivision": "CN-YN"}
    result, _ = roster([wrong])
    assert result.returncode == 1
    assert "no place by this name in CN-YN" in result.stderr
    assert "Suzhou (CN-JS Jiangsu Sheng" in result.stderr  # where it could have been


def test_subdivision_that_differs_from_its_point_is_reported(roster):
    # Brest's GeoNames entry lies in Brittany; the roster (wrongly) says Normandy.
    brest = member("fr-brest", "Brest", "France", "FR", "Europe and North America", "FR-NOR")
    result, data = roster([brest], [override("fr-brest", "geonames", "3030300")])
    assert result.returncode == 0, result.stderr
    assert "WARNING subdivision differs from members.csv for 1" in result.stderr
    assert "Brest (FR, fr-brest): members.csv states FR-NOR" in result.stderr
    assert "the point lies in FR-BRE" in result.stderr
    assert props(data, "fr-brest")["check_subdivision"] == "differs"
    report = run_geodata("report", "--seeds", "seeds", "--out", OUT, cwd=roster.dir)
    assert "differs: Brest (fr-brest)" in report.stdout


def test_coordinates_take_the_subdivision_of_the_nearest_place(roster):
    yuseong = member("kr-yuseong-gu", "Yuseong-gu", "Republic of Korea", "KR",
                     "Asia and the Pacific", "KR-30")
    result, data = roster([yuseong], [override("kr-yuseong-gu", "coordinates", lat="36.362",
                                               lon="127.356")])
    assert result.returncode == 0, result.stderr
    assert props(data, "kr-yuseong-gu")["subdivision"] == "KR-30"  # Daejeon
    assert props(data, "kr-yuseong-gu")["check_subdivision"] == "agrees"
    assert props(data, "kr-yuseong-gu")["geonames_id"] is None


def test_coordinates_near_a_boundary_keep_the_stated_subdivision(roster):
    """Dobong-gu's nearest cities500 place is in Gyeonggi; Seoul's own point is close enough."""
    dobong = member("kr-dobong-gu", "Dobong-gu", "Republic of Korea", "KR",
                    "Asia and the Pacific", "KR-11")
    unstated = member("kr-dobong-gu", "Dobong-gu", "Republic of Korea", "KR",
                      "Asia and the Pacific")
    point = override("kr-dobong-gu", "coordinates", lat="37.65066", lon="127.03011")
    result, data = roster([dobong], [point])
    assert result.returncode == 0, result.stderr
    assert props(data, "kr-dobong-gu")["subdivision"] == "KR-11"
    assert props(data, "kr-dobong-gu")["check_subdivision"] == "agrees"
    result, data = roster([unstated], [point])
    assert props(data, "kr-dobong-gu")["subdivision"] == "KR-41"  # the approximation, unstated
    assert props(data, "kr-dobong-gu")["check_subdivision"] == "not stated"
    result, data = roster([{**dobong, "subdivision": "KR-26"}], [point])  # Busan: far away
    assert props(data, "kr-dobong-gu")["check_subdivision"] == "differs"
    assert "members.csv states KR-26 Busan-gwangyeoksi, the point lies in KR-41" in result.stderr


def seoul_districts():
    region = "Asia and the Pacific"
    return [member("kr-dobong-gu", "Dobong-gu", "Republic of Korea", "KR", region, "KR-11"),
            member("kr-gangnam-gu", "Gangnam-gu", "Republic of Korea", "KR", region, "KR-11")]


def test_two_districts_at_one_point_fail_the_build(roster):
    (roster.dir / OUT).write_text("previous\n", encoding="utf-8")
    result, _ = roster(seoul_districts(),
                       [override("kr-dobong-gu", "geonames", "1835848"),
                        override("kr-gangnam-gu", "geonames", "1835848")])
    assert result.returncode == 1
    assert "FAIL stacked points (1)" in result.stderr
    assert "2 members at one point" in result.stderr
    assert "Dobong-gu (kr-dobong-gu), Gangnam-gu (kr-gangnam-gu)" in result.stderr
    assert (roster.dir / OUT).read_text(encoding="utf-8") == "previous\n"


def test_stacking_counts_points_about_100_m_apart_and_not_1_km(roster):
    dobong, gangnam = seoul_districts()
    result, _ = roster([dobong, gangnam],
                       [override("kr-dobong-gu", "coordinates", lat="37.5000", lon="127.0000"),
                        override("kr-gangnam-gu", "coordinates", lat="37.5005", lon="127.0004")])
    assert result.returncode == 1 and "FAIL stacked points" in result.stderr
    result, _ = roster([dobong, gangnam],
                       [override("kr-dobong-gu", "coordinates", lat="37.5000", lon="127.0000"),
                        override("kr-gangnam-gu", "coordinates", lat="37.5090", lon="127.0000")])
    assert result.returncode == 0, result.stderr


def test_same_place_admitted_twice_is_declared_and_then_allowed(roster):
    first = member("bh-muharraq", "Muharraq", "Bahrain", "BH", "Arab States")
    again = {**member("bh-muharraq-2024", "Muharraq", "Bahrain", "BH", "Arab States"),
             "round": "2024", "admitted": "2024-02-14"}
    result, _ = roster([first, again])
    assert result.returncode == 1
    assert "Muharraq (bh-muharraq), Muharraq (bh-muharraq-2024)" in result.stderr
    declared = override("bh-muharraq-2024", "geonames", "290332", same_place_as="bh-muharraq")
    result, data = roster([first, again], [declared])
    assert result.returncode == 0, result.stderr
    assert point(data, "bh-muharraq") == point(data, "bh-muharraq-2024")
    # A declaration between two members that stand apart is a mistake too.
    apart = {**declared, "geonames_id": "", "method": "coordinates", "lat": "26.05",
             "lon": "50.55"}
    result, _ = roster([first, again], [apart])
    assert result.returncode == 1
    assert "declared the same place (same_place_as) but stand at different points" in \
        result.stderr


def test_area_carries_its_radius_and_precision_counts_reach_the_report(roster):
    kuno = member("ke-kuno-consortium", "Kuno Consortium", "Kenya", "KE", "Africa")
    garissa = member("ke-garissa-county", "Garissa County", "Kenya", "KE", "Africa")
    result, data = roster([kuno, garissa],
                          [override("ke-kuno-consortium", "coordinates", lat="0.9",
                                    lon="38.5", precision="area", radius_km="70"),
                           override("ke-garissa-county", "geonames", "197745",
                                    precision="seat")])
    assert result.returncode == 0, result.stderr
    kuno_props = props(data, "ke-kuno-consortium")
    assert kuno_props["place_precision"] == "area" and kuno_props["place_radius_km"] == 70.0
    assert props(data, "ke-garissa-county")["place_radius_km"] is None
    assert "precision: place 0, seat 1, area 1, not placed 0" in result.stdout
    report = run_geodata("report", "--seeds", "seeds", "--out", OUT, cwd=roster.dir)
    assert report.returncode == 0, report.stderr
    assert "  area: 1 (" in report.stdout and "  seat: 1 (" in report.stdout
    assert "  place: 0 (" in report.stdout and "  not placed: 0" in report.stdout


def test_check_finds_points_stacked_in_the_written_file(roster):
    dobong, gangnam = seoul_districts()
    result, data = roster([dobong, gangnam],
                          [override("kr-dobong-gu", "coordinates", lat="37.695", lon="127.047"),
                           override("kr-gangnam-gu", "coordinates", lat="37.497",
                                    lon="127.028")])
    assert result.returncode == 0, result.stderr
    ok = run_geodata("check", "--seeds", "seeds", "--out", OUT, cwd=roster.dir)
    assert ok.returncode == 0, ok.stderr
    for feature in data["features"]:  # move both to Seoul's point, as the old file had them
        feature["geometry"]["coordinates"] = [126.97783, 37.56826]
    (roster.dir / OUT).write_text(json.dumps(data), encoding="utf-8")
    bad = run_geodata("check", "--seeds", "seeds", "--out", OUT, cwd=roster.dir)
    assert bad.returncode == 1
    assert "2 members at one point" in bad.stderr and "(kr-gangnam-gu)" in bad.stderr
