"""Each role, signed in, on each page: the pages it may open render, the others are neither
listed nor reachable; what a role sees of the sidebar; the demo's "preview as" switcher."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from support import APP, ROOT

from dashboard import privacy
from dashboard.privacy.pages import PAGE_ROLES

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-of-more-than-32-characters",
        "client_id": "fca-dashboard", "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration"}
ROLES = {role: [f"*@{role}.example.org"] for role in privacy.ROLES}
ALL_PAGES = [page for page in PAGE_ROLES if page != "site_profile"]


@pytest.fixture
def demo(use_db, small_db):
    use_db(small_db)


def signed_in(role: str, query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = ROLES
    at.user = {"is_logged_in": True, "email": f"someone@{role}.example.org"}
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    return at.run()


def visit(at: AppTest, page: str) -> AppTest:
    return at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()


@pytest.mark.parametrize("role", list(privacy.ROLES))
@pytest.mark.parametrize("page", ALL_PAGES)
def test_a_role_opens_its_pages_and_no_other(demo, role, page):
    at = signed_in(role)
    assert not at.exception and not at.error
    if role in PAGE_ROLES[page]:
        at = visit(at, page)
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert len(at.title) == 1
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(str(ROOT / "pages" / f"{page}.py"))


@pytest.mark.parametrize("role", ["donor", "steering"])
def test_the_site_profile_leaves_out_what_the_role_may_not_read(demo, role):
    at = visit(signed_in(role, {"site_id": "FCA-0002"}), "site_profile")
    assert not at.exception and not at.error
    headings = [h.value for h in at.subheader]
    assert "Incidents" not in " ".join(headings)  # incident records: programme team only


def test_the_public_has_no_site_to_choose_and_no_site_split(demo):
    at = signed_in("public", {"province": "Lualaba"})
    assert not at.exception and not at.error
    assert at.selectbox(key="site").options == ["All sites"]
    assert at.selectbox(key="site").disabled
    assert any("<5" in c.value for c in at.sidebar.caption)  # says how figures are hidden
    at = visit(at, "trends")
    assert not at.exception and not at.error
    assert "Site" not in at.selectbox(key="split").options
    at = visit(at, "supply")
    assert not at.exception and not at.error
    assert not [d for d in at.dataframe if d.key == "supply_sites"]


def test_a_site_in_a_public_link_is_not_served(demo):
    at = signed_in("public", {"site": "Kamilombe"})
    assert not at.exception and not at.error
    assert at.selectbox(key="site").value == "__all__"


def test_on_the_demo_anyone_may_preview_a_narrower_audience(demo):
    at = AppTest.from_file(APP, default_timeout=120).run()
    preview = at.selectbox(key="preview")
    assert preview.options == ["Public", "Donor", "Steering Committee", "Programme team"]
    at = preview.set_value("public").run()
    assert not at.exception and not at.error
    assert "Preview" in at.sidebar.warning[0].value
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages" / "sites_map.py"))


def test_a_signed_in_public_viewer_cannot_preview_a_wider_role(demo):
    at = signed_in("public")
    assert at.selectbox(key="preview").options == ["Public"]  # privacy.previewable: no wider
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages" / "sites_map.py"))


@pytest.fixture
def real_data(use_db, small_db, tmp_path, monkeypatch):
    path = tmp_path / "real.duckdb"
    shutil.copyfile(small_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE metadata SET value = 'false' WHERE key = 'synthetic'")
    use_db(path)
    monkeypatch.setenv("FCA_ROLE", "programme")


def test_on_real_data_there_is_no_preview(real_data):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.error
    assert not [s for s in at.selectbox if s.key == "preview"]
    at.session_state["preview"] = "public"  # left in a session: ignored on real data
    at = visit(at.run(), "sites_map")
    assert not at.exception and not at.error and at.title[0].value == "Sites map"


def hidden_reasons(values) -> set[str]:
    return {value for value in values if isinstance(value, str) and not value[0].isdigit()}


def test_a_hidden_cell_in_the_sites_table_says_why_rather_than_blank(demo):
    at = visit(signed_in("steering"), "sites_map")
    at = at.selectbox(key="map_colour").set_value("children_last_visit").run()
    assert not at.exception and not at.error
    column = at.dataframe(key="sites_table").value["children_last_visit"]
    assert hidden_reasons(column) and hidden_reasons(column) <= {"<10", "n<25", "–"}
    assert column.notna().all()
    at = at.selectbox(key="map_colour").set_value("income_vs_living").run()
    column = at.dataframe(key="sites_table").value["income_vs_living"]
    assert hidden_reasons(column) == {"n<25"}
    assert all(value.endswith("%") for value in column if value not in ("n<25", "–"))


def test_a_hidden_cell_in_the_scenario_sites_table_says_why_rather_than_blank(demo):
    at = visit(signed_in("donor"), "scenarios")
    assert not at.exception and not at.error
    table, = [d.value for d in at.dataframe if "incidents" in d.value.columns]
    assert hidden_reasons(table["children_working"]) == {"n<25"}
    assert table["children_working"].notna().all() and table["households"].notna().all()
    assert table["workers"].dtype.kind in "iuf"  # no hidden cell: still a number column
