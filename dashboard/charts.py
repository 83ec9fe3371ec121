"""Plotly figure builders (pure): data in, figure out. Pages only render them.

Colours: the Okabe-Ito palette, distinguishable with the common forms of colour blindness
(Okabe & Ito 2008); the same list is the theme's categorical palette (.streamlit/config.toml).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
LAYOUT = dict(margin=dict(l=8, r=8, t=48, b=8), hovermode="x unified",
              legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0))


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
