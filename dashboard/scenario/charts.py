"""Plotly figures of the funding-scenario page (pure): data in, figure out.

Fan charts show the 5th-95th percentile band and the median of the baseline (no new funding,
grey) and of the scenario (blue), starting from today's level, after the measured past.
Colours are the Okabe-Ito palette of dashboard.charts, numbers as dashboard.i18n writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts import (
    BLACK,
    BLUE,
    GREY,
    LAYOUT,
    PALETTE,
    SKY_BLUE,
    VERMILLION,
    rgba,
)

BASELINE_COLOUR, SCENARIO_COLOUR, MEASURED_COLOUR = GREY, BLUE, BLACK
LOW_COLOUR, HIGH_COLOUR = VERMILLION, SKY_BLUE


def year_labels(end_year: int, horizon: int) -> dict[int, str]:
    """Axis labels from two years before today (-2) to the horizon: each 12-month window named
    by the year it ends in (the axis title says when in the year)."""
    return {k: str(end_year + k) for k in range(-2, horizon + 1)}


def fan_chart(rows: pd.DataFrame, measured: pd.DataFrame, *, title: str, y_title: str,
              names: Mapping[str, str], x_labels: Mapping[int, str], x_title: str = "",
              y_format: str = ",.0f", language: str = "en") -> go.Figure:
    """One outcome over the years: ``rows`` has columns series (baseline | scenario), year,
    p5, median, p95; ``measured`` has year (0, -1, -2) and value. ``names`` labels the
    series "baseline", "scenario", "measured" and "interval"."""
    figure = go.Figure()
    for series, colour, dash in (("baseline", BASELINE_COLOUR, "dash"),
                                 ("scenario", SCENARIO_COLOUR, "solid")):
        part = rows[rows["series"] == series].sort_values("year")
        years = part["year"].tolist()
        figure.add_trace(go.Scatter(
            x=years + years[::-1], y=part["p95"].tolist() + part["p5"].tolist()[::-1],
            fill="toself", fillcolor=rgba(colour, 0.18), line=dict(width=0), mode="lines",
            hoverinfo="skip", showlegend=False, legendgroup=series,
            name=f"{names[series]} {names['interval']}"))
        figure.add_trace(go.Scatter(
            x=years, y=part["median"], name=names[series], legendgroup=series,
            mode="lines+markers", line=dict(color=colour, dash=dash, width=2),
            marker=dict(size=5),
            customdata=part[["p5", "p95"]].to_numpy(),
            hovertemplate=(f"%{{y:{y_format}}} ({names['interval']} %{{customdata[0]:{y_format}}}"
                           f" – %{{customdata[1]:{y_format}}})<extra>%{{fullData.name}}</extra>")))
    if len(measured):
        measured = measured.sort_values("year")
        figure.add_trace(go.Scatter(
            x=measured["year"], y=measured["value"], name=names["measured"],
            mode="lines+markers", line=dict(color=MEASURED_COLOUR, width=1),
            marker=dict(size=7, symbol="circle-open"),
            hovertemplate=f"%{{y:{y_format}}}<extra>%{{fullData.name}}</extra>"))
    ticks = sorted(x_labels)
    figure.update_layout(
        title=title, yaxis_title=y_title,
        **{**LAYOUT, "margin": dict(l=8, r=8, t=40, b=8),
           "legend": dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0)},
        xaxis=dict(tickmode="array", tickvals=ticks, ticktext=[x_labels[t] for t in ticks],
                   title=x_title),
        yaxis=dict(rangemode="tozero", tickformat=y_format), height=320,
        separators=i18n.separators(language))
    return figure


def tornado(rows: pd.DataFrame, *, title: str, x_title: str, labels: Mapping[str, str],
            low_name: str, high_name: str, x_format: str = ",.0f",
            language: str = "en") -> go.Figure:
    """Bars from the central result to the result with one assumption at its 5th (``at_low``)
    and 95th (``at_high``) percentile, widest swing on top. ``labels`` names assumptions."""
    rows = rows.sort_values("swing", ascending=True, kind="stable")
    names = [labels.get(a, a) for a in rows["assumption"]]
    centre = float(rows["centre"].iloc[0]) if len(rows) else 0.0
    figure = go.Figure()
    for column, name, colour in (("at_low", low_name, LOW_COLOUR),
                                 ("at_high", high_name, HIGH_COLOUR)):
        figure.add_trace(go.Bar(
            y=names, x=rows[column] - centre, base=centre, orientation="h", name=name,
            marker_color=colour, customdata=rows[[column]].to_numpy(),
            hovertemplate=f"%{{customdata[0]:{x_format}}}<extra>%{{fullData.name}}</extra>"))
    figure.add_vline(x=centre, line=dict(color=MEASURED_COLOUR, width=1))
    figure.update_layout(title=title, xaxis_title=x_title, barmode="overlay",
                         **{**LAYOUT, "hovermode": "closest",
                            "margin": dict(l=8, r=8, t=64, b=8)},
                         xaxis=dict(tickformat=x_format), height=120 + 32 * len(rows),
                         separators=i18n.separators(language))
    return figure


def comparison(rows: pd.DataFrame, *, outcomes: Sequence[str], titles: Mapping[str, str],
               interval_name: str, language: str = "en") -> go.Figure:
    """Scenarios side by side: per outcome (one panel each), each scenario's median with its
    5th-95th percentile interval. ``rows`` has columns scenario, outcome, p5, median, p95."""
    from plotly.subplots import make_subplots

    figure = make_subplots(rows=len(outcomes), cols=1, subplot_titles=[titles[o] for o in outcomes],
                           vertical_spacing=0.6 / max(len(outcomes), 1))
    scenarios = list(dict.fromkeys(rows["scenario"]))
    for panel, outcome in enumerate(outcomes, start=1):
        part = rows[rows["outcome"] == outcome].set_index("scenario").reindex(scenarios)
        figure.add_trace(go.Scatter(
            x=part["median"], y=scenarios, mode="markers", showlegend=False,
            marker=dict(size=9, color=[PALETTE[i % 8] for i in range(len(scenarios))]),
            error_x=dict(type="data", symmetric=False, array=part["p95"] - part["median"],
                         arrayminus=part["median"] - part["p5"], thickness=1.5),
            customdata=part[["p5", "p95"]].to_numpy(),
            hovertemplate=(f"%{{x:,.0f}} ({interval_name} %{{customdata[0]:,.0f}} – "
                           "%{customdata[1]:,.0f})<extra>%{y}</extra>")), row=panel, col=1)
        figure.update_yaxes(autorange="reversed", row=panel, col=1)
        figure.update_xaxes(rangemode="tozero", tickformat=",.0f", row=panel, col=1)
    figure.update_layout(margin=dict(l=8, r=8, t=32, b=8), hovermode="closest",
                         separators=i18n.separators(language),
                         height=max(260, (70 + 26 * len(scenarios)) * len(outcomes)))
    return figure
