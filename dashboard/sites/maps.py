"""pydeck map builders (pure): data in; layers, legends and Decks out. Pages only render them.

Offline first: no token, no CDN. Every map draws its own base layers (basemap.py: the DRC and
its neighbours, the provinces, main rivers and towns, from dashboard/geodata/), plus the
boundaries layer the user loaded, so sites never float on white when basemap tiles cannot
load. Online, the basemap is Carto's light style, which needs no token; ``basemap="none"``
never asks for tiles at all (a deployment that must not reveal where its users look).

Payload: pydeck sends every layer's data as JSON on each rerun, so a site point carries only
what the map draws and its tooltip shows, with coordinates rounded to 0.001 degree (~110 m).
Density mode sends positions only and lets deck.gl aggregate them into hexagons.

Colours are colour-blind safe: Okabe-Ito blue and orange for programme and comparison sites;
ColorBrewer's RdYlBu (4 classes) from blue (fine) to red (needs attention) for indicators;
ColorBrewer's YlGnBu for density.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import html
import json
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from dashboard import i18n
from dashboard.charts import BLUE, ORANGE, rgb
from dashboard.sites.basemap import base_layers

STATUS_COLOURS = {"programme": rgb(BLUE), "comparison": rgb(ORANGE)}
GOOD_TO_BAD = ([44, 123, 182], [171, 217, 233], [253, 174, 97], [215, 25, 28])
NO_DATA = [160, 160, 160]
# YlGnBu without its palest class, which vanishes on a light basemap
DENSITY_COLOURS = ([199, 233, 180], [127, 205, 187], [65, 182, 196], [29, 145, 192],
                   [34, 94, 168], [12, 44, 132])
DENSITY_RADIUS_M = 4_000
# IPIS's workforce bands (diggers at the last visit): 1-49, 50-499, 500+; radius in pixels,
# so the circles stay readable at every zoom
WORKFORCE_BANDS = ((0, 49, 4), (50, 499, 7), (500, None, 11))
UNKNOWN_WORKFORCE_RADIUS = 3
DRC_CENTRE = (-4.0, 23.6)
TOOLTIP_HTML = "<b>{name}</b><br/>{l1}<br/>{l2}<br/>{l3}"
TOOLTIP_STYLE = {"fontSize": "13px", "maxWidth": "340px"}
MODES = ("points", "density")
PIXELS = pdk.types.String("pixels")  # a plain string would be read as an expression
BASEMAPS = ("carto", "none")


# -- what the colour shows ------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    """An indicator the map can colour sites by (a column of queries/map_sites.sql).

    ``edges`` split values into classes: v is in class i when edges[i-1] <= v < edges[i].
    ``unit`` says how values read: count, share (0..1) or days; ``status`` is categorical.
    ``window_months``: the value covers the months up to the period end, not one date.
    """

    key: str
    edges: tuple[float, ...] = ()
    direction: str = "lower_is_better"
    unit: str = "count"
    n_column: str | None = None
    date_column: str | None = None
    window_months: int | None = None

    @property
    def column(self) -> str:
        return self.key


MEASURES = {m.key: m for m in (
    Measure("programme_status", unit="status", date_column="enrolled_on"),
    Measure("children_last_visit", (1, 5, 20), "lower_is_better", "count",
            date_column="last_visit_on"),
    Measure("fatal_incidents_12m", (1, 2, 3), "lower_is_better", "count",
            n_column="incidents_12m", window_months=12),
    Measure("fair_share_12m", (0.25, 0.5, 0.75), "higher_is_better", "share",
            n_column="lots_12m", window_months=12),
    Measure("income_vs_living", (0.7, 0.85, 1.0), "higher_is_better", "share",
            n_column="households", date_column="round_from"),
    Measure("days_since_last_visit", (31, 91, 181), "lower_is_better", "days",
            date_column="last_visit_on"),
)}


def class_of(value: float | None, measure: Measure) -> int | None:
    """The class index of ``value`` (0 = lowest values), None when there is no value."""
    if _missing(value):
        return None
    return bisect.bisect_right(measure.edges, value)


def class_colour(index: int | None, measure: Measure) -> list[int]:
    if index is None:
        return NO_DATA
    classes = len(measure.edges) + 1
    rank = index if measure.direction == "lower_is_better" else classes - 1 - index
    return GOOD_TO_BAD[round(rank * (len(GOOD_TO_BAD) - 1) / (classes - 1))]


def colours(values: pd.Series, measure: Measure) -> list[list[int]]:
    if measure.unit == "status":
        return [STATUS_COLOURS.get(v, NO_DATA) for v in values]
    return [class_colour(class_of(v, measure), measure) for v in values]


def class_labels(measure: Measure, language: str) -> list[str]:
    """'0', '1–4', '5–19', '20 or more'; 'under 25%', '25–50%', ..., '75% or more'."""
    edges = measure.edges
    if measure.unit == "share":
        def pct(v: float) -> str:
            return i18n.percent(v, language)
        return ([i18n.translate(language, "maps.under", value=pct(edges[0]))]
                + [f"{pct(lo)}–{pct(hi)}" for lo, hi in zip(edges, edges[1:])]
                + [i18n.translate(language, "maps.or_more", value=pct(edges[-1]))])
    bounds = [0, *edges]
    labels = []
    for lo, hi in zip(bounds, edges):
        first, last = int(lo), int(hi) - 1
        labels.append(i18n.number(first, language) if first == last
                      else f"{i18n.number(first, language)}–{i18n.number(last, language)}")
    labels.append(i18n.translate(language, "maps.or_more",
                                 value=i18n.number(edges[-1], language)))
    return labels


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: list[int]
    count: int


def legend(values: pd.Series, measure: Measure, language: str,
           status_labels: dict[str, str] | None = None) -> list[LegendEntry]:
    """What each colour means, in value order, with how many shown sites have it."""
    if measure.unit == "status":
        labels = status_labels or {}
        return [LegendEntry(labels.get(s, s), colour, int((values == s).sum()))
                for s, colour in STATUS_COLOURS.items()]
    indices = [class_of(v, measure) for v in values]
    entries = [LegendEntry(label, class_colour(i, measure), indices.count(i))
               for i, label in enumerate(class_labels(measure, language))]
    missing = indices.count(None)
    if missing:
        entries.append(LegendEntry(i18n.translate(language, "maps.no_data"), NO_DATA, missing))
    return entries


def workforce_radius(workers: float | None) -> int:
    """The circle radius in pixels for a site's workforce band."""
    if _missing(workers):
        return UNKNOWN_WORKFORCE_RADIUS
    for low, high, radius in WORKFORCE_BANDS:
        if workers >= low and (high is None or workers <= high):
            return radius
    return UNKNOWN_WORKFORCE_RADIUS


def size_legend(language: str) -> list[tuple[str, int]]:
    """(label, radius in pixels) per workforce band, as the map draws them."""
    labels = []
    for low, high, radius in WORKFORCE_BANDS:
        low = max(low, 1)
        text = (f"{i18n.number(low, language)}–{i18n.number(high, language)}" if high
                else i18n.translate(language, "maps.or_more", value=i18n.number(low, language)))
        labels.append((text, radius))
    labels.append((i18n.translate(language, "maps.no_visit"), UNKNOWN_WORKFORCE_RADIUS))
    return labels


# -- site points ----------------------------------------------------------------------------

def site_points(sites: pd.DataFrame, measure_key: str, language: str, end: dt.date,
                status_labels: dict[str, str]) -> pd.DataFrame:
    """One row per site, only what the map draws and its tooltip shows.

    ``sites`` is a ``map_sites`` result; ``end`` is the period end (the 12-month windows end
    there). Columns: id, name, lon, lat, r (radius, px), fill ([r, g, b]), l1-l3 (tooltip).
    """
    measure = MEASURES[measure_key]
    formats = Formats(language)
    l1 = [" · ".join(str(v) for v in (p, c) if not _missing(v))
          for p, c in zip(sites["province"], sites["cooperative"])]
    l2 = [formats.text("maps.last_visit", date=formats.day(v)) if not _missing(v)
          else formats.text("maps.no_visit") for v in sites["last_visit_on"]]
    # a cell the viewer's role may not see (dashboard.privacy) says why: "<5", "n<25"
    hidden = sites.attrs.get("hidden") or {}
    l3 = [formats.text("maps.measure_line", name=formats.measure_names[measure.key],
                       value=hidden[(index, measure.column)])
          if (index, measure.column) in hidden
          else _measure_line(measure, row, formats, end, status_labels)
          for index, row in zip(sites.index, sites.to_dict("records"))]
    points = pd.DataFrame({
        "id": sites["site_id"].to_numpy(),
        "name": sites["name"].to_numpy(),
        "lon": sites["lon"].round(3).to_numpy(),
        "lat": sites["lat"].round(3).to_numpy(),
        "r": [workforce_radius(w) for w in sites["workers_last_visit"]],
        "fill": colours(sites[measure.column], measure),
        "l1": l1, "l2": l2, "l3": l3,
    })
    # deck.gl draws in data order: sites that need attention last, so they stay visible
    order = sorted(range(len(points)), key=lambda i: _attention(points["fill"].iat[i]))
    return points.iloc[order].reset_index(drop=True)


def _attention(colour: list[int]) -> int:
    """-1 for no data, then 0 (fine) to 3 (needs attention); status colours count as 0."""
    if colour == NO_DATA:
        return -1
    return GOOD_TO_BAD.index(colour) if colour in GOOD_TO_BAD else 0


def measure_name(measure_key: str, language: str, short: bool = False) -> str:
    """The indicator's full name (legends, tooltips) or its short one (pickers, tables)."""
    return i18n.translate(language, f"maps.{'short' if short else 'measure'}_{measure_key}")


def _measure_line(measure: Measure, row: dict, formats: Formats, end: dt.date,
                  status_labels: dict[str, str]) -> str:
    if measure.unit == "status":
        status = status_labels.get(row["programme_status"], row["programme_status"])
        enrolled = row.get("enrolled_on")
        if _missing(enrolled):
            return status
        return formats.text("maps.enrolled_since", status=status, date=formats.day(enrolled))
    details = []
    if measure.n_column:
        n = row[measure.n_column]
        details.append(formats.text(f"maps.n_{measure.n_column}",
                                    n=formats.number(0 if _missing(n) else int(n))))
    if measure.window_months:
        details.append(formats.text("maps.window", end=formats.day(end)))
    elif measure.date_column and not _missing(row[measure.date_column]):
        details.append(formats.day(row[measure.date_column]))
    suffix = f" ({', '.join(details)})" if details else ""
    return formats.text("maps.measure_line", name=formats.measure_names[measure.key],
                        value=format_measure(row[measure.column], measure, formats) + suffix)


def format_measure(value, measure: Measure, formats: Formats) -> str:
    if _missing(value):
        return formats.text("maps.no_data")
    if measure.unit == "share":
        return formats.percent(value)
    return formats.number(value)


class Formats:
    """The i18n formats a map needs, memoised per call: babel reads its locale data on every
    call, and a sector map formats thousands of the same days, counts and whole percents."""

    def __init__(self, language: str):
        self.language = language
        self.measure_names = {key: measure_name(key, language, short=True) for key in MEASURES}
        self._day = functools.cache(lambda day: i18n.date(day, language))
        self._number = functools.cache(lambda value: i18n.number(value, language))
        self._percent = functools.cache(lambda whole: i18n.percent(whole / 100, language))

    def text(self, key: str, **values) -> str:
        return i18n.translate(self.language, key, **values)

    def day(self, value) -> str:
        return self._day(pd.Timestamp(value).date())

    def number(self, value) -> str:
        return self._number(value)

    def percent(self, share: float) -> str:
        # the whole percent babel would show (it rounds the decimal value half to even)
        whole = Decimal(str(share)).scaleb(2).quantize(Decimal(1), ROUND_HALF_EVEN)
        return self._percent(int(whole))


def _missing(value) -> bool:
    """None, NaN, NaT or pandas' NA (a nullable column: a site never visited in the period)."""
    return value is None or value is pd.NaT or value is pd.NA or (
        isinstance(value, float) and math.isnan(value))


# -- layers ---------------------------------------------------------------------------------

def points_layer(points: pd.DataFrame) -> pdk.Layer:
    return pdk.Layer(
        "ScatterplotLayer", data=points, id="sites", get_position="[lon, lat]",
        get_radius="r", radius_units=PIXELS, get_fill_color="fill", opacity=0.9,
        pickable=True, auto_highlight=True, stroked=True, get_line_color=[40, 40, 40],
        line_width_min_pixels=1)


def density_layer(points: pd.DataFrame) -> pdk.Layer:
    return pdk.Layer(
        # each site as {"p": [lon, lat]}: 3,000 sites are sent on every rerun, and
        # {"lon": .., "lat": ..} spelled the names out in each
        "HexagonLayer", data=pd.DataFrame({"p": points[["lon", "lat"]].to_numpy().tolist()}),
        id="density", get_position="p",
        radius=DENSITY_RADIUS_M, coverage=0.9, extruded=False, opacity=0.75,
        color_range=[list(c) for c in DENSITY_COLOURS], pickable=False)


def boundaries_layer(boundaries: pd.DataFrame) -> pdk.Layer:
    """Outlines of a loaded boundaries layer (``map_boundaries`` rows)."""
    return pdk.Layer(
        "GeoJsonLayer", data=feature_collection(boundaries, lambda row: {"name": row["name"]}),
        id="boundaries", stroked=True, filled=False, get_line_color=[70, 70, 70, 220],
        line_width_min_pixels=1.5, pickable=False)


def permits_layer(permits: pd.DataFrame, language: str) -> pdk.Layer:
    """Mining permits (``map_permits`` or ``site_permits`` rows), hover shows code and holder."""
    day = Formats(language).day

    def properties(row: dict) -> dict:
        granted = day(row["granted_on"]) if not _missing(row["granted_on"]) else "–"
        expires = day(row["expires_on"]) if not _missing(row["expires_on"]) else "–"
        kind = " · ".join(str(v) for v in (row["licence_type"], row["status"])
                          if not _missing(v))
        return {
            "name": i18n.translate(language, "maps.permit_name", code=row["permit_code"],
                                   holder=row["holder"] if not _missing(row["holder"]) else "–"),
            "l1": kind or "–",
            "l2": row["resources"] if not _missing(row["resources"]) else "–",
            "l3": i18n.translate(language, "maps.permit_dates", granted=granted,
                                 expires=expires),
        }
    return pdk.Layer(
        "GeoJsonLayer", data=feature_collection(permits, properties), id="permits",
        stroked=True, filled=True, get_fill_color=[204, 121, 167, 35],
        get_line_color=[150, 60, 120, 200], line_width_min_pixels=1, pickable=True,
        auto_highlight=True, highlight_color=[204, 121, 167, 90])


def feature_collection(frame: pd.DataFrame, properties) -> dict:
    """A GeoJSON FeatureCollection from rows with a ``geojson`` geometry column."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(row["geojson"]),
         "properties": properties(row)}
        for row in frame.to_dict("records")]}


# -- decks ----------------------------------------------------------------------------------

class CompactDeck(pdk.Deck):
    """A Deck serialised without indentation.

    Streamlit sends ``deck.to_json()`` to the browser on every rerun, and pydeck indents it by
    two spaces per level: for GeoJSON that made the payload four to six times larger
    (benchmarks/bench_map.py prints both).
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize,
                          separators=(",", ":"))


def fitted_view(lons: pd.Series, lats: pd.Series, *, max_zoom: float = 11.0) -> pdk.ViewState:
    """A view that shows every point (the whole DRC when there are none)."""
    if len(lons) == 0:
        return pdk.ViewState(latitude=DRC_CENTRE[0], longitude=DRC_CENTRE[1], zoom=4)
    west, east, south, north = lons.min(), lons.max(), lats.min(), lats.max()
    # deck.gl's world is 512 px wide at zoom 0; the map is about 800 x 560 px
    span = max(east - west, (north - south) * 1.5, 0.02)
    zoom = min(max(math.log2(360 / span) + 0.2, 3.0), max_zoom)
    return pdk.ViewState(latitude=float((north + south) / 2), longitude=float((east + west) / 2),
                         zoom=round(zoom, 2))


def deck(layers: list[pdk.Layer], view: pdk.ViewState, basemap: str = "carto",
         provinces: bool = True) -> pdk.Deck:
    """A Deck over the base layers; ``basemap`` "carto" (light, no token) or "none";
    ``provinces=False`` leaves the shipped province lines out (a loaded layer replaces them)."""
    if basemap not in BASEMAPS:
        raise ValueError(f"Unknown basemap '{basemap}' (use {' or '.join(BASEMAPS)})")
    # no provider and pydeck's own "no style" sentinel: a null style makes Streamlit's
    # frontend fetch Carto's positron style, the one request "none" must not make
    options = {"map_style": None} if basemap == "carto" else {"map_provider": None}
    return CompactDeck(layers=[*base_layers(provinces), *layers], initial_view_state=view,
                    tooltip={"html": TOOLTIP_HTML, "style": TOOLTIP_STYLE}, **options)


def sites_deck(points: pd.DataFrame, *, mode: str = "points",
               boundaries: pd.DataFrame | None = None, permits: pd.DataFrame | None = None,
               language: str = "en", basemap: str = "carto") -> pdk.Deck:
    """The sites map: base, boundaries, permits (each when given), then the sites."""
    if mode not in MODES:
        raise ValueError(f"Unknown map mode '{mode}' (use {' or '.join(MODES)})")
    layers = []
    loaded_boundaries = boundaries is not None and len(boundaries) > 0
    if loaded_boundaries:
        layers.append(boundaries_layer(boundaries))
    if permits is not None and len(permits):
        layers.append(permits_layer(permits, language))
    layers.append(points_layer(points) if mode == "points" else density_layer(points))
    return deck(layers, fitted_view(points["lon"], points["lat"]), basemap,
                provinces=not loaded_boundaries)


def locator_deck(site: pd.DataFrame, permits: pd.DataFrame | None, language: str,
                 basemap: str = "carto") -> pdk.Deck:
    """One site (a ``site_points`` row) on the permits it lies on, zoomed in."""
    layers = []
    if permits is not None and len(permits):
        layers.append(permits_layer(permits, language))
    layers.append(points_layer(site))
    view = pdk.ViewState(latitude=float(site["lat"].iloc[0]),
                         longitude=float(site["lon"].iloc[0]), zoom=10.5)
    return deck(layers, view, basemap)


# -- legends --------------------------------------------------------------------------------

def legend_html(title: str, entries: list[LegendEntry], sizes: list[tuple[str, int]] | None = None,
                size_title: str | None = None) -> str:
    """The colour (and size) legend as a small HTML block; counts in brackets."""
    swatches = "".join(
        f'<span style="white-space:nowrap;margin-right:14px">'
        f'{_dot(entry.colour, 6)} {html.escape(entry.label)} '
        f'<span style="color:#666">({entry.count})</span></span> '
        for entry in entries)
    parts = [f'<div style="line-height:1.9"><b>{html.escape(title)}</b><br/>{swatches}</div>']
    if sizes:
        circles = "".join(
            f'<span style="white-space:nowrap;margin-right:14px">'
            f'{_dot([255, 255, 255], radius)} {html.escape(label)}</span> '
            for label, radius in sizes)
        parts.append(f'<div style="line-height:2.2"><b>{html.escape(size_title or "")}</b>'
                     f'<br/>{circles}</div>')
    return "".join(parts)


def density_legend_html(title: str, fewer: str, more: str) -> str:
    ramp = "".join(_dot(c, 7, square=True) for c in DENSITY_COLOURS)
    return (f'<div style="line-height:1.9"><b>{html.escape(title)}</b><br/>'
            f'{html.escape(fewer)} {ramp} {html.escape(more)}</div>')


def _dot(colour: list[int], radius: int, square: bool = False) -> str:
    r, g, b = colour[:3]
    shape = "2px" if square else "50%"
    return (f'<span style="display:inline-block;vertical-align:middle;width:{2 * radius}px;'
            f'height:{2 * radius}px;border-radius:{shape};background:rgb({r},{g},{b});'
            f'border:1px solid #282828"></span>')
