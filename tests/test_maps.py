"""The map builders (dashboard/maps.py): layer data, colours, legends, size bands, decks."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import shapely

from dashboard.demo.sites import NAMED_SITES
from dashboard.sites import basemap, maps

END = dt.date(2026, 10, 31)
BASE = ["base", "provinces", "rivers", "towns", "town_names"]
STATUS = {"programme": "Programme site", "comparison": "Comparison site"}
BLUE, LIGHT_BLUE, ORANGE, RED = maps.GOOD_TO_BAD


def map_sites(**columns) -> pd.DataFrame:
    """Rows shaped like queries/map_sites.sql, three sites unless columns say otherwise."""
    base = {
        "site_id": ["FCA-0001", "FCA-0002", "FCA-0003"],
        "name": ["Kasulo", "Kamilombe", "Kapata"],
        "aliases": [["Kasulu"], [], []],
        "province": ["Lualaba", "Lualaba", "Haut-Katanga"],
        "cooperative": ["Coop A", None, "Coop C"],
        "lat": [-10.70512, -10.78449, -10.97],
        "lon": [25.47891, 25.40213, 26.79],
        "programme_status": ["programme", "comparison", "programme"],
        "enrolled_on": pd.to_datetime(["2020-08-01", None, "2021-03-01"]),
        "last_visit_on": pd.to_datetime(["2026-10-24", "2026-09-01", None]),
        "days_since_last_visit": [7, 60, np.nan],
        "workers_last_visit": [3100, 45, np.nan],
        "children_last_visit": [0, 24, np.nan],
        "incidents_12m": [20, 3, 0],
        "fatal_incidents_12m": [1, 0, 0],
        "lots_12m": [845, 0, 12],
        "fair_share_12m": [0.8, np.nan, 0.1],
        "last_sale_month": pd.to_datetime(["2026-10-01", None, "2026-06-01"]),
        "median_income_usd": [210.0, 150.0, np.nan],
        "households": [18, 12, np.nan],
        "round_from": pd.to_datetime(["2026-09-01", "2026-09-01", None]),
        "income_vs_living": [210 / 193, 150 / 193, np.nan],
    }
    base.update(columns)
    return pd.DataFrame(base)


# -- size bands -------------------------------------------------------------------------------

@pytest.mark.parametrize("workers, radius", [
    (1, 4), (49, 4), (50, 7), (499, 7), (500, 11), (12_000, 11), (None, 3), (float("nan"), 3)])
def test_workforce_bands_follow_ipis(workers, radius):
    assert maps.workforce_radius(workers) == radius


def test_size_legend_lists_the_bands_as_drawn():
    assert maps.size_legend("en") == [("1–49", 4), ("50–499", 7), ("500 or more", 11),
                                      ("no visit in the period", 3)]
    assert maps.size_legend("fr")[2] == ("500 ou plus", 11)


# -- colours ----------------------------------------------------------------------------------

@pytest.mark.parametrize("measure, value, colour", [
    ("children_last_visit", 0, BLUE), ("children_last_visit", 1, LIGHT_BLUE),
    ("children_last_visit", 19, ORANGE), ("children_last_visit", 20, RED),
    ("fatal_incidents_12m", 3, RED), ("days_since_last_visit", 30, BLUE),
    ("days_since_last_visit", 181, RED),
    # higher is better: the scale turns round, red still means "needs attention"
    ("fair_share_12m", 0.8, BLUE), ("fair_share_12m", 0.75, BLUE),
    ("fair_share_12m", 0.1, RED), ("income_vs_living", 1.0, BLUE),
    ("income_vs_living", 0.69, RED),
    ("children_last_visit", None, maps.NO_DATA), ("fair_share_12m", float("nan"), maps.NO_DATA),
])
def test_class_colours_run_from_blue_for_fine_to_red_for_attention(measure, value, colour):
    spec = maps.MEASURES[measure]
    assert maps.class_colour(maps.class_of(value, spec), spec) == colour


def test_status_colours_are_okabe_ito_blue_and_orange():
    spec = maps.MEASURES["programme_status"]
    assert maps.colours(pd.Series(["programme", "comparison"]), spec) == [[0, 114, 178],
                                                                         [230, 159, 0]]


def test_class_labels_in_both_languages():
    assert maps.class_labels(maps.MEASURES["children_last_visit"], "en") == [
        "0", "1–4", "5–19", "20 or more"]
    assert maps.class_labels(maps.MEASURES["fatal_incidents_12m"], "en") == [
        "0", "1", "2", "3 or more"]
    assert maps.class_labels(maps.MEASURES["fair_share_12m"], "en") == [
        "under 25%", "25%–50%", "50%–75%", "75% or more"]
    assert maps.class_labels(maps.MEASURES["fair_share_12m"], "fr")[0] == "moins de 25\u00a0%"


def test_every_measure_has_a_class_label_per_colour_and_names_in_both_languages():
    for key, spec in maps.MEASURES.items():
        for language in ("en", "fr"):
            assert not maps.measure_name(key, language).startswith("maps.")
            assert not maps.measure_name(key, language, short=True).startswith("maps.")
            if spec.unit != "status":
                assert len(maps.class_labels(spec, language)) == len(spec.edges) + 1


# -- legend -----------------------------------------------------------------------------------

def test_legend_counts_the_sites_of_each_colour_and_adds_no_data_only_when_needed():
    sites = map_sites()
    spec = maps.MEASURES["children_last_visit"]
    entries = maps.legend(sites[spec.column], spec, "en")
    assert [(e.label, e.count) for e in entries] == [
        ("0", 1), ("1–4", 0), ("5–19", 0), ("20 or more", 1), ("no data", 1)]
    assert entries[0].colour == BLUE and entries[-1].colour == maps.NO_DATA
    complete = maps.legend(pd.Series([0, 3]), spec, "en")
    assert "no data" not in [e.label for e in complete]


def test_status_legend_uses_the_given_labels():
    spec = maps.MEASURES["programme_status"]
    entries = maps.legend(map_sites()["programme_status"], spec, "en", STATUS)
    assert [(e.label, e.colour, e.count) for e in entries] == [
        ("Programme site", [0, 114, 178], 2), ("Comparison site", [230, 159, 0], 1)]


def test_legend_html_shows_every_entry_and_escapes_labels():
    entries = [maps.LegendEntry("<b>odd</b> & co", [1, 2, 3], 4)]
    text = maps.legend_html("Title <x>", entries, maps.size_legend("en"), "Size")
    assert "&lt;b&gt;odd&lt;/b&gt; &amp; co" in text and "Title &lt;x&gt;" in text
    assert "rgb(1,2,3)" in text and "(4)" in text and "500 or more" in text


# -- site points ------------------------------------------------------------------------------

def points_by_id(measure: str, language: str = "en") -> pd.DataFrame:
    return maps.site_points(map_sites(), measure, language, END, STATUS).set_index("id")


def test_site_points_send_only_what_the_map_draws_with_rounded_coordinates():
    points = maps.site_points(map_sites(), "children_last_visit", "en", END, STATUS)
    assert list(points.columns) == ["id", "name", "lon", "lat", "r", "fill", "l1", "l2", "l3"]
    # no data first, then from fine to needs attention: deck.gl draws the last on top
    assert points["id"].tolist() == ["FCA-0003", "FCA-0001", "FCA-0002"]
    assert points["fill"].tolist() == [maps.NO_DATA, BLUE, RED]
    assert points["lon"].tolist() == [26.79, 25.479, 25.402]
    assert points["lat"].tolist() == [-10.97, -10.705, -10.784]
    assert points["r"].tolist() == [3, 11, 4]


def test_tooltips_name_the_place_the_visit_and_the_value_with_its_n_and_date():
    points = points_by_id("fair_share_12m")
    kasulo = points.loc["FCA-0001"]
    assert kasulo["l1"] == "Lualaba · Coop A"
    assert kasulo["l2"] == "Last visit: Oct 24, 2026"
    assert kasulo["l3"] == "Fair Cobalt share, 12 months: 80% (845 lots, to Oct 31, 2026)"
    assert points.loc["FCA-0002", "l1"] == "Lualaba"  # no cooperative
    assert points.loc["FCA-0002", "l3"].endswith(": no data (0 lots, to Oct 31, 2026)")
    assert points.loc["FCA-0003", "l2"] == "no visit in the period"


def test_tooltips_in_french_and_for_status():
    points = points_by_id("programme_status", "fr")
    assert points.loc["FCA-0001", "l3"] == "Programme site depuis le 1 août 2020"
    assert points.loc["FCA-0002", "l3"] == "Comparison site"
    income = points_by_id("income_vs_living", "fr")
    assert income.loc["FCA-0001", "l3"] == (
        "Revenu / revenu vital : 109\u00a0% (18 ménages, 1 sept. 2026)")
    assert income.loc["FCA-0003", "l3"] == "Revenu / revenu vital : pas de données (0 ménages)"


# -- layers and decks -------------------------------------------------------------------------

def deck_json(deck) -> dict:
    return json.loads(deck.to_json())


def test_points_deck_has_the_base_layer_under_one_point_per_site():
    points = maps.site_points(map_sites(), "children_last_visit", "en", END, STATUS)
    spec = deck_json(maps.sites_deck(points))
    assert [layer["id"] for layer in spec["layers"]] == [*BASE, "sites"]
    sites = spec["layers"][-1]
    assert len(sites["data"]) == 3 and sites["data"][-1]["fill"] == RED
    assert sites["radiusUnits"] == "pixels" and sites["getFillColor"] == "@@=fill"
    assert spec["layers"][0]["@@type"] == "GeoJsonLayer"


def test_density_deck_sends_positions_only():
    points = maps.site_points(map_sites(), "children_last_visit", "en", END, STATUS)
    layer = deck_json(maps.sites_deck(points, mode="density"))["layers"][-1]
    assert layer["@@type"] == "HexagonLayer" and layer["id"] == "density"
    assert set(layer["data"][0]) == {"p"} and layer["getPosition"] == "@@=p"
    assert [d["p"] for d in layer["data"]] == points[["lon", "lat"]].to_numpy().tolist()


def test_unknown_mode_and_basemap_are_refused():
    points = maps.site_points(map_sites(), "children_last_visit", "en", END, STATUS)
    with pytest.raises(ValueError, match="Unknown map mode 'heat'"):
        maps.sites_deck(points, mode="heat")
    with pytest.raises(ValueError, match="Unknown basemap 'google'"):
        maps.sites_deck(points, basemap="google")


def test_basemap_carto_or_none():
    points = maps.site_points(map_sites(), "children_last_visit", "en", END, STATUS)
    assert deck_json(maps.sites_deck(points, basemap="carto"))["mapProvider"] == "carto"
    offline = deck_json(maps.sites_deck(points, basemap="none"))
    # pydeck's "no style" sentinel: with a null style Streamlit's frontend fetches Carto's
    # (tests/e2e/test_offline_browser.py watches the requests)
    assert "mapProvider" not in offline and offline["mapStyle"] == "__MAP_STYLE__"


def permit_rows() -> pd.DataFrame:
    square = shapely.box(25.4, -10.8, 25.5, -10.7)
    return pd.DataFrame({
        "permit_id": [1], "permit_code": ["PE 4958"], "holder": ["GECAMINES"],
        "licence_type": ["PE"], "status": ["Actif"], "resources": ["Co, Cu"],
        "granted_on": pd.to_datetime(["2009-10-16"]), "expires_on": pd.to_datetime([None]),
        "area_ha": [1000.0], "geojson": [shapely.to_geojson(square)]})


def test_permits_and_boundaries_layers_sit_between_the_base_and_the_sites():
    points = maps.site_points(map_sites(), "children_last_visit", "en", END, STATUS)
    boundaries = pd.DataFrame({"boundary_id": [1], "name": ["Lualaba"],
                               "geojson": [shapely.to_geojson(shapely.box(24, -12, 27, -9))]})
    spec = deck_json(maps.sites_deck(points, permits=permit_rows(), boundaries=boundaries))
    # a loaded boundaries layer replaces the shipped province lines
    assert [layer["id"] for layer in spec["layers"]] == [
        "base", "rivers", "towns", "town_names", "boundaries", "permits", "sites"]
    feature = spec["layers"][-2]["data"]["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"] == {"name": "Permit PE 4958 · GECAMINES", "l1": "PE · Actif",
                                     "l2": "Co, Cu", "l3": "Granted Oct 16, 2009, expires –"}


def test_compact_json_is_the_same_deck_without_the_indentation():
    points = maps.site_points(map_sites(), "children_last_visit", "en", END, STATUS)
    deck = maps.sites_deck(points, permits=permit_rows())
    compact = deck.to_json()
    assert "\n" not in compact and '": ' not in compact
    indented = super(maps.CompactDeck, deck).to_json()
    assert json.loads(compact) == json.loads(indented) and len(compact) < len(indented) / 2


def test_view_fits_the_points_and_falls_back_to_the_whole_drc():
    empty = maps.fitted_view(pd.Series([], dtype=float), pd.Series([], dtype=float))
    assert (empty.latitude, empty.longitude, empty.zoom) == (*maps.DRC_CENTRE, 4)
    one = maps.fitted_view(pd.Series([25.4]), pd.Series([-10.7]))
    assert (one.latitude, one.longitude, one.zoom) == (-10.7, 25.4, 11.0)
    copperbelt = maps.fitted_view(pd.Series([25.3, 27.6]), pd.Series([-11.8, -10.6]))
    country = maps.fitted_view(pd.Series([13.0, 30.0]), pd.Series([-13.0, 5.0]))
    assert 6 < copperbelt.zoom < 8 and country.zoom < copperbelt.zoom


def test_locator_deck_centres_on_the_site():
    point = maps.site_points(map_sites().head(1), "programme_status", "en", END, STATUS)
    spec = deck_json(maps.locator_deck(point, permit_rows(), "en"))
    assert [layer["id"] for layer in spec["layers"]] == [*BASE, "permits", "sites"]
    assert spec["initialViewState"]["latitude"] == -10.705


# -- the base layer file ----------------------------------------------------------------------

def test_base_layer_is_small_valid_and_holds_every_demo_site():
    assert basemap.COUNTRIES_FILE.stat().st_size < 100_000
    collection = json.loads(basemap.countries())
    shapes = {f["properties"]["iso_a3"]: shapely.geometry.shape(f["geometry"])
              for f in collection["features"]}
    assert len(shapes) == 10 and all(shape.is_valid for shape in shapes.values())
    drc = shapes["COD"]
    assert all(drc.contains(shapely.Point(s.lon, s.lat)) for s in NAMED_SITES)
    assert not shapes["ZMB"].contains(shapely.Point(25.479, -10.705))


def test_a_tooltip_says_why_a_value_is_hidden_for_the_viewers_role():
    from dashboard import privacy

    declarations = privacy.parse("-- people: workers_last_visit, children_last_visit\n"
                                 "-- child_labour: children_last_visit\n-- cells: site_id")
    sites = privacy.apply("steering", "site", map_sites(children_last_visit=[0, 3, 40]),
                          declarations=declarations)
    points = maps.site_points(sites, "children_last_visit", "en", END, STATUS).set_index("id")
    assert points.loc["FCA-0002", "l3"].endswith(": <10")
    assert points.loc["FCA-0003", "l3"].endswith(": <10")  # secondary: the other one goes too
