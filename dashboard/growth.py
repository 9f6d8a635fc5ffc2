"""The network's growth per round: counts from the roster beside UNESCO's announced figures,
and the Altair (Vega-Lite) charts drawn from them.

Everything is computed from the members it is given (the filtered roster), in the round order
of the data; undated members have no place on a timeline and are counted apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.asof import UNDATED, timeline
from dashboard.data import RoundInfo

COLUMNS = ("round", "Round", "Admitted", "Announced admitted", "Members so far",
           "Announced network size", "New countries", "Countries so far",
           "Announced countries", "Capitals admitted")
FOUND, ANNOUNCED = "Found in the roster", "Announced by UNESCO"
COLOURS = alt.Scale(domain=[FOUND, ANNOUNCED], range=["#0072B2", "#D55E00"])


def growth_table(members: pd.DataFrame, rounds: Sequence[RoundInfo],
                 network: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per dated round: admissions, cumulative size and countries, capitals.

    A country counts as new in the round of its first member in ``network`` (the whole
    roster; by default ``members``), so a filtered selection, say of one round, does not make
    every country in it new, and the chart agrees with the headline's first-time count."""
    order = timeline(r.key for r in rounds)
    info = {r.key: r for r in rounds}
    dated = members[members["round"].isin(order)]
    everyone = dated if network is None else network[network["round"].isin(order)]
    first_round = everyone.groupby("iso2")["round"].agg(lambda rs: min(rs, key=order.index))
    first_round = first_round[first_round.index.isin(set(dated["iso2"]))]
    rows, so_far, countries = [], 0, set()
    for key in order:
        in_round = dated[dated["round"] == key]
        new = set(first_round[first_round == key].index)
        so_far += len(in_round)
        countries |= new
        rows.append({
            "round": key, "Round": info[key].label, "Admitted": len(in_round),
            "Announced admitted": info[key].announced_members,
            "Members so far": so_far,
            "Announced network size": info[key].network_members_after,
            "New countries": len(new), "Countries so far": len(countries),
            "Announced countries": info[key].network_countries_after,
            "Capitals admitted": int(in_round["capital"].sum()),
        })
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    announced = ["Announced admitted", "Announced network size", "Announced countries"]
    return table.astype({column: "Int64" for column in announced})


def undated(members: pd.DataFrame) -> int:
    """Members with no known round: in the totals, on no timeline."""
    return int((members["round"] == UNDATED).sum())


def _long(table: pd.DataFrame, found: str, announced: str | None) -> pd.DataFrame:
    """Found and announced figures as (Round, series, value) rows for one chart."""
    columns = {found: FOUND, **({announced: ANNOUNCED} if announced else {})}
    long = table.melt(id_vars=["Round"], value_vars=list(columns), var_name="series",
                      value_name="value").dropna(subset=["value"])
    long["series"] = long["series"].map(columns)
    long["value"] = long["value"].astype(int)
    return long


def _axis_x(table: pd.DataFrame) -> alt.X:
    # Slanted, never dropped: every round keeps its label, however long.
    return alt.X("Round:N", sort=list(table["Round"]), title="Admission round",
                 axis=alt.Axis(labelAngle=-30, labelOverlap=False, labelLimit=140))


def _against_announced(table: pd.DataFrame, found: str, announced: str, mark: str,
                       y_title: str, title: str, description: str) -> alt.Chart:
    """One roster series beside UNESCO's announced one, as bars or a line with points."""
    long = _long(table, found, announced)
    chart = alt.Chart(long)
    chart = chart.mark_bar() if mark == "bar" else chart.mark_line(point=True)
    encoding = {"xOffset": "series:N"} if mark == "bar" else {}
    return chart.encode(
        x=_axis_x(table), y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", scale=COLOURS, title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=["Round", "series", "value"], **encoding,
    ).properties(title=title, description=description, height=240)


def admitted_chart(table: pd.DataFrame) -> alt.Chart:
    return _against_announced(
        table, "Admitted", "Announced admitted", "bar", "Members admitted",
        "Members admitted per round",
        "Bar chart: members admitted in each round, as found in the roster and as announced "
        "by UNESCO.")


def network_chart(table: pd.DataFrame) -> alt.Chart:
    return _against_announced(
        table, "Members so far", "Announced network size", "line", "Members",
        "Network size after each round",
        "Line chart: members admitted up to each round in the roster, against the network "
        "size UNESCO announced after that round.")


def countries_chart(table: pd.DataFrame) -> alt.Chart:
    return _against_announced(
        table, "Countries so far", "Announced countries", "line", "Countries",
        "Countries reached after each round",
        "Line chart: countries with at least one member up to each round in the roster, "
        "against the count UNESCO announced after that round.")


def per_round_chart(table: pd.DataFrame) -> alt.Chart:
    long = table.melt(id_vars=["Round"], value_vars=["New countries", "Capitals admitted"],
                      var_name="series", value_name="value")
    return alt.Chart(long).mark_bar().encode(
        x=_axis_x(table), xOffset="series:N", y=alt.Y("value:Q", title="Count"),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(range=["#009E73", "#CC79A7"])),
        tooltip=["Round", "series", "value"],
    ).properties(
        title="New countries and capitals per round",
        description="Bar chart: per round, countries whose first member joined in it, and "
                    "national capitals admitted in it (from the roster).",
        height=240)


# (chart builder, the table's columns behind it), in the order the page shows them.
CHARTS = (
    (admitted_chart, ("Round", "Admitted", "Announced admitted")),
    (network_chart, ("Round", "Members so far", "Announced network size")),
    (countries_chart, ("Round", "New countries", "Countries so far", "Announced countries")),
    (per_round_chart, ("Round", "New countries", "Capitals admitted")),
)
