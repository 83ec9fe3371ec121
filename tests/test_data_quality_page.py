"""The Data quality page: a planted outlier, a duplicate visit and a refused import show up;
only the programme and admin roles reach it; every page's footer says where its data come from."""

from __future__ import annotations

import duckdb
import pytest
from ingest_fixtures import VISIT_HEADER, fresh_copy, run, visit, write_csv
from streamlit.testing.v1 import AppTest
from support import PAGES, ROOT, open_app, shown
from test_app import visit as visit_page

from dashboard import ui

PAGE = str(ROOT / "pages" / "data_quality.py")


@pytest.fixture
def planted(use_db, small_db, tmp_path):
    """The small demo with a visit counting 100,000 workers at Kasulo (FCA-0001) in June 2022,
    a second visit to Kamilombe (FCA-0002) on the day of its last, and a refused import."""
    database = fresh_copy(small_db, tmp_path)
    con = duckdb.connect(str(database))
    con.execute("""INSERT INTO site_visits (visit_id, site_id, visited_on, workers, source)
        SELECT max(visit_id) + 1, 'FCA-0001', DATE '2022-06-25', 100000, 'test'
        FROM site_visits""")
    con.execute("""INSERT INTO site_visits (visit_id, site_id, visited_on, workers, source)
        SELECT max(visit_id) + 1, 'FCA-0002', DATE '2022-06-18', 5000, 'test'
        FROM site_visits""")
    con.close()
    bad = write_csv(tmp_path / "visites-mai.csv",
                    [VISIT_HEADER, visit(site="NOWHERE"), visit(depth="profond")])
    assert run(database, "visits", bad).result == "refused"
    use_db(database)
    return database


def frame_with(at: AppTest, *columns: str):
    """The (first) table on the page with these columns."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def test_the_page_shows_completeness_freshness_outliers_duplicates_and_imports(planted):
    at = visit_page(open_app(), "data_quality")
    assert not at.exception and not at.error
    assert at.title[0].value == "Data quality"
    assert [m.label for m in at.metric] == [
        "Monthly visits done", "Sites unvisited 90+ days",
        "Outlying values", "Rows sharing a key"]
    visits = frame_with(at, "months_expected", "share_done")
    assert visits["share_done"].between(0, 1).all() and len(visits) > 10
    missing = frame_with(at, "field", "share_missing")
    assert {"site_visits", "household_survey", "sites"} <= set(missing["table_name"])
    fresh = frame_with(at, "days_since_visit")
    assert (fresh["days_since_visit"].dropna() >= 0).all()
    found = frame_with(at, "measure", "z")
    kasulo = found[(found["site"] == "Kasulo") & (found["measure"] == "Workers (mean per visit)")]
    assert len(kasulo) == 1 and kasulo["z"].iloc[0] > 3.5
    duplicated = frame_with(at, "examples")
    assert ["Kamilombe", "site_visits", 1, 1, "2022-06-18"] in duplicated.values.tolist()
    failed = frame_with(at, "rule", "problems")
    assert {"unknown_reference", "not_number"} <= set(failed["rule"])
    assert set(failed["file"]) == {"visites-mai.csv"}
    history = frame_with(at, "imported_by")
    assert history["result"].tolist() == ["refused"]
    assert set(failed["severity"]) == {"error"}


def test_the_filters_narrow_the_page_to_one_site(planted):
    at = visit_page(open_app({"site": "Kasulo"}), "data_quality")
    assert not at.exception
    assert frame_with(at, "months_expected")["name"].tolist() == ["Kasulo"]
    assert set(frame_with(at, "measure", "z")["site"]) <= {"Kasulo"}


def test_the_page_in_french(planted):
    at = visit_page(open_app({"lang": "FR"}), "data_quality")
    assert not at.exception and at.title[0].value == "Qualité des données"
    assert "Travailleurs (moyenne par visite)" in set(frame_with(at, "measure", "z")["measure"])
    assert frame_with(at, "imported_by")["result"].tolist() == ["refusé"]
    assert set(frame_with(at, "rule", "problems")["severity"]) == {"erreur"}


def test_the_admin_role_sees_the_page(planted, monkeypatch):
    monkeypatch.setenv("FCA_ROLE", "admin")
    at = visit_page(open_app(), "data_quality")
    assert not at.exception and at.title[0].value == "Data quality"


def test_only_the_programme_and_admin_roles_reach_the_page(use_db, small_db, monkeypatch):
    """A role outside the two (an audience's) finds no page by navigation, and the page
    refuses it when run anyway."""
    assert ui.page_roles("data_quality") == {"programme", "admin"}
    use_db(small_db)
    monkeypatch.setenv("FCA_ROLE", "donor")
    at = open_app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert "You do not have access" in at.error[0].value and not at.dataframe


# -- the footer of every page ---------------------------------------------------------------

def test_the_admin_and_hidden_pages_say_where_their_data_come_from(use_db, small_db, monkeypatch):
    """The other pages' footers are checked where test_app renders every page."""
    assert set(PAGES) | {"data_management", "site_profile"} == {s.key for s in ui.PAGES}
    use_db(small_db)
    monkeypatch.setenv("FCA_ROLE", "admin")
    for page in ("data_management", "site_profile"):
        at = open_app({"site_id": "FCA-0001"})
        at = visit_page(at, page)
        assert not at.exception
        footer = shown(at.main.caption[-1].value)
        assert footer.startswith("Data: synthetic demonstration data made by dashboard.demo "
                                 "(seed 42), built on "), page


def test_the_footer_names_the_files_imported(use_db, small_db, tmp_path):
    database = fresh_copy(small_db, tmp_path)
    good = write_csv(tmp_path / "visites_juin.csv", [VISIT_HEADER, visit()])
    assert run(database, "visits", good).result == "loaded"
    use_db(database)
    for lang, expected in (("EN", "Imported files (1), newest first: visites_juin.csv (visits, "),
                           ("FR", "Fichiers importés (1), du plus récent au plus ancien : "
                                  "visites_juin.csv (visits, ")):
        at = visit_page(open_app({"lang": lang}), "trends")
        assert expected in shown(at.main.caption[-1].value)


@pytest.mark.parametrize("role", ["public", "donor", "steering"])
def test_the_footer_names_no_file_to_a_role_below_the_programme_team(use_db, small_db,
                                                                      tmp_path, monkeypatch,
                                                                      role):
    """A file's name can name a person or a place: the others read what kind of data came in."""
    database = fresh_copy(small_db, tmp_path)
    good = write_csv(tmp_path / "visites_Mama_Kabila_juin.csv", [VISIT_HEADER, visit()])
    assert run(database, "visits", good).result == "loaded"
    use_db(database)
    monkeypatch.setenv("FCA_ROLE", role)
    at = visit_page(open_app(), "overview")
    assert not at.exception
    footer = shown(at.main.caption[-1].value)
    assert "Imported data, newest first: visits (last loaded " in footer
    assert "Kabila" not in footer and "Imported files" not in footer


def test_a_page_with_nothing_to_show_still_says_where_its_data_come_from(use_db, small_db):
    use_db(small_db)
    at = visit_page(open_app(), "site_profile")  # no site chosen: the page stops early
    assert not at.exception
    assert "Choose a site" in " ".join(info.value for info in at.info)
    assert shown(at.main.caption[-1].value).startswith(
        "Data: synthetic demonstration data made by dashboard.demo (seed 42)")
