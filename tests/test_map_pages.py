"""The sites map and the site profile pages, through the entrypoint (AppTest)."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from gis_fixtures import boundaries_frame, permits_frame
from streamlit.testing.v1 import AppTest
from support import APP, ROOT, shown

from dashboard.ingest.store import import_layer
from dashboard.sites import maps

MAP = str(ROOT / "pages" / "sites_map.py")
PROFILE = str(ROOT / "pages" / "site_profile.py")


def open_page(page: str, query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    return at.run().switch_page(page).run()


def deck(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[index].proto.json)


def layer(spec: dict, layer_id: str) -> dict:
    return next(item for item in spec["layers"] if item["id"] == layer_id)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.fixture
def demo(use_db, demo_db):
    use_db(demo_db)
    return demo_db


@pytest.fixture(scope="module")
def layered_db(demo_db, tmp_path_factory):
    """The demo database with a permit and a boundary layer loaded."""
    target = tmp_path_factory.mktemp("layered") / "fca.duckdb"
    shutil.copyfile(demo_db, target)
    folder = target.parent
    permits_frame().to_file(folder / "permits.geojson")
    boundaries_frame().to_file(folder / "provinces.geojson")
    import_layer(target, folder / "permits.geojson", "permits")
    import_layer(target, folder / "provinces.geojson", "boundaries")
    return target


def sites_in(path, province: str | None) -> dict[str, tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT site_id, province FROM sites WHERE $p IS NULL OR province = $p",
                           {"p": province}).fetchall()
    return dict(rows)


# -- the map ---------------------------------------------------------------------------------

def test_the_map_has_one_point_per_filtered_site_coloured_by_the_chosen_indicator(demo):
    at = ok(open_page(MAP, {"province": "Haut-Katanga", "colour": "children_last_visit"}))
    points = layer(deck(at), "sites")["data"]
    assert sorted(p["id"] for p in points) == sorted(sites_in(demo, "Haut-Katanga"))
    assert layer(deck(at), "sites")["getFillColor"] == "@@=fill"
    table = at.dataframe[0].value
    spec = maps.MEASURES["children_last_visit"]
    expected = {name: maps.class_colour(maps.class_of(value, spec), spec)
                for name, value in zip(table["name"], table["children_last_visit"])}
    assert {p["name"]: p["fill"] for p in points} == expected
    assert at.selectbox(key="map_colour").value == "children_last_visit"
    assert "Children under 15 seen working at the last visit" in at.markdown[0].value


def test_choosing_another_colour_recolours_the_points_and_the_legend(demo):
    at = open_page(MAP)
    assert {tuple(p["fill"]) for p in layer(deck(at), "sites")["data"]} == {
        tuple(c) for c in maps.STATUS_COLOURS.values()}
    at.selectbox(key="map_colour").select("fatal_incidents_12m").run()
    ok(at)
    fills = {tuple(p["fill"]) for p in layer(deck(at), "sites")["data"]}
    assert fills <= {tuple(c) for c in maps.GOOD_TO_BAD} | {tuple(maps.NO_DATA)}
    assert at.markdown[0].value.count("rgb(") == 4 + 4  # four classes, four circle sizes
    assert "Fatal incidents in the last 12 months" in at.markdown[0].value
    assert at.query_params["colour"] == "fatal_incidents_12m"


def test_density_mode_aggregates_positions(demo):
    at = ok(open_page(MAP, {"mode": "density"}))
    hexagons = layer(deck(at), "density")
    assert hexagons["@@type"] == "HexagonLayer" and len(hexagons["data"]) == 40
    assert "Sites per hexagon" in at.markdown[0].value


# (a province and a site are set because AppTest formats the sidebar's "all" entries in English
# when it switches pages, and then cannot find them among the French options)
def test_the_map_works_in_french(demo):
    at = ok(open_page(MAP, {"lang": "FR", "province": "Lualaba", "site": "Kasulo",
                              "colour": "fair_share_12m"}))
    assert at.title[0].value == "Carte des sites"
    assert layer(deck(at), "sites")["data"][0]["l3"].startswith("Part Fair Cobalt, 12 mois : ")


def test_an_unknown_colour_in_the_url_falls_back_to_programme_status(demo):
    at = ok(open_page(MAP, {"colour": "rainfall", "mode": "3d"}))
    assert at.selectbox(key="map_colour").value == "programme_status"
    assert layer(deck(at), "sites")["@@type"] == "ScatterplotLayer"


def test_clicking_a_site_on_the_map_opens_its_profile(demo):
    at = open_page(MAP)
    at.session_state["sites_map"] = {"selection": {
        "indices": {"sites": [1]}, "objects": {"sites": [{"id": "FCA-0002", "name": "Kamilombe"}]}}}
    ok(at.run())
    assert at.title[0].value == "Kamilombe"
    assert at.query_params["site_id"] == "FCA-0002"


def test_selecting_a_permit_polygon_does_not_leave_the_map(use_db, layered_db):
    use_db(layered_db)
    at = open_page(MAP)
    at.session_state["sites_map"] = {"selection": {
        "indices": {"permits": [0]}, "objects": {"permits": [{"properties": {"name": "x"}}]}}}
    ok(at.run())
    assert at.title[0].value == "Sites map"


def test_searching_a_site_or_selecting_a_table_row_opens_its_profile(demo):
    at = open_page(MAP)
    at.selectbox(key="map_find").select("FCA-0014").run()
    assert ok(at).title[0].value == "Tshamundenda"
    at = open_page(MAP)
    at.session_state["sites_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    first = at.dataframe[0].value["name"].iloc[0]
    assert ok(at.run()).title[0].value == first


def test_loaded_layers_can_be_shown(use_db, layered_db):
    use_db(layered_db)
    at = ok(open_page(MAP))
    assert [item["id"] for item in deck(at)["layers"]] == [
        "base", "rivers", "towns", "town_names", "boundaries", "sites"]
    at.toggle(key="map_show_permits").set_value(True).run()
    permits = layer(deck(ok(at)), "permits")["data"]["features"]
    assert sorted(f["properties"]["name"] for f in permits) == [
        "Permit PE 100 · GECAMINES", "Permit PE 400 · KAMILOMBE MINING",
        "Permit PER 200 · KASULO TAILINGS", "Permit PR 300 · OLD HOLDER"]
    sources = " ".join(shown(c.value) for c in at.caption)
    assert "Permits: permits.geojson" in sources and "Boundaries: provinces.geojson" in sources


def test_without_tiles_the_map_still_has_its_own_base_layer(demo, monkeypatch):
    monkeypatch.setenv("FCA_BASEMAP", "none")
    at = ok(open_page(MAP))
    spec = deck(at)
    assert "mapProvider" not in spec
    assert layer(spec, "base")["data"] == "app/static/countries.geojson"  # served by the app
    assert "CARTO" not in " ".join(c.value for c in at.caption)


# -- the profile -----------------------------------------------------------------------------

SECTIONS = ["Open flags", "Identity", "Since enrolment, against comparison sites",
            "Latest monitoring visit", "Incidents", "Supply through the site"]
TRENDS_OF_A_COMPARISON_SITE = "Over the period, against the comparison sites of its province"


def test_the_profile_renders_for_every_demo_site(demo):
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page(PROFILE)
    with duckdb.connect(str(demo), read_only=True) as con:
        statuses = dict(con.execute("SELECT site_id, programme_status FROM sites").fetchall())
    assert len(statuses) == 40
    for site_id, status in sorted(statuses.items()):
        at.query_params["site_id"] = site_id
        ok(at.run())
        expected = (SECTIONS if status == "programme"
                    else [*SECTIONS[:2], TRENDS_OF_A_COMPARISON_SITE, *SECTIONS[3:]])
        assert [s.value for s in at.subheader] == expected, site_id
        assert f":gray-badge[{site_id}]" in shown(at.markdown[0].value)


def test_the_profile_shows_identity_trends_visit_incidents_and_supply(use_db, layered_db):
    use_db(layered_db)
    at = ok(open_page(PROFILE, {"site_id": "FCA-0001"}))
    assert at.title[0].value == "Kasulo"
    identity = next(shown(m.value) for m in at.markdown if "Also known as" in m.value)
    assert "| **Also known as** | Kasulu |" in identity
    assert "PER 200 · KASULO TAILINGS (PER, Actif)" in identity
    assert "| **Also lies on** | PE 100 · GECAMINES (PE, Actif) |" in identity
    locator = deck(at)
    assert [item["id"] for item in locator["layers"]] == [
        "base", "provinces", "rivers", "towns", "town_names", "permits", "sites"]
    trends = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")[:4]]
    assert all([trace["name"] for trace in spec["data"]] == ["Comparison sites, Lualaba",
                                                             "Kasulo"] for spec in trends)
    assert len(at.metric) == 10 + 4 + 6  # visit facts, incident totals, supply totals


def test_an_unknown_or_missing_site_gets_a_message_and_a_picker(demo):
    at = ok(open_page(PROFILE, {"site_id": "FCA-9999"}))
    assert "There is no site 'FCA-9999'" in shown(at.warning[-1].value)
    assert at.selectbox(key="profile_site_picker").value is None
    at.selectbox(key="profile_site_picker").select("FCA-0005").run()
    assert ok(at).title[0].value == "Kanina"
    assert at.query_params["site_id"] == "FCA-0005"
    at = ok(open_page(PROFILE))
    assert at.info[0].value == "Choose a site to see its profile."


def test_the_profile_in_french(demo):
    at = ok(open_page(PROFILE, {"site_id": "FCA-0002", "lang": "FR", "province": "Lualaba",
                                  "site": "Kasulo"}))
    assert [s.value for s in at.subheader][:2] == ["Alertes ouvertes", "Identité"]
    assert "inscrit le 1 août 2020" in at.markdown[0].value



def test_the_profile_lists_the_sites_open_flags_with_their_reasons(demo):
    at = ok(open_page(PROFILE, {"site_id": "FCA-0011"}))  # Kawama, a deteriorating site
    assert at.title[0].value == "Kawama"
    flags = [m.value for m in at.markdown if m.value.startswith(":red-badge[")]
    fatal = next(flag for flag in flags if "**Fatal incident in the last 90 days**" in flag)
    assert "since" in fatal and "\n" in fatal  # its date, then its reason
    assert not at.success


def test_a_site_without_flags_says_so(demo):
    at = ok(open_page(PROFILE, {"site_id": "FCA-0002"}))  # Kamilombe: improving, no flag
    assert "No rule or statistic" in at.success[0].value
    assert not [m.value for m in at.markdown if m.value.startswith(":red-badge[")]
