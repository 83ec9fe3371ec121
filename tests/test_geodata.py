"""The shipped base layers of the DRC (dashboard/geodata/) and the province of a point."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import tomllib

import duckdb
import pandas as pd
import pytest
import shapely
from support import ROOT

from dashboard import db
from dashboard.sites import basemap, maps, provinces

ISO_3166_2_CD = {
    "Bas-Uélé", "Équateur", "Haut-Katanga", "Haut-Lomami", "Haut-Uélé", "Ituri", "Kasaï",
    "Kasaï Central", "Kasaï Oriental", "Kinshasa", "Kongo Central", "Kwango", "Kwilu", "Lomami",
    "Lualaba", "Mai-Ndombe", "Maniema", "Mongala", "Nord-Kivu", "Nord-Ubangi", "Sankuru",
    "Sud-Kivu", "Sud-Ubangi", "Tanganyika", "Tshopo", "Tshuapa"}
GEODATA_FILES = [basemap.COUNTRIES_FILE, basemap.PROVINCE_LINES_FILE, basemap.RIVERS_FILE,
                 basemap.TOWNS_FILE, provinces.PROVINCES_FILE]


@pytest.mark.parametrize("path", GEODATA_FILES, ids=lambda p: p.name)
def test_each_shipped_file_is_small_and_valid_geojson(path):
    assert path.stat().st_size < 200_000
    collection = json.loads(path.read_text(encoding="utf-8"))
    shapes = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
    assert shapes and all(shape.is_valid and not shape.is_empty for shape in shapes)
    west, south, east, north = shapely.union_all(shapes).bounds
    assert west >= 10.5 and east <= 33.0 and south >= -15.0 and north <= 7.0


def test_the_26_provinces_in_their_iso_spelling_tile_the_drc():
    shapes = provinces.provinces()
    assert set(shapes["name"]) == ISO_3166_2_CD and len(shapes) == 26
    union = shapely.union_all(shapes.geometry.values)
    # no overlaps: one answer a point (areas in square degrees, a ratio only)
    assert shapely.area(shapes.geometry.values).sum() - union.area < 1e-5 * union.area
    drc = next(shapely.geometry.shape(f["geometry"]) for f in json.loads(
        basemap.countries())["features"] if f["properties"]["iso_a3"] == "COD")
    assert union.symmetric_difference(drc).area / drc.area < 0.01
    unchanged = set(shapes.loc[shapes["outline"] == "exact", "name"])
    assert unchanged == {"Kinshasa", "Kongo Central", "Maniema", "Nord-Kivu", "Sud-Kivu"}


@pytest.mark.parametrize("town, province", [
    ("Kolwezi", "Lualaba"), ("Fungurume", "Lualaba"), ("Likasi", "Haut-Katanga"),
    ("Lubumbashi", "Haut-Katanga"), ("Kambove", "Haut-Katanga"), ("Bukavu", "Sud-Kivu"),
    ("Uvira", "Sud-Kivu"), ("Goma", "Nord-Kivu"), ("Bunia", "Ituri"), ("Kisangani", "Tshopo"),
    ("Kinshasa", "Kinshasa"), ("Mbuji-Mayi", "Kasaï Oriental"), ("Kananga", "Kasaï Central"),
    ("Kalemie", "Tanganyika"), ("Kindu", "Maniema")])
def test_a_town_lies_in_its_province(town, province):
    row = basemap.towns().set_index("name").loc[town]
    assert provinces.province_at(row["lon"], row["lat"]) == province
    assert row["province"] == province


def test_every_shipped_town_lies_in_the_province_geonames_gives_it():
    towns = basemap.towns()
    found = provinces.provinces_at(towns["lon"], towns["lat"])
    assert list(found["province"]) == list(towns["province"])


def test_a_match_says_whether_its_border_is_exact():
    found = provinces.provinces_at([28.843, 25.467], [-2.491, -10.715])  # Bukavu, Kolwezi
    assert list(found["province"]) == ["Sud-Kivu", "Lualaba"]
    assert list(found["exact"]) == [True, False]


def test_outside_the_drc_or_without_coordinates_there_is_no_province():
    found = provinces.provinces_at([36.8, math.nan, 28.3, 25.0], [-1.3, -10.0, math.nan, -25.0])
    assert list(found["province"]) == [None, None, None, None]
    assert not found["exact"].any()
    assert provinces.province_at(29.36, -1.95) is None  # Kigali


def test_a_point_just_past_the_simplified_outline_still_finds_its_province():
    # Goma's lakeshore, where the outline is simplified to about a kilometre
    assert provinces.province_at(29.236, -1.69) == "Nord-Kivu"


@pytest.mark.parametrize("written, spelled", [
    ("HAUT KATANGA", "Haut-Katanga"), ("haut-katanga ", "Haut-Katanga"),
    ("Kasai-Central", "Kasaï Central"), ("Kasaï central", "Kasaï Central"),
    ("Kongo-Central", "Kongo Central"), ("Bas-Congo", "Kongo Central"),
    ("Haut-Uele", "Haut-Uélé"), ("Equateur", "Équateur"), ("Tanganika", "Tanganyika"),
    ("Katanga", None), ("", None), (None, None)])
def test_province_names_are_read_in_any_usual_spelling(written, spelled):
    assert provinces.canonical_province(written) == spelled


def test_province_names_sort_ignoring_accents():
    names = provinces.province_names()
    assert names[:3] == ["Bas-Uélé", "Équateur", "Haut-Katanga"] and len(names) == 26


def test_base_layers_draw_exact_and_approximate_province_lines_rivers_and_towns():
    layers = {layer.id: json.loads(layer.to_json()) for layer in basemap.base_layers()}
    assert list(layers) == ["base", "provinces", "rivers", "towns", "town_names"]
    assert layers["provinces"]["getLineColor"] == (
        f"@@=properties.exact ? {basemap.EXACT_LINE} : {basemap.APPROXIMATE_LINE}")
    exact = [f["properties"]["exact"] for f in shipped(basemap.PROVINCE_LINES_FILE)]
    assert set(exact) == {True, False}  # the expression's property, a boolean, both kinds
    names = {row["name"] for row in layers["town_names"]["data"]}
    assert {"Kolwezi", "Likasi", "Lubumbashi", "Fungurume", "Kambove", "Bukavu", "Goma", "Bunia",
            "Kisangani", "Kinshasa", "Mbuji-Mayi", "Kananga", "Kalemie", "Uvira"} <= names
    assert layers["town_names"]["characterSet"] == "auto"  # names with accents
    assert "provinces" not in {layer.id for layer in basemap.base_layers(provinces=False)}


def shipped(path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def test_the_large_base_layers_are_fetched_by_url_not_sent_with_every_map():
    layers = {layer.id: json.loads(layer.to_json()) for layer in basemap.base_layers()}
    assert {name: layers[name]["data"] for name in ("base", "provinces", "rivers")} == {
        "base": "app/static/countries.geojson", "provinces": "app/static/province_lines.geojson",
        "rivers": "app/static/rivers.geojson"}
    served = maps.sites_deck(pd.DataFrame(columns=["lon", "lat"])).to_json()
    assert len(served) < 10_000  # the 100 kB of outlines are not in it


def test_the_country_styles_read_a_property_every_country_has():
    countries = shipped(basemap.COUNTRIES_FILE)
    assert sum(f["properties"]["iso_a3"] == "COD" for f in countries) == 1
    fill = json.loads(basemap.countries_layer().to_json())["getFillColor"]
    assert fill == f"@@=properties.iso_a3 === 'COD' ? {basemap.DRC_FILL} : {basemap.NEIGHBOUR_FILL}"


def test_only_public_base_layers_are_served_as_files():
    # the server serves every file of dashboard/static/ to anyone who asks, signed in or not
    assert sorted(path.name for path in basemap.STATIC.rglob("*")) == [
        "countries.geojson", "province_lines.geojson", "rivers.geojson"]
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["enableStaticServing"] is True


# -- sites outside the Copperbelt -----------------------------------------------------------

EAST = {"FCA-9001": ("Kamituga", "Sud-Kivu", -3.06, 28.18),
        "FCA-9002": ("Mongbwalu", "Ituri", 1.95, 30.04),
        "FCA-9003": ("Misisi", "Sud-Kivu", -4.28, 28.93)}


@pytest.fixture
def eastern_db(small_db, tmp_path):
    """The small demo plus three gold sites in the east, one of them without a province."""
    path = tmp_path / "fca.duckdb"
    shutil.copy(small_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("ALTER TABLE sites ALTER COLUMN province DROP NOT NULL")
        for site_id, (name, province, lat, lon) in EAST.items():
            con.execute("INSERT INTO sites (site_id, name, province, lat, lon, site_type, "
                        "programme_status, source) VALUES (?, ?, ?, ?, ?, 'other', "
                        "'comparison', 'IPIS')",
                        [site_id, name, None if name == "Misisi" else province, lat, lon])
    return path


def test_the_province_filter_lists_every_province_with_sites(use_db, eastern_db):
    use_db(eastern_db)
    assert list(db.run("provinces")["province"]) == ["Haut-Katanga", "Ituri", "Lualaba",
                                                     "Sud-Kivu"]


def test_eastern_sites_are_on_the_map_and_the_view_fits_them(use_db, eastern_db):
    use_db(eastern_db)
    period = {"start": dt.date(2020, 1, 1), "end": dt.date(2022, 12, 31)}
    sud_kivu = db.run("map_sites", province="Sud-Kivu", site_id=None, **period)
    assert list(sud_kivu["name"]) == ["Kamituga"]
    everywhere = db.run("map_sites", province=None, site_id=None, **period)
    points = maps.site_points(everywhere, "programme_status", "en", period["end"],
                              {"programme": "Programme", "comparison": "Comparison"})
    view = json.loads(maps.sites_deck(points).to_json())["initialViewState"]
    # the view spans Kolwezi to Mongbwalu, not the Copperbelt alone
    assert -6 < view["latitude"] < -3 and 26 < view["longitude"] < 29 and view["zoom"] < 6
    shown = pd.DataFrame(points).set_index("id")
    assert set(EAST).issubset(shown.index)
    # never visited in the period: the smallest circle, grey; no province: the line says nothing
    assert shown.loc["FCA-9001", "r"] == maps.UNKNOWN_WORKFORCE_RADIUS
    assert shown.loc["FCA-9003", "l1"] == "" and shown.loc["FCA-9002", "l1"] == "Ituri"
