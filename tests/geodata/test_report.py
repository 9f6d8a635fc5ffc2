import csv

from tests.geodata.conftest import run_geodata


def section(text, label):
    return text.split(f"== {label}")[1].split("\n== ")[0]


def test_report_2025_capitals_and_first_time_countries(work):
    result = run_geodata("report", "--seeds", "seeds", cwd=work)
    assert result.returncode == 0, result.stderr
    r2025 = section(result.stdout, "2025")
    assert "announced 11: Porto-Novo, Bissau, Lusaka, Cairo, Riyadh, Lisbon, Ankara, " \
           "Ashgabat, Hanoi, Buenos Aires, Caracas" in r2025
    assert "capitals in roster: 11" in r2025
    assert "announced 13: BJ;" not in r2025 and "announced 13: BJ, BF" in r2025
    assert "Lithuania: announced first-time, but Kaunas joined in 2015-2018" in r2025
    with open(work / "seeds" / "members.csv", encoding="utf-8", newline="") as f:
        found = sum(1 for row in csv.DictReader(f)
                    if row["round"] == "2025" and row["status"] != "withdrawn")
    assert f"members in roster: {found}, announced 72" in r2025
    assert f"missing: {72 - found} of 72 not yet found" in r2025
    assert "first-time countries computed:" in r2025


def test_report_counts_withdrawn_apart(work):
    result = run_geodata("report", "--seeds", "seeds", cwd=work)
    r2020 = section(result.stdout, "2020")
    assert "withdrawn (not counted): Laâyoune" in r2020
