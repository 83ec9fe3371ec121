"""What every viewer shares (dashboard.ui.computed): the watchlist computed once equals the one
computed fresh, pages do not change it, and a database swapped in is screened afresh."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil

import duckdb
import pandas as pd
import pytest
import screening_fixture
from streamlit.testing.v1 import AppTest
from support import APP, ROOT

from dashboard import data, db, ui
from dashboard.screening import watchlist

PAGE = str(ROOT / "pages" / "problem_sites.py")


def fetch(name: str, **params) -> pd.DataFrame:
    return data.fetch(data.Viewer(), name, **params)


def data_until() -> dt.date:
    metadata = dict(fetch("database_metadata").itertuples(index=False))
    return dt.date.fromisoformat(metadata["data_until"])


def fresh_watchlist(language: str = "en") -> pd.DataFrame:
    return watchlist.ranked(watchlist.screen(fetch, data_until()), language)


def page_table(at: AppTest) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if "reasons" in frame.value.columns)


def open_problem_sites() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run().switch_page(PAGE).run()


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return screening_fixture.build(tmp_path_factory.mktemp("shared") / "fca.duckdb")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shared_watchlist_equals_the_fresh_one(use_db, demo_db, language):
    use_db(demo_db)
    as_of = data_until()
    shared = ui.watchlist_table(as_of, language)
    assert ui.watchlist_table(as_of, language) is shared  # computed once
    with_reasons = watchlist.with_reasons(shared, ui.screening(as_of), language)
    fresh = fresh_watchlist(language)
    assert len(fresh) > 10
    pd.testing.assert_frame_equal(with_reasons, fresh)


def test_reasons_of_some_rows_are_theirs_in_the_full_list(use_db, demo_db):
    use_db(demo_db)
    result = watchlist.screen(fetch, data_until())
    full = watchlist.ranked(result, "en")
    rows = watchlist.ranked(result, "en", reasons=False).iloc[[5, 2, 9]]
    assert rows["reasons"].isna().all()
    assert watchlist.with_reasons(rows, result, "en")["reasons"].tolist() == \
        full["reasons"].iloc[[5, 2, 9]].tolist()


def test_the_page_shows_the_fresh_list_and_leaves_the_shared_one_as_it_was(use_db, demo_db):
    use_db(demo_db)
    at = open_problem_sites()
    assert not at.exception and not at.error
    as_of = data_until()
    shared = ui.watchlist_table(as_of, "en")
    before = copy.deepcopy(shared)
    again = open_problem_sites()  # a second viewer, served from the shared results
    fresh = fresh_watchlist().head(watchlist.PAGE_ROWS)
    for shown in (page_table(at), page_table(again)):
        assert shown["name"].tolist() == fresh["name"].tolist()
        assert shown["rank"].tolist() == fresh["rank"].tolist()
        assert shown["flags"].map(list).tolist() == fresh["flags"].tolist()
        assert shown["reasons"].tolist() == fresh["reasons"].map(" • ".join).tolist()
    pd.testing.assert_frame_equal(ui.watchlist_table(as_of, "en"), before)


def test_a_swapped_in_database_is_screened_afresh(use_db, demo_db, fixture_db, tmp_path):
    live = tmp_path / "live.duckdb"
    shutil.copy(demo_db, live)
    use_db(live)
    at = open_problem_sites()
    demo_names = page_table(at)["name"].tolist()
    assert demo_names == fresh_watchlist().head(watchlist.PAGE_ROWS)["name"].tolist()
    incoming = tmp_path / "incoming.duckdb"
    shutil.copy(fixture_db, incoming)
    os.replace(incoming, live)  # how a rebuild or an import swaps the file in
    at.run()
    assert not at.exception
    swapped = page_table(at)
    assert swapped["name"].iloc[0] == "Planted"
    assert swapped["name"].tolist() == fresh_watchlist()["name"].tolist() != demo_names
    db.reset()


def test_the_warm_up_computes_what_the_default_pages_read(use_db, demo_db, monkeypatch):
    from dashboard.indicators import views

    use_db(demo_db)
    ui._warm(db.identity(), data.Viewer().role)

    def recomputed(*args, **kwargs):
        raise AssertionError("computed again, not read from the warm-up's results")

    monkeypatch.setattr(watchlist, "screen", recomputed)
    monkeypatch.setattr(views, "load_series", recomputed)
    overview = AppTest.from_file(APP, default_timeout=90).run()
    assert not overview.exception and not overview.error
    assert overview.get("page_link")[0].proto.page.endswith("problem_sites")
    problem_sites = overview.switch_page(PAGE).run()
    assert not problem_sites.exception and not problem_sites.error
    assert len(page_table(problem_sites)) > 10


TRENDS = str(ROOT / "pages" / "trends.py")


def trend_specs(language: str = "en") -> list[dict]:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = language
    at.run().switch_page(TRENDS).run()
    assert not at.exception and not at.error
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_a_second_viewer_of_trends_gets_the_same_charts_without_building_them(use_db, demo_db,
                                                                             monkeypatch):
    from dashboard.indicators import charts as objective_charts

    use_db(demo_db)
    first = trend_specs()
    assert len(first) >= 2

    def rebuilt(*args, **kwargs):
        raise AssertionError("a chart built again, not read from the shared one")

    monkeypatch.setattr(objective_charts, "trend", rebuilt)
    assert trend_specs() == first


def test_another_language_gets_its_own_charts(use_db, demo_db):
    use_db(demo_db)
    english, french = trend_specs("en"), trend_specs("fr")
    names = {trace.get("name") for spec in english for trace in spec["data"]}
    noms = {trace.get("name") for spec in french for trace in spec["data"]}
    assert "Target" in names and "Target" not in noms and "Cible" in noms


def test_a_shared_chart_is_escaped_once(use_db, demo_db, tmp_path):
    # data_as_text ran when the chart was built: the page must not escape it a second time
    renamed = tmp_path / "renamed.duckdb"
    shutil.copyfile(demo_db, renamed)
    with duckdb.connect(str(renamed)) as con:
        con.execute("UPDATE sites SET name = 'Kamilombe & Fils' WHERE name = 'Kamilombe'")
    use_db(renamed)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["split"] = "site"
    at.run().switch_page(TRENDS).run()
    assert not at.exception
    names = {trace.get("name") for chart in at.get("plotly_chart")
             for trace in json.loads(chart.proto.spec)["data"]}
    assert "Kamilombe &amp; Fils" in names and "Kamilombe &amp;amp; Fils" not in names
