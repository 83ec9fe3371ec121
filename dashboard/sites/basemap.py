"""The maps' own base layers (pure pydeck builders), drawn under the sites from files shipped in
dashboard/geodata/ (README.md there gives their sources, licences and rebuild recipe):

- countries.geojson: the DRC, lightly tinted, and its neighbours' outlines (Natural Earth);
- province_lines.geojson: the lines between the 26 provinces; lines inside a province split in
  2015 are approximate and drawn lighter (Natural Earth, GeoNames);
- rivers.geojson: the main rivers (CIA World Data Bank II, via GSHHG);
- towns.geojson: province capitals, large towns and mining towns, as dots and names (GeoNames).

So a map reads offline anywhere in the DRC, whether or not basemap tiles load. The files are read
once per process; each layer's payload is a few tens of kilobytes.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import pydeck as pdk

GEODATA = Path(__file__).parents[1] / "geodata"
COUNTRIES_FILE = GEODATA / "countries.geojson"
PROVINCE_LINES_FILE = GEODATA / "province_lines.geojson"
RIVERS_FILE = GEODATA / "rivers.geojson"
TOWNS_FILE = GEODATA / "towns.geojson"
PIXELS = pdk.types.String("pixels")  # a plain string would be read as an expression
EXACT_LINE, APPROXIMATE_LINE = [110, 110, 110, 210], [150, 150, 150, 130]
RIVER = [92, 146, 196, 200]
TOWN, TOWN_NAME, TOWN_OUTLINE = [60, 60, 60, 230], [45, 45, 45, 255], [255, 255, 255, 230]


@functools.cache
def countries() -> str:
    """The countries file's GeoJSON text (read once per process)."""
    return COUNTRIES_FILE.read_text()


@functools.cache
def _collection(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# the layers' data, parsed and styled once per process: shared, never changed in place
@functools.cache
def _countries_data() -> dict:
    collection = json.loads(countries())
    for feature in collection["features"]:
        home = feature["properties"]["iso_a3"] == "COD"
        feature["properties"]["fill"] = [238, 232, 213, 110] if home else [0, 0, 0, 0]
        feature["properties"]["line"] = [90, 90, 90, 255] if home else [150, 150, 150, 255]
        feature["properties"]["width"] = 2 if home else 1
    return collection


def countries_layer() -> pdk.Layer:
    """The DRC (lightly tinted) and its neighbours' outlines."""
    return pdk.Layer(
        "GeoJsonLayer", data=_countries_data(), id="base", stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color="properties.line",
        get_line_width="properties.width", line_width_units=PIXELS, pickable=False)


@functools.cache
def _province_lines_data() -> dict:
    collection = json.loads(_collection(PROVINCE_LINES_FILE))
    for feature in collection["features"]:
        exact = feature["properties"]["exact"]
        feature["properties"] = {"line": EXACT_LINE if exact else APPROXIMATE_LINE,
                                 "width": 1.2 if exact else 0.8}
    return collection


@functools.cache
def _rivers_data() -> dict:
    return json.loads(_collection(RIVERS_FILE))


def province_lines_layer() -> pdk.Layer:
    """Lines between provinces: exact ones darker, approximate ones lighter and thinner."""
    return pdk.Layer(
        "GeoJsonLayer", data=_province_lines_data(), id="provinces", stroked=True, filled=False,
        get_line_color="properties.line", get_line_width="properties.width",
        line_width_units=PIXELS, pickable=False)


def rivers_layer() -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer", data=_rivers_data(), id="rivers", stroked=True,
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
