"""Plotly figures of the objective pages (pure): tidy data in, figure out.

Every figure is drawn from one tidy frame that the page also shows as a table and offers as
a CSV, so the download is exactly what the chart shows. Each trace carries
``meta = {"series": ..., "group": ...}`` naming the rows of that frame it draws.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts import LAYOUT, PALETTE, VERMILLION, rgba

REFERENCE_COLOUR = "#555555"
TARGET_COLOUR = VERMILLION


def value_format(kind: str, unit: str) -> str:
    """A d3 format for values of this kind (plotly axis ticks and hovers)."""
    if kind in ("share", "ratio"):
        return ".1%"
    if kind == "rate_per_1000":
        return ",.2f"
    if unit == "tonnes":
        return ",.1f"
    return ",.0f"


def trend(data: pd.DataFrame, *, title: str | None, y_title: str, kind: str, unit: str,
          labels: dict[str, str], n_label: str,
          interval_label: str, bands: bool, language: str = "en",
          design_labels: dict[str, str] | None = None) -> go.Figure:
    """Actual values against baseline, target path and targets.

    ``data`` is ``views.chart_data``, its groups already named for the reader
    (each group is one actual line). ``labels`` names the other series (monthly, baseline,
    target, target_path) and ``interval_label`` the 95% interval.
    Intervals are drawn as a shaded band (``bands``, for monthly values) or as error bars
    (survey rounds). A survey value's hover adds its design effect and effective n, named
    by ``design_labels`` (``deff``, ``n_effective``, and ``within_site`` for a value from a
    single site, whose interval is the within-site one).
    """
    fmt = value_format(kind, unit)
    figure = go.Figure()
    actual = data[data["series"] == "actual"]
    groups = list(dict.fromkeys(actual["group"]))
    for index, group in enumerate(groups):
        rows = actual[actual["group"] == group]
        colour = PALETTE[index % len(PALETTE)]
        name = str(group)
        has_interval = rows["low"].notna().any()
        if has_interval and bands:
            _add_band(figure, rows, colour, group, interval_label)
        figure.add_trace(go.Scatter(
            x=rows["period"], y=rows["value"], name=name, mode="lines+markers", legendgroup=name,
            line=dict(color=colour, width=2.5), marker=dict(size=6),
            error_y=_error_bars(rows, colour) if has_interval and not bands else None,
            customdata=_customdata(rows, design_labels),
            hovertemplate=_hover(fmt, n_label, interval_label if has_interval else None,
                                 design_labels if _has_design(rows) else None),
            meta={"series": "actual", "group": group}))
    _add_monthly(figure, data, labels["monthly"], fmt, n_label)
    _add_references(figure, data, labels, fmt)
    ticks = fmt.replace(".1%", ".0%")  # whole percents on the axis, one decimal on hover
    figure.update_layout(title=title, yaxis_title=y_title, yaxis_tickformat=ticks,
                         separators=i18n.separators(language), **LAYOUT)
    figure.update_yaxes(rangemode="tozero")  # no exaggerated slopes from a cut axis
    return figure


def _has_design(rows: pd.DataFrame) -> bool:
    return "design_effect" in rows and rows["design_effect"].notna().any()


def _customdata(rows: pd.DataFrame, design_labels: dict[str, str] | None):
    columns = rows.reindex(columns=["n", "low", "high", "design_effect", "n_effective"])
    single = rows.get("sites", pd.Series(index=rows.index, dtype=float)) == 1
    note = (design_labels or {}).get("within_site", "")
    columns["note"] = [f"<br>{note}" if one and note else "" for one in single]
    return columns.to_numpy(dtype=object)


def _hover(fmt: str, n_label: str, interval_label: str | None,
           design_labels: dict[str, str] | None = None) -> str:
    text = f"%{{y:{fmt}}} ({n_label} %{{customdata[0]:,.0f}})"
    if interval_label:
        text += f"<br>{interval_label}: %{{customdata[1]:{fmt}}} – %{{customdata[2]:{fmt}}}"
    if design_labels:
        text += (f"<br>{design_labels['deff']} %{{customdata[3]:.2f}}, "
                 f"{design_labels['n_effective']} %{{customdata[4]:,.0f}}%{{customdata[5]}}")
    return text + "<extra>%{fullData.name}</extra>"


def _error_bars(rows: pd.DataFrame, colour: str) -> dict:
    return dict(type="data", symmetric=False, array=(rows["high"] - rows["value"]).to_numpy(),
                arrayminus=(rows["value"] - rows["low"]).to_numpy(), color=colour, thickness=1.2)


def _add_band(figure: go.Figure, rows: pd.DataFrame, colour: str, group: str,
              interval_label: str) -> None:
    figure.add_trace(go.Scatter(
        x=pd.concat([rows["period"], rows["period"][::-1]]),
        y=pd.concat([rows["high"], rows["low"][::-1]]),
        fill="toself", fillcolor=rgba(colour, 0.15), line=dict(width=0), hoverinfo="skip",
        name=interval_label, showlegend=False, meta={"series": "interval", "group": group}))


def _add_monthly(figure: go.Figure, data: pd.DataFrame, label: str, fmt: str,
                 n_label: str) -> None:
    rows = data[data["series"] == "monthly"]
    if rows.empty:
        return
    figure.add_trace(go.Scatter(
        x=rows["period"], y=rows["value"], name=label, mode="markers",
        marker=dict(size=4, color=rgba(REFERENCE_COLOUR, 0.45)),
        customdata=rows[["n"]].to_numpy(),
        hovertemplate=f"%{{y:{fmt}}} ({n_label} %{{customdata[0]:,.0f}})<extra>{label}</extra>",
        meta={"series": "monthly", "group": rows["group"].iloc[0]}))


def _add_references(figure: go.Figure, data: pd.DataFrame, labels: dict[str, str],
                    fmt: str) -> None:
    styles = {
        "baseline": dict(mode="lines", line=dict(color=REFERENCE_COLOUR, dash="dot", width=1.5)),
        "target_path": dict(mode="lines", line=dict(color=TARGET_COLOUR, dash="dash", width=1.5)),
        "target": dict(mode="markers", marker=dict(symbol="star", size=13, color=TARGET_COLOUR,
                                                   line=dict(color="white", width=1))),
    }
    for series, style in styles.items():
        rows = data[data["series"] == series]
        if rows.empty:
            continue
        figure.add_trace(go.Scatter(
            x=rows["period"], y=rows["value"], name=labels[series],
            hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:{fmt}}}<extra>{labels[series]}</extra>",
            meta={"series": series, "group": ""}, **style))


def lines(data: pd.DataFrame, *, x: str, y: str, colour: str, title: str, y_title: str,
          y_format: str, language: str = "en") -> go.Figure:
    """One line of ``y`` over ``x`` per value of ``colour``."""
    figure = go.Figure()
    for index, name in enumerate(dict.fromkeys(data[colour])):
        rows = data[data[colour] == name]
        label = str(name)
        figure.add_trace(go.Scatter(
            x=rows[x], y=rows[y], name=label, mode="lines+markers", marker=dict(size=4),
            line=dict(color=PALETTE[index % len(PALETTE)]),
            hovertemplate=f"%{{y:{y_format}}}<extra>%{{fullData.name}}</extra>",
            meta={"series": y, "group": name}))
    figure.update_layout(title=title, yaxis_title=y_title, yaxis_tickformat=y_format,
                         separators=i18n.separators(language), **LAYOUT)
    return figure
