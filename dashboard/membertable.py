"""The members table: one row per member the filters let through, placed or not.

Two forms of the same rows: a DataFrame for Streamlit's sortable, searchable grid, and a plain
HTML table (caption, column headers, links) that screen readers and printers read as a table.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

from dashboard.details import PLACE_TEXT, safe_url

HEADERS = ("City", "Country", "Region", "Round", "Admitted", "Capital", "Status", "How placed",
           "Source")
PRECISION_TEXT = {"place": "the place itself", "seat": "its seat", "area": "an area's centre"}
NOT_PLACED = "not placed (no coordinates found)"


def how_placed(method, precision, lat) -> str:
    """Plain words for how a member's point was found (and what it stands for)."""
    if lat is None or pd.isna(lat):
        return NOT_PLACED
    text = PLACE_TEXT.get(method, method or "unknown method")
    if precision in PRECISION_TEXT:
        text += f"; the point marks {PRECISION_TEXT[precision]}"
    return text


def status_text(status: str, lapse) -> str:
    """The status column: the roster's status, and a lapse if a source suggests one."""
    if lapse == "possible":
        return f"{status}; may have lapsed"
    if lapse == "lapsed":
        return f"{status}; lapsed"
    return status


def member_table(members: pd.DataFrame, round_label: Callable[[str], str]) -> pd.DataFrame:
    """The table's rows in the members' order; the "id" column ties a row to its member."""
    return pd.DataFrame({
        "id": members["id"].to_numpy(),
        "City": members["city"].to_numpy(),
        "Country": members["country"].to_numpy(),
        "Region": members["region"].to_numpy(),
        "Round": [round_label(r) for r in members["round"]],
        "Admitted": [a or "" for a in members["admitted"]],
        "Capital": members["capital"].to_numpy(dtype=bool),
        "Status": [status_text(st, lapse) for st, lapse in
                   zip(members["status"], members["lapse"], strict=True)],
        "How placed": [how_placed(m, p, lat) for m, p, lat in
                       zip(members["place_method"], members["place_precision"], members["lat"],
                           strict=True)],
        "Source": [safe_url(u) or "" for u in members["source_url"]],  # "" = no safe link
    })


def html_table(table: pd.DataFrame, caption: str) -> str:
    """The rows as an escaped HTML table with a caption and scoped column headers."""
    esc = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in HEADERS)
    body = []
    for row in table.to_dict("records"):
        cells = [f'<th scope="row">{esc(row["City"])}</th>']
        cells += [f"<td>{esc(row[h])}</td>" for h in ("Country", "Region", "Round", "Admitted")]
        cells.append(f"<td>{'yes' if row['Capital'] else 'no'}</td>")
        cells += [f"<td>{esc(row[h])}</td>" for h in ("Status", "How placed")]
        url = row["Source"]
        cells.append(f'<td><a href="{esc(url)}" rel="noopener noreferrer" target="_blank">'
                     f"source</a></td>" if url else "<td>no link</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="atlas-members"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
