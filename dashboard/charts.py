"""Plotly figure builders (pure): data in, figure out. Pages only render them.

Colours: the Okabe-Ito palette, distinguishable with the common forms of colour blindness
(Okabe & Ito 2008); the same list is the theme's categorical palette (.streamlit/config.toml).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
LAYOUT = dict(margin=dict(l=8, r=8, t=48, b=8), hovermode="x unified",
              legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0))


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


def stacked_bars(frame: pd.DataFrame, x: str, y: str, color: str, title: str,
                 y_title: str, labels: dict[str, str] | None = None) -> go.Figure:
    """Bars of ``y`` by ``x``, stacked by ``color`` (labels translate the color values)."""
    labels = labels or {}
    figure = go.Figure()
    for index, (name, rows) in enumerate(frame.groupby(color, sort=True)):
        figure.add_trace(go.Bar(x=rows[x], y=rows[y], name=labels.get(name, str(name)),
                                marker_color=PALETTE[index % 8]))
    figure.update_layout(title=title, barmode="stack", yaxis_title=y_title, **LAYOUT)
    return figure


# Plotly reads a subset of HTML in every label it draws (legend names, ticks, hover texts),
# links included: a site named '<a href="https://...">' would become a link. These are the
# trace fields that carry data; templates and titles are the code's own.
DATA_FIELDS = ("name", "text", "hovertext", "x", "y", "labels", "customdata")
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def data_as_text(figure: go.Figure) -> go.Figure:
    """``figure`` with every text that came from data shown as its characters, not as HTML."""
    for trace in figure.data:
        for field in DATA_FIELDS:
            if field in trace and trace[field] is not None:
                trace[field] = _as_text(trace[field])
    return figure


def _as_text(value):
    if isinstance(value, str):
        return value.translate(_HTML_SPECIAL)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "OU":  # numbers and dates: nothing to escape
            return value
        return np.vectorize(_as_text, otypes=[object])(value) if value.size else value
    if isinstance(value, list | tuple):
        return type(value)(_as_text(item) for item in value)
    return value
