"""Figures of the problem-site screening (pure): the funnel plot and the map of flagged sites.

Colours are Okabe-Ito (dashboard.charts.PALETTE): vermillion for a site beyond the 99.8% limit
on the worse side and for high severity, orange for the 95% limit and medium severity, sky blue
for low severity, bluish green for better than expected, grey for the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from dashboard import i18n
from dashboard.charts import BLACK, BLUISH_GREEN, ORANGE, SKY_BLUE, VERMILLION, rgb
from dashboard.screening.statistics import Assessment
from dashboard.sites import maps

GREY = "#999999"  # the sites within the limits, and the 95% limits
STATUS_COLOURS = {"worse_998": VERMILLION, "worse_95": ORANGE, "within": GREY,
                  "better_95": BLUISH_GREEN, "better_998": BLUISH_GREEN}
SEVERITY_COLOURS = {"high": rgb(VERMILLION), "medium": rgb(ORANGE), "low": rgb(SKY_BLUE)}
# radius in pixels, as the sites map draws its circles
SEVERITY_RADIUS_PX = {"high": 11, "medium": 8, "low": 5}
# what the funnel sends (pure bytes: every figure on screen is the same): the limits are smooth
# curves, CURVE_POINTS points draw them; values are rounded to DECIMALS places, finer than
# the hover shows (0.1 point of a percentage, 0.1 of a rate)
CURVE_POINTS = 100
DECIMALS = {True: 5, False: 3}  # percent or not


def funnel(assessment: Assessment, names: pd.Series, labels: dict[str, str], *,
           title: str, y_title: str, x_title: str, percent: bool,
           language: str = "en") -> go.Figure:
    """The funnel plot of one measure: each site at its n, the target and the limits.

    ``names`` maps site ids to names. ``labels`` gives the legend and hover texts: ``target``,
    ``limit_95``, ``limit_998``, one per status of ``screening.STATUSES``, ``not_ranked``,
    ``shrunk``, ``open`` (the hint that a click opens the site). Every site point carries its
    site id as ``customdata[0]``, so a selection names the site.
    """
    figure = go.Figure()
    curve = thinned(assessment.curve, CURVE_POINTS)
    y_format = ".1%" if percent else ",.1f"
    decimals = DECIMALS[bool(percent)]
    if not curve.empty:
        for coverage, dash, width in (("95", "dash", 1.2), ("998", "solid", 1.6)):
            for side in ("low", "high"):
                figure.add_trace(go.Scatter(
                    x=curve["n"].round(2),
                    y=curve[f"limit_{coverage}_{side}"].round(decimals), mode="lines",
                    name=labels[f"limit_{coverage}"], legendgroup=f"limit_{coverage}",
                    showlegend=side == "high", hoverinfo="skip",
                    line=dict(color=BLACK if coverage == "998" else GREY, dash=dash, width=width),
                    meta={"line": f"limit_{coverage}_{side}"}))
        figure.add_trace(go.Scatter(
            x=[curve["n"].min(), curve["n"].max()], y=[assessment.target] * 2, mode="lines",
            name=labels["target"], hoverinfo="skip", line=dict(color=BLACK, width=1, dash="dot"),
            meta={"line": "target"}))
    sites = assessment.sites.assign(name=lambda f: f["site_id"].map(names).fillna(f["site_id"]))
    for status in ("worse_998", "worse_95", "within", "better_95", "better_998"):
        group = sites[sites["status"] == status]
        if group.empty:
            continue
        symbols = np.where(group["ranked"], "circle", "circle-open")
        figure.add_trace(go.Scatter(
            x=_narrow(group["n"]), y=group["value"].round(decimals).astype(np.float32),
            mode="markers", name=labels[status],
            marker=dict(color=STATUS_COLOURS[status], size=10,
                        # one symbol for the whole group when all share it
                        symbol=symbols[0] if len(set(symbols)) == 1 else symbols,
                        line=dict(color="white", width=0.5)),
            customdata=np.column_stack([
                group["site_id"].to_numpy(dtype=object), group["name"].to_numpy(dtype=object),
                *(_short(group[column], decimals) for column in ("estimate", "lower", "upper")),
                np.where(group["ranked"], "", labels["not_ranked"]).astype(object)]),
            hovertemplate=(f"<b>%{{customdata[1]}}</b><br>%{{y:{y_format}}} (n = %{{x:,.0f}})"
                           f"<br>{labels['shrunk']}: %{{customdata[2]:{y_format}}} "
                           f"(%{{customdata[3]:{y_format}}} – %{{customdata[4]:{y_format}}})"
                           f"<br>%{{customdata[5]}}<i>{labels['open']}</i><extra></extra>"),
            meta={"status": status}))
    figure.update_layout(
        title=title, xaxis=dict(title=x_title, type="log"),
        yaxis=dict(title=y_title, tickformat=".0%" if percent else None, rangemode="tozero"),
        hovermode="closest", clickmode="event+select", height=540,
        separators=i18n.separators(language),
        margin=dict(l=8, r=8, t=48, b=8),
        legend=dict(orientation="h", yanchor="top", y=-0.24, xanchor="left", x=0))
    figure.update_xaxes(title_standoff=4)
    return figure


def thinned(curve: pd.DataFrame, points: int) -> pd.DataFrame:
    """At most ``points`` rows of ``curve``, evenly spread, its first and last kept."""
    if len(curve) <= points:
        return curve
    return curve.iloc[np.unique(np.linspace(0, len(curve) - 1, points).round().astype(int))]


def _short(values: pd.Series, decimals: int) -> np.ndarray:
    """``values`` rounded, as numbers (a missing one as the text "nan", as it always was)."""
    return np.array([float(v) if pd.notna(v) else "nan" for v in values.round(decimals)],
                    dtype=object)


def _narrow(n: pd.Series) -> np.ndarray:
    """Site sizes as 32-bit integers when they are whole (counts), else as they are."""
    values = n.to_numpy(dtype=float)
    whole = np.isfinite(values).all() and (values == np.round(values)).all() \
        and np.abs(values).max(initial=0) < 2**31
    return values.astype(np.int32) if whole else values


def flag_points(table: pd.DataFrame) -> pd.DataFrame:
    """The flagged sites as points for the sites map's builder (dashboard.sites.maps): coordinates
    rounded to about 100 m, coloured and sized by severity, the tooltip's lines filled with the
    province, the severity and the flags."""
    return pd.DataFrame({
        "id": table["site_id"].to_numpy(),
        "name": table["name"].to_numpy(),
        "lon": table["lon"].astype(float).round(3).to_numpy(),
        "lat": table["lat"].astype(float).round(3).to_numpy(),
        "r": table["severity"].map(SEVERITY_RADIUS_PX).to_numpy(),
        "fill": table["severity"].map(SEVERITY_COLOURS).to_numpy(),
        "l1": table["province"].to_numpy(),
        "l2": table["severity_name"].to_numpy(),
        "l3": table["flags"].map(lambda names: "<br/>".join(names)).to_numpy(),
    })


def flags_deck(points: pd.DataFrame, basemap: str = "carto") -> pdk.Deck:
    """The map of flagged sites, drawn over the sites map's own base layer."""
    return maps.sites_deck(points, basemap=basemap)
