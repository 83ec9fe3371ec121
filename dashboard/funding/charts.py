"""The Funding page's figures (pure): members over time, cost per output over the years, the
event-time chart and the raw paths behind it. Built on the shared toolkit (dashboard.charts):
its palette, layout and the language's number separators. Every trace carries
``meta = {"series": ..., "group": ...}`` naming the rows it draws.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts import BLUE, GREY, LAYOUT, PALETTE, VERMILLION, rgba


def members(data: pd.DataFrame, *, title: str, y_title: str, labels: Mapping[str, str],
            language: str) -> go.Figure:
    """Organisations per tier at each quarter's end, one step line per tier."""
    figure = go.Figure()
    for index, (tier, rows) in enumerate(data.groupby("tier", sort=False)):
        label = labels.get(tier, tier)
        figure.add_trace(go.Scatter(
            x=rows["quarter_end"], y=rows["organisations"], name=label, mode="lines",
            line=dict(shape="hv", color=PALETTE[index % len(PALETTE)]),
            hovertemplate=f"%{{y:,}}<extra>{label}</extra>",
            meta={"series": "organisations", "group": tier}))
    figure.update_layout(title=title, yaxis_title=y_title, yaxis_rangemode="tozero",
                         separators=i18n.separators(language), **LAYOUT)
    return figure


def yearly_cost(data: pd.DataFrame, *, title: str, y_title: str, labels: Mapping[str, str],
                language: str) -> go.Figure:
    """Direct cost per output by year, one line per output."""
    figure = go.Figure()
    for index, (output, rows) in enumerate(data.groupby("output", sort=False)):
        label = labels.get(output, output)
        figure.add_trace(go.Scatter(
            x=rows["year"], y=rows["direct_cost"], name=label, mode="lines+markers",
            line=dict(color=PALETTE[index % len(PALETTE)]),
            hovertemplate=f"%{{y:,.0f}}<extra>{label}</extra>",
            meta={"series": "direct_cost", "group": output}))
    figure.update_layout(title=title, yaxis_title=y_title, yaxis_type="log",
                         xaxis=dict(dtick=1), separators=i18n.separators(language), **LAYOUT)
    return figure


def event_time(table: pd.DataFrame, *, title: str, x_title: str, y_title: str,
               y_format: str, names: Mapping[str, str], language: str) -> go.Figure:
    """The event-study coefficients with their 95% intervals: before enrolment (the leads,
    the parallel-trends check) in grey, after in blue, the reference half-year at zero."""
    figure = go.Figure()
    for part, rows, colour in (("before", table[table["event_time"] < 0], GREY),
                               ("after", table[table["event_time"] >= 0], BLUE)):
        figure.add_trace(go.Scatter(
            x=rows["event_time"], y=rows["effect"], name=names[part], mode="markers+lines",
            marker=dict(size=7, color=colour), line=dict(color=colour, width=1),
            error_y=dict(type="data", symmetric=False, array=rows["high"] - rows["effect"],
                         arrayminus=rows["effect"] - rows["low"], color=rgba(colour, 0.6)),
            hovertemplate=(f"%{{y:{y_format}}} (%{{customdata[0]:{y_format}}} – "
                           f"%{{customdata[1]:{y_format}}})<extra>{names[part]}</extra>"),
            customdata=rows[["low", "high"]].to_numpy(),
            meta={"series": "effect", "group": part}))
    figure.add_hline(y=0, line=dict(color=GREY, width=1, dash="dot"))
    figure.add_vline(x=-0.5, line=dict(color=VERMILLION, width=1, dash="dash"),
                     annotation_text=names["enrolment"],
                     annotation_position="bottom right")
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title,
                         yaxis_tickformat=y_format, xaxis=dict(dtick=1),
                         separators=i18n.separators(language), **LAYOUT)
    return figure


def raw_paths(paths: pd.DataFrame, *, title: str, x_title: str, y_title: str, y_format: str,
              names: Mapping[str, str], language: str) -> go.Figure:
    """Mean value at enrolled sites by half-years since enrolment, against the comparison
    sites' mean over the same calendar half-years."""
    figure = go.Figure()
    for column, colour in (("enrolled_mean", BLUE), ("comparison_mean", GREY)):
        figure.add_trace(go.Scatter(
            x=paths["event_time"], y=paths[column], name=names[column], mode="lines+markers",
            line=dict(color=colour), hovertemplate=f"%{{y:{y_format}}}<extra>{names[column]}"
                                                   "</extra>",
            meta={"series": column, "group": column}))
    figure.add_vline(x=-0.5, line=dict(color=VERMILLION, width=1, dash="dash"))
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title,
                         yaxis_tickformat=y_format, xaxis=dict(dtick=1),
                         separators=i18n.separators(language), **LAYOUT)
    return figure
