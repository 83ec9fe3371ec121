"""Every file in queries/ runs against the small fixture database with sample parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import db

SAMPLE_PARAMETERS = {
    "province": [None, "Lualaba"],
    "site_id": [None, "FCA-0002"],
    "programme_status": [None, "programme"],
    "start": [dt.date(2020, 1, 1)],
    "end": [dt.date(2022, 6, 30)],
    "sex": [None, "female"],
    "age_band": [None, "12-14"],
    "head_gender": [None, "female"],
    "top": [7],
}


def parameter_sets(query: db.Query) -> list[dict]:
    """All-NULL filters, then each filter set on its own."""
    base = {name: SAMPLE_PARAMETERS[name][0] for name in query.parameters}
    sets = [base]
    for name in sorted(query.parameters):
        for value in SAMPLE_PARAMETERS[name][1:]:
            sets.append({**base, name: value})
    return sets


@pytest.mark.parametrize("name", db.query_names())
def test_query_runs_with_sample_parameters(use_db, small_db, name):
    use_db(small_db)
    query = db.load_query(name)
    unknown = query.parameters - SAMPLE_PARAMETERS.keys()
    assert not unknown, f"add sample values for {unknown} to SAMPLE_PARAMETERS"
    for params in parameter_sets(query):
        result = db.run(name, **params)
        assert list(result.columns), params


@pytest.mark.parametrize("name", db.query_names())
def test_query_file_has_a_header_naming_its_grain_and_level(name):
    query = db.load_query(name)
    assert query.header.startswith(f"-- {name}:"), "first line: '-- <name>: one row per ...'"
    assert query.level in ("aggregate", "site", "record")
    assert f"-- level: {query.level}" in query.header


@pytest.mark.parametrize("name", [n for n in db.query_names() if n.startswith("indicator_")
                                  and n != "indicator_registry"])
def test_indicator_queries_return_the_series_contract(use_db, small_db, name):
    use_db(small_db)
    query = db.load_query(name)
    result = db.run(name, **{key: values[0] for key, values in SAMPLE_PARAMETERS.items()
                             if key in query.parameters})
    assert list(result.columns) == ["period", "numerator", "denominator", "value", "n"]
    assert len(result) > 0 and result["period"].is_monotonic_increasing


def test_filters_narrow_the_result(use_db, small_db):
    use_db(small_db)
    end = dt.date(2022, 6, 30)
    everywhere = db.run("trend_sites", province=None, site_id=None, programme_status=None,
                        end=end)
    lualaba = db.run("trend_sites", province="Lualaba", site_id=None, programme_status=None,
                     end=end)
    one = db.run("trend_sites", province=None, site_id="FCA-0002", programme_status=None,
                 end=end)
    assert len(everywhere) > len(lualaba) > len(one) == 1


IDENTIFYING_COLUMNS = {"household_id", "interview_id", "case_id"}


@pytest.mark.parametrize("name", db.query_names())
def test_no_query_returns_a_household_or_a_child(use_db, small_db, name):
    """Households and children are only ever counted: no result carries their identifiers,
    and no query declares itself record-level over the household survey or the cases."""
    use_db(small_db)
    query = db.load_query(name)
    result = db.run(name, **parameter_sets(query)[0])
    assert not IDENTIFYING_COLUMNS & set(result.columns)
    if query.level == "record":
        assert "household_survey" not in query.sql and "child_cases" not in query.sql
