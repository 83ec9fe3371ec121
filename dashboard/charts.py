"""The shared chart toolkit (pure): colours, layout, number separators and generic figures.

Every figure module builds on this one: ``PALETTE`` and its named colours, ``rgba`` (plotly)
and ``rgb`` (pydeck) to use them, ``LAYOUT``, and the figures more than one page draws. Numbers
in figures are written as the rest of the app writes them: every figure sets plotly's
``separators`` from ``dashboard.i18n.separators``. Pages only render the figures.

Colours: the Okabe-Ito palette, distinguishable with the common forms of colour blindness
(Okabe & Ito 2008); the same list is the theme's categorical palette (.streamlit/config.toml).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, VERMILLION, YELLOW, BLACK = PALETTE
GREY = "#7F7F7F"  # what a coloured series is compared with: a baseline, a comparison group
MUTED_COLOUR = "#BBBBBB"  # an "other" band, so it does not compete with the named ones
LAYOUT = dict(margin=dict(l=8, r=8, t=48, b=8), hovermode="x unified",
              legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0))


def rgb(colour: str) -> list[int]:
    """A ``#RRGGBB`` colour as [red, green, blue] (0-255), as pydeck layers take colours."""
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


def rgba(colour: str, alpha: float) -> str:
    """A ``#RRGGBB`` colour made see-through (alpha 0-1), as plotly takes it."""
    red, green, blue = rgb(colour)
    return f"rgba({red},{green},{blue},{alpha})"


def trend(series: pd.DataFrame, title: str, y_title: str, *, group: str | None = None,
          y_format: str = ",.1f", n_label: str = "n") -> go.Figure:
    """Lines of ``value`` over ``period``, one per ``group`` value; hover shows n."""
    figure = go.Figure()
    groups = series.groupby(group, sort=True) if group else [(None, series)]
    for index, (name, rows) in enumerate(groups):
        figure.add_trace(go.Scatter(
            x=rows["period"], y=rows["value"], name=str(name) if name is not None else y_title,
            mode="lines+markers", marker=dict(size=5), line=dict(color=PALETTE[index % 8]),
            customdata=rows[["n"]].to_numpy(),
            hovertemplate=(f"%{{y:{y_format}}} ({n_label} %{{customdata[0]:,}})"
                           "<extra>%{fullData.name}</extra>"),
        ))
    figure.update_layout(title=title, yaxis_title=y_title, showlegend=group is not None, **LAYOUT)
    return figure


def stacked_bars(data: pd.DataFrame, *, x: str, y: str, colour: str, title: str,
                 y_title: str, y_format: str | None = None, language: str = "en",
                 labels: Mapping[str, str] | None = None,
                 muted: frozenset[str] = frozenset()) -> go.Figure:
    """Bars of ``y`` by ``x`` stacked by ``colour``, in the order the rows come.

    ``labels`` names the ``colour`` values in the legend (default: the value itself); the
    ``muted`` values (an "other" band) are grey. ``y_format`` is a d3 format for the axis and
    the hover (plotly's own when None). Each trace carries ``meta = {"series": y, "group":
    value}``, naming the rows it draws.
    """
    labels = labels or {}
    figure = go.Figure()
    for index, name in enumerate(dict.fromkeys(data[colour])):
        rows = data[data[colour] == name]
        label = labels.get(name, str(name))
        tint = MUTED_COLOUR if name in muted else PALETTE[index % len(PALETTE)]
        hover = f"%{{y:{y_format}}}<extra>{label}</extra>" if y_format else None
        figure.add_trace(go.Bar(x=rows[x], y=rows[y], name=label, marker_color=tint,
                                hovertemplate=hover, meta={"series": y, "group": name}))
    figure.update_layout(title=title, barmode="stack", yaxis_title=y_title,
                         yaxis_tickformat=y_format, separators=i18n.separators(language), **LAYOUT)
    return figure
