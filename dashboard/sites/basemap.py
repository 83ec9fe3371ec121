"""The maps' own base layers (pure pydeck builders), drawn under the sites from files shipped with
the app (dashboard/geodata/README.md gives their sources, licences and rebuild recipe):

- countries.geojson: the DRC, lightly tinted, and its neighbours' outlines (Natural Earth);
- province_lines.geojson: the lines between the 26 provinces; lines inside a province split in
  2015 are approximate and drawn lighter (Natural Earth, GeoNames);
- rivers.geojson: the main rivers (CIA World Data Bank II, via GSHHG);
- towns.geojson: province capitals, large towns and mining towns, as dots and names (GeoNames).

So a map reads offline anywhere in the DRC, whether or not basemap tiles load. The first three
(100 kB together) are in dashboard/static/, which the server serves as files
(``server.enableStaticServing``): a map names them by URL and the browser fetches them once and
keeps them, instead of receiving them inside every map on every rerun. Their styles are
expressions deck.gl evaluates on each feature's properties.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import pydeck as pdk

GEODATA = Path(__file__).parents[1] / "geodata"
STATIC = Path(__file__).parents[1] / "static"  # served at app/static/ (Streamlit's rule)
COUNTRIES_FILE = STATIC / "countries.geojson"
PROVINCE_LINES_FILE = STATIC / "province_lines.geojson"
RIVERS_FILE = STATIC / "rivers.geojson"
TOWNS_FILE = GEODATA / "towns.geojson"
PIXELS = pdk.types.String("pixels")  # a plain string would be read as an expression
DRC_FILL, NEIGHBOUR_FILL = [238, 232, 213, 110], [0, 0, 0, 0]
DRC_LINE, NEIGHBOUR_LINE = [90, 90, 90, 255], [150, 150, 150, 255]
EXACT_LINE, APPROXIMATE_LINE = [110, 110, 110, 210], [150, 150, 150, 130]
RIVER = [92, 146, 196, 200]
TOWN, TOWN_NAME, TOWN_OUTLINE = [60, 60, 60, 230], [45, 45, 45, 255], [255, 255, 255, 230]


def static_url(path: Path) -> str:
    """The address a browser fetches a file of dashboard/static/ from, relative to the page
    (so it holds under a ``server.baseUrlPath`` too)."""
    return f"app/static/{path.relative_to(STATIC).as_posix()}"


def _either(condition: str, yes: object, no: object) -> str:
    """A deck.gl accessor expression: ``yes`` where ``condition`` holds, else ``no``."""
    return f"{condition} ? {json.dumps(yes)} : {json.dumps(no)}"


@functools.cache
def countries() -> str:
    """The countries file's GeoJSON text (read once per process)."""
    return COUNTRIES_FILE.read_text()


@functools.cache
def _collection(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def countries_layer() -> pdk.Layer:
    """The DRC (lightly tinted) and its neighbours' outlines."""
    home = "properties.iso_a3 === 'COD'"
    return pdk.Layer(
        "GeoJsonLayer", data=static_url(COUNTRIES_FILE), id="base", stroked=True, filled=True,
        get_fill_color=_either(home, DRC_FILL, NEIGHBOUR_FILL),
        get_line_color=_either(home, DRC_LINE, NEIGHBOUR_LINE),
        get_line_width=_either(home, 2, 1), line_width_units=PIXELS, pickable=False)


def province_lines_layer() -> pdk.Layer:
    """Lines between provinces: exact ones darker, approximate ones lighter and thinner."""
    return pdk.Layer(
        "GeoJsonLayer", data=static_url(PROVINCE_LINES_FILE), id="provinces", stroked=True,
        filled=False, get_line_color=_either("properties.exact", EXACT_LINE, APPROXIMATE_LINE),
        get_line_width=_either("properties.exact", 1.2, 0.8), line_width_units=PIXELS,
        pickable=False)


def rivers_layer() -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer", data=static_url(RIVERS_FILE), id="rivers", stroked=True,
        filled=False, get_line_color=RIVER, get_line_width=1, line_width_units=PIXELS,
        pickable=False)


@functools.cache
def towns() -> pd.DataFrame:
    """One row per town: name, province, population, capital, lon, lat."""
    features = json.loads(_collection(TOWNS_FILE))["features"]
    return pd.DataFrame([{**f["properties"], "lon": f["geometry"]["coordinates"][0],
                          "lat": f["geometry"]["coordinates"][1]} for f in features])


def town_layers() -> list[pdk.Layer]:
    """A dot per town (larger for province capitals) and its name beside it."""
    frame = towns()
    dots = frame[["lon", "lat"]].assign(r=frame["capital"].map({True: 3.5, False: 2.5}))
    names = frame[["name", "lon", "lat"]]
    return [
        pdk.Layer("ScatterplotLayer", data=dots, id="towns", get_position="[lon, lat]",
                  get_radius="r", radius_units=PIXELS, get_fill_color=TOWN, stroked=True,
                  get_line_color=TOWN_OUTLINE, line_width_min_pixels=1, pickable=False),
        pdk.Layer("TextLayer", data=names, id="town_names", get_position="[lon, lat]",
                  get_text="name", get_size=12, size_units=PIXELS, get_color=TOWN_NAME,
                  get_text_anchor=pdk.types.String("start"),
                  get_alignment_baseline=pdk.types.String("center"),
                  get_pixel_offset=[6, 0], character_set=pdk.types.String("auto"),
                  font_settings={"sdf": True}, outline_width=2, outline_color=TOWN_OUTLINE,
                  pickable=False),
    ]


def base_layers(provinces: bool = True) -> list[pdk.Layer]:
    """Everything drawn under the sites. ``provinces=False`` when the user loaded a boundaries
    layer: its lines are the ones to show."""
    return [countries_layer(), *([province_lines_layer()] if provinces else []),
            rivers_layer(), *town_layers()]
