"""The members table: every member given, placed or not, and an escaped HTML form."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from dashboard.membertable import HEADERS, NOT_PLACED, html_table, member_table


class Cells(HTMLParser):
    """Collects the table's header and cell texts, and every tag and link it meets."""

    def __init__(self):
        super().__init__()
        self.tags, self.hrefs, self.rows, self.headers = [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._in = tag
            self.rows[-1].append("")
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.rows[-1][-1] += data


def test_every_member_one_row(small_atlas):
    table = member_table(small_atlas.roster, small_atlas.round_label)
    assert list(table["id"]) == list(small_atlas.roster["id"])
    kuno = table[table["id"] == "ke-kuno-consortium"].iloc[0]
    assert kuno["How placed"] == NOT_PLACED and kuno["Round"] == "2024"
    beijing = table[table["id"] == "cn-beijing"].iloc[0]
    assert bool(beijing["Capital"]) and beijing["Round"] == small_atlas.round_label("2015-2018")
    assert "GeoNames" in beijing["How placed"]


def test_html_table_is_a_table_of_escaped_text(hostile_atlas):
    table = member_table(hostile_atlas.roster, hostile_atlas.round_label)
    text = html_table(table, "Members <shown>")
    parsed = Cells()
    parsed.feed(text)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert parsed.rows[0] == list(HEADERS)
    assert [row[0] for row in parsed.rows[1:]] == list(table["City"])
    assert "<script>alert('city')</script>" in [row[0] for row in parsed.rows[1:]]
    assert all(h.startswith("https://") for h in parsed.hrefs)  # no javascript: link
    assert "<caption>" + html.escape("Members <shown>") + "</caption>" in text


def test_the_status_column_says_when_a_member_may_have_lapsed(lapse_atlas):
    table = member_table(lapse_atlas.roster, lapse_atlas.round_label)
    marked = set(lapse_atlas.roster.loc[lapse_atlas.roster["lapse"] == "possible", "id"])
    for row in table.to_dict("records"):
        assert row["Status"].endswith("; may have lapsed") == (row["id"] in marked), row
