"""Malformed seeds stop ``python -m geodata build`` with file:line on stderr, exit 2,
and leave the previous output untouched."""

import csv
import io

import pytest

from tests.geodata.conftest import run_geodata

PREVIOUS = '{"previous": "good file"}\n'


def rewrite(path, edit):
    """Apply ``edit(rows)`` to a CSV (rows include the header) and write it back."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def col(rows, name):
    return rows[0].index(name)


def set_cell(row_no, column, value):
    def edit(rows):
        rows[row_no][col(rows, column)] = value
    return edit


def drop_column(column):
    def edit(rows):
        i = col(rows, column)
        for row in rows:
            del row[i]
    return edit


def repeat_column(column):
    """Append a second copy of a column to the header and to every row."""
    def edit(rows):
        index = rows[0].index(column)
        for row in rows:
            row.append(row[index])
    return edit


def duplicate_row(row_no, **changes):
    def edit(rows):
        copy = list(rows[row_no])
        for column, value in changes.items():
            copy[col(rows, column)] = value
        rows.insert(row_no + 1, copy)
    return edit


def failed_build(work):
    """``python -m geodata build`` on the work copy, which must stop with exit status 2."""
    result = run_geodata("build", "--seeds", "seeds", cwd=work)
    assert result.returncode == 2, result.stderr
    return result


def first_row_of_round(rows, rnd):
    return next(i for i, r in enumerate(rows) if i and r[col(rows, "round")] == rnd)


CASES = {
    "missing column": (drop_column("evidence"), 1, "missing column 'evidence'"),
    "repeated column": (repeat_column("note"), 1, "column 'note' appears more than once"),
    "long value shortened": (set_cell(3, "region", "Oceania" * 10_000), 4,
                             "… (70,000 characters) is not one of"),
    "unknown iso2": (set_cell(3, "iso2", "XZ"), 4, "iso2: 'XZ' is not an ISO 3166-1"),
    "bad region": (set_cell(3, "region", "Oceania"), 4, "region: 'Oceania' is not one of"),
    "bad capital flag": (set_cell(3, "capital", "Yes"), 4, "capital: 'Yes' is not one of"),
    "bad first_time": (set_cell(3, "first_time_country", "maybe"), 4, "first_time_country"),
    "bad status": (set_cell(3, "status", "lapsed"), 4, "status: 'lapsed' is not one of"),
    "bad evidence": (set_cell(3, "evidence", "press"), 4, "evidence: 'press' is not one of"),
    "bad round_basis": (set_cell(3, "round_basis", "guessed"), 4, "round_basis: 'guessed'"),
    "empty source": (set_cell(3, "source_url", ""), 4, "source_url: empty"),
    "bad url": (set_cell(3, "source_url", "www.example.org/x"), 4, "not an absolute http(s) URL"),
    "stray whitespace": (set_cell(3, "city", " Sharjah"), 4, "city: leading or trailing"),
    "duplicate id": (duplicate_row(2, city="Other"), 4, "duplicate member: id 'ae-fujairah'"),
    "duplicate city": (duplicate_row(2, id="ae-fujairah-2"), 4, "duplicate member: Fujairah"),
    "subdivision not ISO 3166-2": (set_cell(3, "subdivision", "AE-XX"), 4,
                                   "subdivision: 'AE-XX' is not an ISO 3166-2 code (pycountry)"),
    "subdivision of another country": (set_cell(3, "subdivision", "AR-S"), 4,
                                       "subdivision: 'AR-S' is a subdivision of AR, not of AE"),
    "subdivision in lower case": (set_cell(3, "subdivision", "ae-sh"), 4,
                                  "subdivision: 'ae-sh' is not an ISO 3166-2 code"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_members_csv(work, case):
    edit, line, message = CASES[case]
    out = work / "geodata" / "members.geojson"
    out.write_text(PREVIOUS, encoding="utf-8")
    rewrite(work / "seeds" / "members.csv", edit)
    result = run_geodata("build", "--seeds", "seeds", "--out", "geodata/members.geojson",
                         cwd=work)
    assert result.returncode == 2, result.stderr
    assert f"seeds/members.csv:{line}: " in result.stderr
    assert message in result.stderr
    assert out.read_text(encoding="utf-8") == PREVIOUS


def test_admitted_outside_its_round_and_unknown_round_with_date(work):
    members = work / "seeds" / "members.csv"
    rows = list(csv.reader(io.StringIO(members.read_text(encoding="utf-8"), newline="")))
    r2025 = first_row_of_round(rows, "2025")
    r_unknown = first_row_of_round(rows, "unknown")
    rows[r2025][col(rows, "admitted")] = "2024-02"
    rows[r_unknown][col(rows, "admitted")] = "2019"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    members.write_text(out.getvalue(), encoding="utf-8")
    result = run_geodata("build", "--seeds", "seeds", cwd=work, cache_dir=work / "c")
    assert result.returncode == 2
    assert (f"seeds/members.csv:{r2025 + 1}: admitted: 2024-02 is outside round 2025 "
            "(2025-01-01 to 2025-12-31)") in result.stderr
    assert f"seeds/members.csv:{r_unknown + 1}: admitted: '2019' given, but round is 'unknown'" \
        in result.stderr


def test_partial_date_overlapping_the_period_is_accepted(work):
    rows_path = work / "seeds" / "members.csv"
    rows = list(csv.reader(io.StringIO(rows_path.read_text(encoding="utf-8"), newline="")))
    r2019 = first_row_of_round(rows, "2019")
    rows[r2019][col(rows, "admitted")] = "2019"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    rows_path.write_text(out.getvalue(), encoding="utf-8")
    result = run_geodata("report", "--seeds", "seeds", cwd=work)
    assert result.returncode == 0, result.stderr


def test_bom_is_rejected(work):
    path = work / "seeds" / "members.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_geodata("check", "--seeds", "seeds", cwd=work)
    assert result.returncode == 2
    assert "seeds/members.csv:1: starts with a UTF-8 byte order mark" in result.stderr


def test_non_utf8_is_rejected_with_its_line(work):
    path = work / "seeds" / "members.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"member", b"m\xe9mber", 1)  # latin-1 é
    path.write_bytes(b"\n".join(lines))
    result = failed_build(work)
    assert "seeds/members.csv:5: not UTF-8: byte 0xe9" in result.stderr


def test_control_character_is_rejected(work):
    rewrite(work / "seeds" / "members.csv", set_cell(6, "note", "bad\x07bell"))
    result = failed_build(work)
    assert "seeds/members.csv:7: control character '\\x07'" in result.stderr


def test_every_error_is_reported_not_only_the_first(work):
    rewrite(work / "seeds" / "members.csv", set_cell(3, "iso2", "XZ"))
    rewrite(work / "seeds" / "members.csv", set_cell(9, "status", "gone"))
    result = failed_build(work)
    assert "seeds/members.csv:4: iso2" in result.stderr
    assert "seeds/members.csv:10: status" in result.stderr
    assert "3 error(s)" in result.stderr  # the id no longer matches iso2 either


def test_override_for_an_unknown_member(work):
    path = work / "seeds" / "overrides.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + "zz-nowhere,geonames,2220957,,,place,,,reason,https://www.geonames.org/2220957\n",
                    encoding="utf-8")
    result = failed_build(work)
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert f"seeds/overrides.csv:{n}: id: 'zz-nowhere' is not a member id" in result.stderr


def test_rounds_csv_errors_name_rounds_csv(work):
    rewrite(work / "seeds" / "rounds.csv", set_cell(2, "period_end", "2019-13-01"))
    result = failed_build(work)
    assert "seeds/rounds.csv:3: period_end: '2019-13-01' is not an ISO date" in result.stderr


def test_override_needs_its_geonames_id_or_coordinates(work):
    path = work / "seeds" / "overrides.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + "cm-hina,geonames,,,,place,,,reason,https://www.geonames.org/\n"
                    + "cm-bikok,coordinates,,95,11.5,place,,,reason,https://example.org/x\n",
                    encoding="utf-8")
    result = failed_build(work)
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert f"seeds/overrides.csv:{n - 1}: geonames_id: '' is not a GeoNames id" in result.stderr
    assert f"seeds/overrides.csv:{n}: lat/lon: '95', '11.5' are not decimal degrees" \
        in result.stderr


def test_subdivision_below_the_first_level_names_the_first_level(work):
    members = work / "seeds" / "members.csv"
    rows = list(csv.reader(io.StringIO(members.read_text(encoding="utf-8"), newline="")))
    brest = next(i for i, r in enumerate(rows) if r[0] == "fr-brest")
    rewrite(members, set_cell(brest, "subdivision", "FR-29"))
    result = failed_build(work)
    assert (f"seeds/members.csv:{brest + 1}: subdivision: 'FR-29' (Finistère) is not a "
            "first-level division as GeoNames counts them; its first-level division is FR-BRE"
            ) in result.stderr


def test_override_precision_radius_and_same_place_are_checked(work):
    path = work / "seeds" / "overrides.csv"
    rows = ["cm-hina,geonames,2230800,,,town,,,reason,https://www.geonames.org/2230800",
            "cm-bikok,coordinates,,3.6,11.4,area,,,reason,https://example.org/x",
            "cm-mayo-baleo,coordinates,,7.6,12.3,area,-5,,reason,https://example.org/x",
            "ke-kuno-consortium,coordinates,,0.9,38.5,seat,70,,reason,https://example.org/x",
            "fr-brest,geonames,3030300,,,place,,fr-nowhere,reason,https://example.org/x"]
    text = path.read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines()
                     if line.split(",")[0] not in {r.split(",")[0] for r in rows})
    path.write_text(kept + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    n = len(kept.splitlines())
    result = failed_build(work)
    err = result.stderr
    assert f"seeds/overrides.csv:{n + 1}: precision: 'town' is not one of place / seat / area" \
        in err
    assert f"seeds/overrides.csv:{n + 2}: radius_km: an 'area' needs its radius in km" in err
    assert f"seeds/overrides.csv:{n + 3}: radius_km: '-5' is not" in err
    assert (f"seeds/overrides.csv:{n + 4}: radius_km: leave empty unless precision is 'area' "
            "(it is 'seat')") in err
    assert (f"seeds/overrides.csv:{n + 5}: same_place_as: 'fr-nowhere' is not another member "
            "id in members.csv") in err


def failed_with(work, *messages):
    """A build that stops with exit 2, names each message, and leaves the previous output."""
    out = work / "geodata" / "members.geojson"
    out.write_text(PREVIOUS, encoding="utf-8")
    result = run_geodata("build", "--seeds", "seeds", "--out", "geodata/members.geojson",
                         cwd=work)
    assert result.returncode == 2, result.stderr
    for message in messages:
        assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == PREVIOUS
    return result


UNICODE_DIGITS = {
    # Each passes str.isdigit() (or \d, or float()), which let them through before.
    "superscript two in a round figure": (
        "rounds.csv", 2, "announced_members", "3\u00b2",
        "seeds/rounds.csv:3: announced_members: '3²' is not a whole number"),
    "circled one in a geonames_id": (
        "overrides.csv", 1, "geonames_id", "\u2460",
        "seeds/overrides.csv:2: geonames_id: '①' is not a GeoNames id"),
    "Arabic-Indic digits in admitted": (
        "members.csv", 3, "admitted", "\u0662\u0660\u0662\u0665",
        "seeds/members.csv:4: admitted: '٢٠٢٥' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    "Arabic-Indic digits in a round date": (
        "rounds.csv", 2, "period_start", "\u0662\u0660\u0661\u0669-01-01",
        "seeds/rounds.csv:3: period_start: '٢٠١٩-01-01' is not an ISO date"),
}


@pytest.mark.parametrize("case", sorted(UNICODE_DIGITS))
def test_unicode_digits_are_not_numbers(work, case):
    name, row, column, value, message = UNICODE_DIGITS[case]
    rewrite(work / "seeds" / name, set_cell(row, column, value))
    failed_with(work, message)


@pytest.mark.parametrize("value", ["１２.５", "1e1", "nan", "1_0"])
def test_override_coordinates_are_plain_decimals(work, value):
    path = work / "seeds" / "overrides.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + f"cm-bikok,coordinates,,{value},11.5,place,,,reason,https://example.org/x\n",
                    encoding="utf-8")
    n = len(path.read_text(encoding="utf-8").splitlines())
    failed_with(work, f"seeds/overrides.csv:{n}: lat: {value!r} is not a decimal number")


@pytest.mark.parametrize("with_overrides", [True, False])
def test_huge_field_is_a_csv_error_not_a_traceback(work, with_overrides):
    """Over csv.field_size_limit(): the main read reports it; the id read for overrides.csv
    (a second read of members.csv) no longer raises."""
    if not with_overrides:
        (work / "seeds" / "overrides.csv").unlink()
    rewrite(work / "seeds" / "members.csv", set_cell(5, "note", "x" * 140_000))
    result = failed_with(work, "seeds/members.csv:6: CSV syntax: field larger than field limit")
    assert "is not a member id" not in result.stderr  # no noise from the unreadable file


def test_nul_byte_is_rejected(work):
    path = work / "seeds" / "rounds.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"2020", b"20\x0020", 1)
    path.write_bytes(b"\n".join(lines))
    failed_with(work, "seeds/rounds.csv:4: control character '\\x00' in the line")


def test_bom_stops_the_build(work):
    path = work / "seeds" / "overrides.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    failed_with(work, "seeds/overrides.csv:1: starts with a UTF-8 byte order mark")


def test_crlf_line_endings_are_rejected(work):
    path = work / "seeds" / "rounds.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    failed_with(work, "seeds/rounds.csv:1: Windows line ending (CR LF) (and 7 more lines); "
                      "save with LF line endings")


def test_non_utf8_rounds_csv_names_its_line(work):
    path = work / "seeds" / "rounds.csv"
    path.write_bytes(path.read_bytes().replace("–".encode(), b"\x96", 1))
    failed_with(work, "seeds/rounds.csv:2: not UTF-8: byte 0x96 cannot be decoded")


def test_header_only_members_csv_is_an_error(work):
    path = work / "seeds" / "members.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    (work / "seeds" / "overrides.csv").unlink()
    failed_with(work, "seeds/members.csv:1: no members: the file has a header but no rows")


@pytest.mark.parametrize(("cells", "message"), [
    ({"lapse": "gone"}, "lapse: 'gone' is not one of possible / lapsed / empty"),
    ({"lapse": "possible"}, "lapse_sources: empty (a lapse 'possible' needs its source)"),
    ({"lapse": "lapsed", "lapse_sources": "https://example.org/a"},
     "lapse_date: a lapsed member needs the date it left"),
    ({"lapse": "possible", "lapse_sources": "https://example.org/a javascript:alert(1)"},
     "lapse_sources: 'javascript:alert(1)' is not an absolute http(s) URL"),
    ({"lapse": "possible", "lapse_date": "2026-13", "lapse_sources": "https://example.org/a"},
     "lapse_date: '2026-13' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"lapse_date": "2026"}, "lapse_date: leave empty unless lapse is set"),
    ({"lapse_sources": "https://example.org/a"}, "lapse_sources: leave empty unless lapse"),
])
def test_a_malformed_lapse_names_its_line(work, cells, message):
    from geodata.roster import SeedErrors, load_seeds

    for column, value in cells.items():
        rewrite(work / "seeds" / "members.csv", set_cell(7, column, value))
    with pytest.raises(SeedErrors) as raised:
        load_seeds(work / "seeds")
    assert f"members.csv:8: {message}" in str(raised.value), str(raised.value)


def test_a_sourced_lapse_is_kept_with_its_date_and_sources(work):
    from geodata.build import member_properties
    from geodata.roster import load_seeds

    two = "https://example.org/a https://example.org/b"
    for column, value in {"lapse": "lapsed", "lapse_date": "2026-02", "lapse_sources": two}.items():
        rewrite(work / "seeds" / "members.csv", set_cell(7, column, value))
    member = next(m for m in load_seeds(work / "seeds").members if m.line == 8)
    props = member_properties(member)
    assert (props["lapse"], props["lapse_date"]) == ("lapsed", "2026-02")
    assert props["lapse_sources"] == two.split()
