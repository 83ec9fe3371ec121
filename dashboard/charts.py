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

import numpy as np
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
        hover = f"%{{y:{y_format}}}<extra>%{{fullData.name}}</extra>" if y_format else None
        figure.add_trace(go.Bar(x=rows[x], y=rows[y], name=label, marker_color=tint,
                                hovertemplate=hover, meta={"series": y, "group": name}))
    figure.update_layout(title=title, barmode="stack", yaxis_title=y_title,
                         yaxis_tickformat=y_format, separators=i18n.separators(language), **LAYOUT)
    return figure


# Plotly reads a subset of HTML in every label it draws (legend names, ticks, hover texts),
# links included: a site named '<a href="https://...">' would become a link. These are the
# trace fields that carry data; templates and titles are the code's own.
DATA_FIELDS = ("name", "text", "hovertext", "x", "y", "labels", "customdata")
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def data_as_text(figure: go.Figure) -> go.Figure:
    """``figure`` with every text that came from data shown as its characters, not as HTML;
    and, as every chart passes here on its way to the page, its day-only dates sent as days."""
    for trace in figure.data:
        for field in ("x", "y"):
            if field in trace and trace[field] is not None:
                trace[field] = days(trace[field])
        for field in DATA_FIELDS:
            if field in trace and trace[field] is not None:
                trace[field] = _as_text(trace[field])
    return figure


def days(values):
    """Dates at midnight as "YYYY-MM-DD" (plotly sends a date as "2024-01-01T00:00:00.000000",
    28 characters: most of a monthly series' bytes); the same points on a date axis."""
    if not isinstance(values, np.ndarray) or values.dtype.kind != "M" or not values.size:
        return values
    if np.isnat(values).any() or (values != values.astype("datetime64[D]")).any():
        return values
    return np.datetime_as_string(values, unit="D").astype(object)


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
