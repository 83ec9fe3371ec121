"""Every page renders through the entrypoint, with and without filters in the URL."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from support import APP, PAGES, ROOT, open_app, shown


def visit(at: AppTest, page: str) -> AppTest:
    return at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()


@pytest.fixture
def demo(use_db, demo_db):
    use_db(demo_db)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_filters(demo, page):
    at = visit(open_app(), page)
    assert not at.exception
    assert not at.error
    assert len(at.title) == 1
    assert at.warning[0].value.startswith("Demonstration data")
    assert shown(at.main.caption[-1].value).startswith(  # the footer: where the data come from
        "Data: synthetic demonstration data made by dashboard.demo (seed 42), built on ")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_filters_from_the_url(demo, page):
    at = visit(open_app({"province": "Lualaba", "site": "Kamilombe", "lang": "FR",
                         "period": ["2023-01", "2024-12"]}), page)
    assert not at.exception
    assert not at.error
    assert at.selectbox(key="province").value == "Lualaba"
    assert at.selectbox(key="site").value == "FCA-0002"
    assert at.select_slider(key="period").value == ("2023-01", "2024-12")
    assert at.warning[0].value.startswith("Données de démonstration")


def test_navigation_hides_data_management(demo):
    at = open_app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages" / "data_management.py"))


def test_the_admin_role_sees_data_management(demo, monkeypatch):
    monkeypatch.setenv("FCA_ROLE", "admin")
    at = visit(open_app(), "data_management")
    assert not at.exception
    assert at.title[0].value == "Data management"
    assert any(row == "supply" for row in at.dataframe[0].value["table_name"])


def test_overview_shows_a_metric_per_key_indicator(demo):
    at = open_app()
    assert len(at.metric) == 14  # two or three per objective and cross-cutting theme
    assert all(metric.value not in ("", "–") for metric in at.metric)


def test_french_overview_uses_french_numbers(demo):
    at = open_app({"lang": "FR"})
    assert at.title[0].value == "Vue d'ensemble"
    share = [m.value for m in at.metric if m.value.endswith("%")]
    assert share and all("\u00a0%" in value for value in share)


def test_trends_plot_programme_against_comparison(demo):
    at = visit(open_app({"split": "Programme vs comparison sites"}), "trends")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    actual = [t["name"] for t in spec["data"] if t["meta"]["series"] == "actual"]
    assert actual == ["Programme sites", "Comparison sites"]


def test_map_has_one_point_per_site_in_the_filters(demo):
    at = visit(open_app({"province": "Haut-Katanga"}), "sites_map")
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    points = next(layer for layer in deck["layers"] if layer["id"] == "sites")["data"]
    assert len(points) == 15 and all(p["l1"].startswith("Haut-Katanga") for p in points)


def test_unknown_values_in_the_url_are_ignored(demo):
    at = open_app({"province": "Atlantis", "site": "Nowhere", "period": ["1999-01", "nonsense"]})
    assert not at.exception
    assert at.selectbox(key="province").value == "__all__"


# -- bad input: a clear message in the app, never a traceback ---------------------------------

def test_a_missing_database_gives_a_clear_message(use_db, tmp_path):
    use_db(tmp_path / "missing.duckdb")
    at = open_app()
    assert not at.exception
    assert "no database file" in at.error[0].value and "make demo" in at.error[0].value


def test_a_corrupt_database_gives_a_clear_message(use_db, tmp_path):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"\x00garbage" * 4096)
    use_db(broken)
    at = open_app()
    assert not at.exception
    assert "not a readable FCA database" in at.error[0].value


def test_an_unknown_query_gives_a_clear_message(demo):
    at = AppTest.from_string(
        "from dashboard import ui\nui.load('no_such_query')\nimport streamlit as st\n"
        "st.write('not reached')", default_timeout=30).run()
    assert not at.exception
    assert "could not be computed (query no\\_such\\_query)" in at.error[0].value
    assert not at.markdown


def test_french_from_the_url_from_the_first_render_and_across_pages(demo):
    at = open_app({"lang": "FR"})
    assert at.get("button_group")[0].label == "Langue"  # the selector's own label too
    assert at.title[0].value == "Vue d'ensemble"
    assert at.selectbox(key="province").options[0] == "Toutes les provinces"
    for page in PAGES:
        at = visit(at, page)
        assert not at.exception, page
        assert at.warning[0].value.startswith("Données de démonstration"), page


# -- sign-in: with login configured nobody reads data before signing in ------------------------

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration"}
ROLES = {"admin": ["data.officer@example.org"], "programme": ["*@example.org"]}


def signed_in_app(user: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = ROLES
    at.user = user
    return at.run()


def test_with_login_configured_a_visitor_must_sign_in_first(demo):
    at = signed_in_app({"is_logged_in": False})
    assert not at.exception
    assert at.button[0].label == "Sign in"
    assert not at.metric and not at.get("plotly_chart") and not at.selectbox


def test_a_signed_in_address_without_a_role_sees_no_data(demo):
    at = signed_in_app({"is_logged_in": True, "email": "stranger@elsewhere.org"})
    assert not at.exception
    assert "has no access" in at.error[0].value
    assert not at.metric and not at.selectbox


def test_a_signed_in_programme_address_sees_the_dashboard(demo):
    at = signed_in_app({"is_logged_in": True, "email": "officer@example.org"})
    assert not at.exception and not at.error
    assert at.title[0].value == "Overview" and at.metric
    assert "Sign out" in [b.label for b in at.button]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages" / "data_management.py"))


def test_the_admin_address_gets_the_data_management_page(demo):
    at = signed_in_app({"is_logged_in": True, "email": "data.officer@example.org"})
    at = visit(at, "data_management")
    assert not at.exception and at.title[0].value == "Data management"


def test_a_mistyped_role_setting_grants_nothing(demo, monkeypatch):
    monkeypatch.setenv("FCA_ROLE", "donr")
    at = open_app()
    assert not at.exception
    assert "has no access" in at.error[0].value and not at.metric
