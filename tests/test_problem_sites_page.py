"""The Problem sites page and the Overview's flag count, through the entrypoint (AppTest)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import screening_fixture
from streamlit.testing.v1 import AppTest
from support import APP, ROOT, shown

from dashboard.screening import config

PAGE = str(ROOT / "pages" / "problem_sites.py")


def open_page(query_params: dict | None = None, tab: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    at.run().switch_page(PAGE)
    if tab:  # only the open tab runs
        at.session_state["problem_view"] = tab
    return at.run()


FUNNELS = "Funnel plots"


@pytest.fixture
def demo(use_db, demo_db):
    use_db(demo_db)


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return screening_fixture.build(tmp_path_factory.mktemp("page") / "fca.duckdb")


def watchlist_table(at: AppTest):
    return next(frame.value for frame in at.dataframe if "reasons" in frame.value.columns)


def funnel_spec(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def array(values) -> list:
    """A plotly array from a figure spec: a list, or numpy's bytes in base64 ("bdata")."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_the_page_ranks_flagged_sites_with_their_reasons(demo):
    at = open_page()
    assert not at.exception and not at.error
    assert at.title[0].value == "Problem sites"
    assert [m.label for m in at.metric] == ["Sites flagged", "High severity",
                                            "New in the last 90 days",
                                            "Off the list in the last 90 days"]
    table = watchlist_table(at)
    assert set(table["name"].head(2)) == {"Kawama", "Luilu"}
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["profile"].str.startswith("site_profile?site_id=FCA-").all()
    assert table["reasons"].str.len().gt(20).all()
    assert at.get("download_button")[0].label == "Download the list (CSV)"


def test_the_funnel_chart_draws_the_limits_and_the_sites(demo):
    at = open_page(tab=FUNNELS)
    at.selectbox(key="funnel_measure").select("children_seen_per_1000").run()
    spec = funnel_spec(at)
    lines = {trace["meta"]["line"] for trace in spec["data"] if "line" in trace.get("meta", {})}
    assert lines == {"limit_95_low", "limit_95_high", "limit_998_low", "limit_998_high",
                     "target"}
    named = {trace["name"] for trace in spec["data"]}
    assert {"95% limits", "99.8% limits", "All sites", "Worse, beyond 99.8% (flagged)"} <= named
    flagged = next(t for t in spec["data"] if t.get("meta", {}).get("status") == "worse_998")
    upper = next(t for t in spec["data"] if t.get("meta", {}).get("line") == "limit_998_high")
    upper_y = array(upper["y"])
    assert len(array(upper["x"])) > 20 and upper_y[0] > upper_y[-1]  # narrows as n grows
    assert {row[0] for row in flagged["customdata"]} >= {"FCA-0009", "FCA-0011"}  # Luilu, Kawama
    assert spec["layout"]["xaxis"]["type"] == "log"


def test_clicking_a_funnel_point_offers_the_site_profile(demo):
    at = open_page(tab=FUNNELS)
    at.session_state["funnel"] = {"selection": {
        "points": [{"customdata": ["FCA-0011", "Kawama"], "x": 64, "y": 0.31}],
        "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert not at.exception
    links = at.get("link_button")
    assert [link.proto.url for link in links] == ["site_profile?site_id=FCA-0011"]
    assert links[0].value == "Open the profile of Kawama"


def test_the_flag_filter_narrows_the_list(demo):
    at = open_page()
    at.multiselect(key="flag_filter").select("visit_overdue").run()
    table = watchlist_table(at)
    assert table["name"].tolist() == ["Tenke"]


def test_the_map_toggle_shows_the_flagged_sites(demo):
    at = open_page()
    assert not at.get("deck_gl_json_chart")
    at.toggle(key="watchlist_map").set_value(True).run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    sites = next(layer for layer in deck["layers"] if layer["id"] == "sites")
    names = {point["name"] for point in sites["data"]}
    assert {"Kawama", "Luilu", "Tenke", "Musompo"} <= names
    assert len(names) == len(watchlist_table(at))


def test_the_province_filter_applies_to_the_list(demo):
    at = open_page({"province": "Haut-Katanga"})
    table = watchlist_table(at)
    assert len(table) > 0 and set(table["province"]) == {"Haut-Katanga"}


def test_the_page_in_french(demo):
    # a province and site in the URL: AppTest formats the default "all" options outside the
    # script run, in English, and then cannot find them among the French options
    at = open_page({"lang": "FR", "province": "Lualaba", "site": "Kawama"})
    assert not at.exception
    assert at.title[0].value == "Sites à problèmes"
    assert "Accident mortel au cours des 90 derniers jours" in {
        flag for flags in watchlist_table(at)["flags"] for flag in flags}


def test_the_planted_site_leads_and_the_chance_site_is_absent(use_db, fixture_db):
    use_db(fixture_db)
    at = open_page()
    assert not at.exception
    table = watchlist_table(at)
    assert table["name"].iloc[0] == "Planted"
    assert "Chance" not in table["name"].tolist()
    at.session_state["problem_view"] = FUNNELS
    at.run().selectbox(key="funnel_measure").select("children_seen_per_1000").run()
    ranking = next(f.value for f in at.dataframe if "estimate" in f.value.columns)
    assert ranking["name"].iloc[0] == "Planted" and ranking["rank"].iloc[0] == 1
    chance = ranking[ranking["name"] == "Chance"].iloc[0]
    assert chance["value"] == ranking["value"].max() and chance.isna()["rank"]


def test_a_mistake_in_the_rules_file_is_shown_not_raised(demo, tmp_path, monkeypatch):
    bad = tmp_path / "rules.toml"
    bad.write_text(config.RULES_TOML.read_text().replace("window_days = 90",
                                                                  "window_days = 0"))
    monkeypatch.setattr(config, "RULES_TOML", bad)
    at = open_page()
    assert not at.exception
    assert "rule 'fatal_incident' (#1): parameters.window_days: value 0" in shown(
        at.error[0].value)


def test_the_overview_shows_the_flag_count(demo):
    import datetime as dt

    from dashboard import data
    from dashboard.screening import watchlist
    counts = watchlist.counts(watchlist.screen(
        lambda name, **p: data.fetch(data.Viewer(), name, **p), dt.date(2026, 10, 31)))
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    link = at.get("page_link")[0]
    assert link.value == (f"**{counts.sites}** sites need attention, "
                          f"**{counts.by_severity['high']}** with a high-severity flag")
    assert counts.sites > 0 and link.proto.page.endswith("problem_sites")
