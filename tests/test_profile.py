"""The site profile builders (dashboard/profile.py): labels, facts, totals and figures."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.sites import profile


def test_site_labels_let_a_picker_match_names_aliases_and_ids():
    assert profile.site_label("FCA-0001", "Kasulo", "Lualaba", np.array(["Kasulu"])) == (
        "Kasulo (Kasulu) · Lualaba · FCA-0001")
    assert profile.site_label("FCA-0002", "Kamilombe", "Lualaba", []) == (
        "Kamilombe · Lualaba · FCA-0002")
    assert profile.site_label("X-1", "Nowhere", None, None) == "Nowhere · X-1"


@pytest.mark.parametrize("enrolled, start, expected", [
    (dt.date(2021, 6, 1), dt.date(2020, 1, 1), dt.date(2020, 6, 1)),
    (dt.date(2020, 8, 1), dt.date(2020, 1, 1), dt.date(2020, 1, 1)),  # data begin later
    (None, dt.date(2020, 1, 1), dt.date(2020, 1, 1)),                  # comparison site
    (pd.NaT, dt.date(2023, 1, 1), dt.date(2023, 1, 1)),
])
def test_trends_begin_a_year_before_enrolment(enrolled, start, expected):
    assert profile.trend_start(enrolled, start) == expected


def test_only_key_ratio_and_median_indicators_are_compared_with_a_group():
    registry = pd.DataFrame({
        "indicator_id": ["tonnes", "fair", "children", "cases", "income", "women", "graded"],
        "objective": ["fair_cobalt", "fair_cobalt", "child_labour", "child_labour", "income",
                      "gender", "fair_cobalt"],
        "kind": ["amount", "share", "rate_per_1000", "count", "median", "share", "share"],
        "periodicity": ["periodic", "periodic", "periodic", "cumulative", "periodic",
                        "periodic", "periodic"],
        "headline": [True, True, True, True, True, True, False]})
    chosen = profile.comparable_indicators(registry, ("child_labour", "fair_cobalt", "income"))
    assert chosen["indicator_id"].tolist() == ["children", "fair", "income"]


def series(values, n=10, start="2021-01-01") -> pd.DataFrame:
    periods = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"period": periods, "numerator": values, "denominator": 1.0,
                         "value": values, "n": n})


def test_trend_figure_draws_the_site_over_its_comparison_group_and_marks_enrolment():
    figure = profile.trend_figure(
        series([0.1, 0.2, 0.3]), series([0.1, 0.1, 0.1], n=50), title="Fair Cobalt",
        kind="share", site_label="Kasulo", comparison_label="Comparison sites, Lualaba",
        n_label="n", enrolled_on=dt.date(2021, 2, 1), enrolled_label="enrolment")
    assert [trace.name for trace in figure.data] == ["Comparison sites, Lualaba", "Kasulo"]
    assert list(figure.data[1].y) == [0.1, 0.2, 0.3]
    assert figure.data[0].customdata[0][0] == 50
    assert figure.layout.shapes[0].x0 == pd.Timestamp("2021-02-01")
    assert figure.layout.annotations[0].text == "enrolment"
    assert figure.layout.yaxis.tickformat == ".0%"
    unmarked = profile.trend_figure(series([3.0]), series([4.0]), title="t", kind="median",
                                    site_label="a", comparison_label="b", n_label="n")
    assert not unmarked.layout.shapes and unmarked.layout.yaxis.tickformat is None


def visits() -> pd.DataFrame:
    return pd.DataFrame({
        "visited_on": pd.to_datetime(["2026-10-24", "2026-09-10"]),
        "workers": [5623, 6881], "women": [1141, 1450], "children_under_15": [24, 31],
        "children_15_17": [35, 49], "active_pits": [947, 1000], "covered_pits": [560, 500],
        "pits_over_30m": [117, 137], "deepest_pit_m": [37.9, 35.3],
        "ppe_use_share": [0.62, np.nan], "safety_captain_present": [False, True],
        "independent_grading": [None, True], "source": ["programme monitoring", "IPIS"]})


def test_visit_facts_show_the_latest_visit_and_its_change_since_the_one_before():
    facts = {fact.key: fact for fact in profile.visit_facts(visits(), "en")}
    assert facts["workers"] == profile.Fact("workers", "5,623", "-1,258", None)
    assert facts["children_under_15"] == profile.Fact("children_under_15", "24", "-7", "lower")
    assert facts["covered_pits_share"].value == "59%"
    assert facts["covered_pits_share"].delta == "+9.1 pts"  # 59.1% against 50.0%
    assert facts["deepest_pit_m"].value == "37.9 m" and facts["deepest_pit_m"].delta == "+2.6 m"
    assert facts["ppe_use_share"].delta is None  # not measured at the visit before
    assert profile.visit_facts(visits().head(1), "fr")[0].delta is None
    assert profile.visit_facts(visits().iloc[0:0], "en") == []


def test_visit_checks_keep_unknown_apart_from_no():
    assert profile.visit_checks(visits()) == {"safety_captain_present": False,
                                              "independent_grading": None,
                                              "women_present": None, "armed_interference": None,
                                              "children_under_15_present": True}


def test_children_seen_come_from_the_count_else_from_the_flag():
    rows = visits().assign(children_under_15_present=pd.array([True, pd.NA], dtype="boolean"))
    assert profile.visit_checks(rows)["children_under_15_present"] is True
    rows = rows.assign(children_under_15=pd.array([pd.NA, 1], dtype="Int64"),
                       children_under_15_present=pd.array([False, pd.NA], dtype="boolean"))
    assert profile.visit_checks(rows)["children_under_15_present"] is False
    rows = rows.assign(children_under_15_present=pd.array([pd.NA, pd.NA], dtype="boolean"))
    assert profile.visit_checks(rows)["children_under_15_present"] is None


def test_injuries_not_recorded_are_not_zero():
    rows = pd.DataFrame({"occurred_on": pd.to_datetime(["2026-10-15", "2026-07-24"]),
                         "kind": ["fall", "fall"], "fatalities": [1, 0],
                         "injuries": pd.array([2, pd.NA], dtype="Int64")})
    totals = profile.incident_totals(rows)
    assert (totals.injuries, totals.injuries_unknown) == (2, 1)
    assert totals.injuries_text("en") == "at least 2"
    assert profile.incident_totals(rows.iloc[1:]).injuries_text("fr") == "–"
    figure = profile.incidents_figure(rows, {"fall": "Fall"}, title="", fatal_label="f",
                                      injury_label="i", fatalities_label="d",
                                      injuries_label="j")
    assert [list(t.customdata[0]) for t in figure.data] == [[0, "–"], [1, 2]]


def incidents() -> pd.DataFrame:
    return pd.DataFrame({
        "occurred_on": pd.to_datetime(["2026-10-15", "2026-07-24", "2026-07-14"]),
        "kind": ["pit_collapse", "flooding", "pit_collapse"],
        "fatalities": [0, 1, 2], "injuries": [2, 0, 1]})


def test_incident_totals_and_timeline():
    assert profile.incident_totals(incidents()) == profile.IncidentTotals(3, 2, 3, 3)
    figure = profile.incidents_figure(
        incidents(), {"pit_collapse": "Pit collapse", "flooding": "Flooding"}, title="t",
        fatal_label="Someone died", injury_label="Injuries only", fatalities_label="Deaths",
        injuries_label="Injured")
    injuries, fatal = figure.data
    assert (injuries.name, list(injuries.y)) == ("Injuries only", ["Pit collapse"])
    assert (fatal.name, list(fatal.y)) == ("Someone died", ["Flooding", "Pit collapse"])
    assert list(fatal.marker.size) == [9, 15]  # 6 + 3 per person affected
    assert "Deaths %{customdata[0]}, Injured %{customdata[1]}" in fatal.hovertemplate


def supply() -> pd.DataFrame:
    return pd.DataFrame({
        "month": pd.to_datetime(["2026-09-01", "2026-10-01"]), "lots": [100, 17],
        "cobalt_tonnes": [10.0, 6.0], "fair_cobalt_tonnes": [2.0, 2.0],
        "graded_cobalt_tonnes": [5.0, 3.0], "value_usd": [80.0, 40.0],
        "reference_value_usd": [100.0, 60.0], "credit_tonnes": [0.0, 1.0],
        "credit_usd": [0.0, 5000.0]})


def test_supply_totals_and_chart():
    totals = profile.supply_totals(supply())
    assert totals == profile.SupplyTotals(lots=117, cobalt_tonnes=16.0, fair_share=0.25,
                                          graded_share=0.5, price_vs_reference=0.75,
                                          credit_usd=5000.0)
    none = profile.supply_totals(supply().iloc[0:0])
    assert none.lots == 0 and none.fair_share is None and none.price_vs_reference is None
    figure = profile.supply_figure(supply(), title="t", fair_label="Fair Cobalt",
                                   other_label="Other", y_title="tonnes")
    assert [trace.name for trace in figure.data] == ["Fair Cobalt", "Other"]
    assert list(figure.data[1].y) == [8.0, 4.0] and figure.layout.barmode == "stack"


def test_facts_markdown_escapes_pipes_and_shows_blanks_as_dashes():
    text = profile.facts_markdown([("Permit", "PE 1 | PE 2"), ("Aliases", None),
                                   ("Source", ""), ("Note", "two\nlines")])
    assert text.splitlines() == ["| | |", "|---|---|", "| **Permit** | PE 1 \\| PE 2 |",
                                 "| **Aliases** | – |", "| **Source** | – |",
                                 "| **Note** | two lines |"]


def test_a_picker_names_the_province_only_where_it_tells_same_named_sites_apart():
    sites = pd.DataFrame({"site_id": ["S1", "S2", "S3"], "name": ["Kasulo", "Kasulo", "Mutoshi"],
                          "province": ["Lualaba", "Haut-Katanga", "Lualaba"],
                          "aliases": [["Kasulu"], [], None]})
    assert profile.site_labels(sites) == {"S1": "Kasulo (Kasulu) · Lualaba · S1",
                                          "S2": "Kasulo · Haut-Katanga · S2",
                                          "S3": "Mutoshi · S3"}
