"""Every file in queries/ runs against the small fixture database with sample parameters."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard import db
from dashboard.indicators import statistics
from dashboard.indicators.registry import FAMILIES

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


def sample_values(query: db.Query) -> dict[str, list]:
    """Each parameter's sample values; a family query's measure takes every name it knows."""
    return {**SAMPLE_PARAMETERS, **FAMILIES.get(query.name, {})}


def parameter_sets(query: db.Query) -> list[dict]:
    """All-NULL filters (and a family's first measure), then each parameter varied alone."""
    values = sample_values(query)
    base = {name: values[name][0] for name in query.parameters}
    sets = [base]
    for name in sorted(query.parameters):
        for value in values[name][1:]:
            sets.append({**base, name: value})
    return sets


@pytest.mark.parametrize("name", db.query_names())
def test_query_runs_with_sample_parameters(use_db, small_db, name):
    use_db(small_db)
    query = db.load_query(name)
    unknown = query.parameters - sample_values(query).keys()
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
    result = db.run(name, **parameter_sets(query)[0])
    series, extra = list(result.columns[:5]), list(result.columns[5:])
    assert series == ["period", "numerator", "denominator", "value", "n"]
    # survey queries add their design (dashboard/indicators/statistics.DESIGN_COLUMNS)
    assert set(extra) <= set(statistics.DESIGN_COLUMNS), extra
    assert len(result) > 0 and result["period"].is_monotonic_increasing


FAMILY_MEASURES = [(query, part, name) for query, parts in FAMILIES.items()
                   for part, names in parts.items() for name in names]


@pytest.mark.parametrize("query, part, name", FAMILY_MEASURES)
def test_a_family_query_computes_every_measure_the_registry_may_name(use_db, demo_db, query,
                                                                      part, name):
    """A name the registry allows but the query's CASE lacks would give no figures at all
    (on the full demo: the small fixture ends before the first Cobalt Credit)."""
    use_db(demo_db)
    params = {**parameter_sets(db.load_query(query))[0], part: name,
              "end": dt.date(2026, 10, 31)}
    result = db.run(query, **params)
    column = "value" if part in ("event", "milestone") else part
    assert (result[column].fillna(0) != 0).any(), f"{query} gives no {part} for '{name}'"


@pytest.mark.parametrize("query", FAMILIES)
def test_a_family_query_knows_only_the_names_the_registry_checks(query):
    sql = db.load_query(query).sql
    parts = FAMILIES[query]
    # the names a measure's parameter is compared with: CASE $part WHEN 'name' ... END, or
    # $part = 'name' (other parameters, such as $head_gender, have their own values)
    named = {name for part, body in re.findall(r"CASE \$(\w+)(.*?)END", sql, re.S)
             if part in parts for name in re.findall(r"WHEN '(\w+)'", body)}
    named |= {name for part, name in re.findall(r"\$(\w+) = '(\w+)'", sql) if part in parts}
    allowed = {name for names in FAMILIES[query].values() for name in names}
    assert named <= allowed, named - allowed
    assert set(FAMILIES[query]) <= db.load_query(query).parameters


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
