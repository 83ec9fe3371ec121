"""From query results to what the pages show: splits, headlines, chart data, the words beside
a chart, and the trend figure drawn from the chart data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard import i18n
from dashboard.indicators import charts as objective_charts
from dashboard.indicators import statistics, text, views
from dashboard.indicators.statistics import Point

SHARE = views.Spec(
    id="fair_cobalt_share", objective="fair_cobalt", query="indicator_supply_share",
    kind="share", unit="share", direction="higher_is_better", periodicity="periodic",
    grain="month", interval="none", n_unit="lots",
    disaggregations=("programme_status", "province", "site"),
    baseline=Point(dt.date(2020, 12, 31), 0.0),
    targets=(Point(dt.date(2022, 12, 31), 0.10), Point(dt.date(2024, 12, 31), 0.30)),
    measure=(("numerator", "fair_cobalt_tonnes"), ("denominator", "cobalt_tonnes")))
CASES = views.Spec(
    id="cases_resolved", objective="child_labour", query="indicator_case_count",
    kind="count", unit="children", direction="higher_is_better", periodicity="cumulative",
    grain="month", interval="none", n_unit="cases",
    disaggregations=("province", "site", "sex", "age_band"),
    baseline=Point(dt.date(2020, 7, 31), 0.0), targets=(Point(dt.date(2022, 12, 31), 100.0),),
    measure=(("event", "resolved"),))
SURVEY = views.Spec(
    id="school_enrolment", objective="child_labour", query="indicator_survey_ratio",
    kind="share", unit="share", direction="higher_is_better", periodicity="periodic",
    grain="round", interval="wilson", n_unit="children",
    disaggregations=("programme_status", "province", "site", "head_gender"),
    baseline=None, targets=(),
    measure=(("numerator", "w_children_in_school"), ("denominator", "w_children_5_17")))


def months(values, numerators, denominators, start="2021-01-01"):
    return pd.DataFrame({"period": pd.date_range(start, periods=len(values), freq="MS"),
                         "numerator": numerators, "denominator": denominators,
                         "value": values, "n": [10] * len(values)})


def test_query_parameters_follow_the_registry_and_the_scope():
    params = views.query_parameters(
        CASES, {"province": "Lualaba", "site_id": None, "start": dt.date(2024, 1, 1),
                "end": dt.date(2024, 12, 31)}, dt.date(2020, 1, 1), "programme")
    assert params == {"province": "Lualaba", "site_id": None, "programme_status": "programme",
                      "start": dt.date(2020, 1, 1), "end": dt.date(2024, 12, 31),
                      "sex": None, "age_band": None, "event": "resolved"}
    everywhere = views.query_parameters(SURVEY, {}, dt.date(2020, 1, 1), "all")
    assert everywhere["programme_status"] is None and "head_gender" in everywhere
    assert (everywhere["numerator"], everywhere["denominator"]) == ("w_children_in_school",
                                                                    "w_children_5_17")
    with pytest.raises(ValueError, match="Unknown sites scope 'both'"):
        views.query_parameters(SURVEY, {}, dt.date(2020, 1, 1), "both")


def recording_load(rows: pd.DataFrame, first_month: str = "2020-01-01"):
    """A stand-in for ``ui.load``: the data period, then ``rows`` for any other query."""
    calls = []

    def load(name, **params):
        calls.append((name, params))
        if name == "data_period":
            return pd.DataFrame({"first_month": [pd.Timestamp(first_month)]})
        return rows
    return load, calls


def test_a_series_is_loaded_from_early_enough_for_its_window_and_reported_from_start():
    rows = months([0.1] * 24, [1] * 24, [10] * 24, start="2022-01-01")
    load, calls = recording_load(rows)
    series = views.load_series(load, SHARE, {"province": "Lualaba", "site_id": None,
                                             "end": dt.date(2023, 12, 31)},
                               dt.date(2023, 1, 1), "all", {"site_id": "FCA-0002"})
    name, params = calls[-1]
    assert name == "indicator_supply_share"
    assert params == {"province": "Lualaba", "site_id": "FCA-0002", "programme_status": None,
                      "start": dt.date(2022, 2, 1), "end": dt.date(2023, 12, 31),
                      "numerator": "fair_cobalt_tonnes", "denominator": "cobalt_tonnes"}
    assert series.rows is rows
    assert series.reporting["period"].min() == pd.Timestamp("2023-01-01")
    assert series.reporting["value"].tolist() == pytest.approx([0.1] * 12)


def test_a_to_date_series_is_loaded_from_the_first_month_of_the_data():
    load, calls = recording_load(months([1.0] * 3, [1] * 3, [None] * 3), "2020-07-01")
    views.load_series(load, CASES, {"end": dt.date(2024, 12, 31)}, dt.date(2024, 1, 1),
                      "programme")
    assert calls[-1][1]["start"] == dt.date(2020, 7, 1)
    assert calls[-1][1]["programme_status"] == "programme"


def test_split_groups_select_each_group_by_a_filter():
    sites = [(f"FCA-{i:04d}", f"Site {i}") for i in range(1, 12)]
    assert views.split_groups(CASES, None, [], []) == [("all", {})]
    assert views.split_groups(CASES, "sex", [], []) == [
        ("female", {"sex": "female"}), ("male", {"sex": "male"})]
    assert [g for g, _ in views.split_groups(CASES, "age_band", [], [])] == [
        "5-11", "12-14", "15-17"]
    assert views.split_groups(SHARE, "province", ["Lualaba"], []) == [
        ("Lualaba", {"province": "Lualaba"})]
    by_site = views.split_groups(SHARE, "site", [], sites)
    assert len(by_site) == views.MAX_SITES and by_site[0] == (
        "Site 1", {"site_id": "FCA-0001"})
    # a dimension the data do not have: one group, unsplit
    assert views.split_groups(SHARE, "sex", [], []) == [("all", {})]
    assert views.split_groups(CASES, "programme_status", [], []) == [("all", {})]


def test_reporting_drops_short_windows_and_keeps_the_period_from_start():
    data = months([0.1] * 24, [1.0] * 24, [10.0] * 24, start="2020-01-01")
    frame = views.reporting(data, SHARE, dt.date(2020, 6, 1))
    assert frame["period"].min() == pd.Timestamp("2020-12-01")  # the first full 12 months
    assert frame["n"].iloc[0] == 120 and frame["value"].iloc[0] == pytest.approx(0.1)


def test_the_headline_is_the_last_value_with_its_status_and_progress():
    data = months([0.2] * 12, [2.0] * 12, [10.0] * 12, start="2023-01-01")
    frame = views.reporting(data, SHARE, dt.date(2023, 1, 1))
    result = views.headline(frame, SHARE, dt.date(2023, 12, 31))
    assert result.day == dt.date(2023, 12, 31)  # a 12-month value describes the month's end
    assert (result.value, result.n, result.numerator, result.denominator) == (
        pytest.approx(0.2), 120, 24, 120)
    # path on 2023-12-31: 0.10 + 0.20 * 365 / 731 = 0.1999, all of it achieved from 0.0
    assert result.assessment.expected == pytest.approx(0.10 + 0.20 * 365 / 731)
    assert result.assessment.status == "on_track"
    assert result.target == Point(dt.date(2024, 12, 31), 0.30)
    assert result.progress == pytest.approx(0.2 / 0.3)
    assert result.change == pytest.approx(0.2)


def test_a_headline_without_values_has_no_data_status():
    empty = views.reporting(months([], [], []), SHARE, dt.date(2023, 1, 1))
    result = views.headline(empty, SHARE, dt.date(2023, 12, 31))
    assert result.value is None and result.assessment.status == "no_data"


def test_survey_values_describe_their_round_and_carry_a_wilson_interval():
    data = pd.DataFrame({"period": pd.to_datetime(["2024-03-01"]), "numerator": [81.0],
                         "denominator": [263.0], "value": [81 / 263], "n": [263]})
    frame = views.reporting(data, SURVEY, dt.date(2024, 1, 1))
    result = views.headline(frame, SURVEY, dt.date(2024, 12, 31))
    assert result.day == dt.date(2024, 3, 1)
    assert (result.low, result.high) == pytest.approx((0.2553, 0.3662), abs=5e-5)
    assert result.assessment.status == "no_target"


def test_chart_data_holds_every_point_the_chart_draws():
    actual = views.reporting(months([0.1] * 36, [1.0] * 36, [10.0] * 36,
                                              start="2021-01-01"), SHARE, dt.date(2022, 1, 1))
    monthly = views.monthly_values(months([0.1] * 3, [1.0] * 3, [10.0] * 3), SHARE,
                                             dt.date(2021, 1, 1))
    data = views.chart_data({"Programme sites": actual}, SHARE, dt.date(2022, 1, 1),
                                      dt.date(2023, 12, 31), monthly)
    assert list(data.columns) == views.CHART_COLUMNS
    assert data.groupby("series").size().to_dict() == {
        "actual": 24, "monthly": 3, "baseline": 2, "target": 2, "target_path": 3}
    # the chart runs to the last target (2024-12-31); the baseline is a level line across it
    baseline = data[data["series"] == "baseline"]
    assert baseline["period"].dt.date.tolist() == [dt.date(2022, 1, 1), dt.date(2024, 12, 31)]
    # the path is clipped to the chart's start by interpolation, then runs through the targets
    path = data[data["series"] == "target_path"]
    assert path["period"].dt.date.tolist() == [dt.date(2022, 1, 1), dt.date(2022, 12, 31),
                                               dt.date(2024, 12, 31)]
    assert path["value"].iloc[0] == pytest.approx(0.10 * 366 / 730)
    assert data[data["series"] == "target"]["value"].tolist() == [0.10, 0.30]


def test_monthly_values_only_for_twelve_month_ratios():
    data = months([1.0], [1.0], [1.0])
    assert views.monthly_values(data, CASES, dt.date(2021, 1, 1)) is None
    assert views.monthly_values(data, SURVEY, dt.date(2021, 1, 1)) is None
    assert len(views.monthly_values(data, SHARE, dt.date(2021, 1, 1))) == 1


# -- the words beside a chart --------------------------------------------------------------

def headline_for(spec, value, day, n=120, numerator=24.0, denominator=120.0):
    frame = pd.DataFrame({"period": [pd.Timestamp(day).replace(day=1)], "numerator": [numerator],
                          "denominator": [denominator], "value": [value], "n": [n],
                          "months": [12], "low": [np.nan], "high": [np.nan]})
    return views.headline(frame, spec, dt.date(2030, 1, 1))


def test_status_lines_give_the_formula_with_the_numbers_put_into_it():
    result = headline_for(SHARE, 0.2, dt.date(2023, 12, 1))
    lines = text.status_lines(SHARE, result, "en")
    assert lines[0] == "**20.0%**  · 12 months to Dec 2023"
    assert "n = 120 lots" in lines and "= 24.0 ÷ 120.0" in lines
    assert "Baseline: 0.0% (Dec 31, 2020)" in lines
    assert "Next target: 30.0% by Dec 31, 2024" in lines
    assert lines[-1] == "Progress = (20.0% − 0.0%) ÷ (30.0% − 0.0%) = **67%**"


def test_status_lines_in_french():
    result = headline_for(CASES, 80.0, dt.date(2022, 6, 1))
    lines = text.status_lines(CASES, result, "fr")
    assert lines[0] == "**80** enfants · jusqu'à juin 2022"
    assert lines[-1] == "Progression = (80 − 0) ÷ (100 − 0) = **80\u00a0%**"


def test_the_methods_name_the_query_and_the_measure_it_is_given():
    assert text.measure_text(SHARE) == (" (`$numerator = 'fair_cobalt_tonnes'`, "
                                        "`$denominator = 'cobalt_tonnes'`)")
    single = views.Spec(**{**SHARE.__dict__, "query": "indicator_cobalt_tonnes_sold",
                           "measure": ()})
    assert text.measure_text(single) == ""


def test_group_labels_name_the_groups_for_the_reader():
    assert text.group_label("sex", "female", "en") == "Girls"
    assert text.group_label("head_gender", "male", "fr") == \
        "Ménages dirigés par un homme"
    assert text.group_label("age_band", "12-14", "en") == "Aged 12-14"
    assert text.group_label("province", "Lualaba", "fr") == "Lualaba"


# -- the figure ----------------------------------------------------------------------------

LABELS = {"monthly": "Month by month", "baseline": "Baseline", "target": "Target",
          "target_path": "Target path"}


def figure_for(data, **options):
    settings = dict(title=None, y_title="%", kind="share", unit="share", labels=LABELS,
                    n_label="n", interval_label="95% interval", bands=True)
    return objective_charts.trend(data, **{**settings, **options})


def test_the_trend_figure_draws_exactly_the_chart_data():
    actual = views.reporting(months([0.1] * 24, [1.0] * 24, [10.0] * 24),
                                       SHARE, dt.date(2021, 1, 1))
    data = views.chart_data({"Girls": actual, "Boys": actual.assign(
        value=0.2)}, SHARE, dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    figure = figure_for(data)
    drawn = {(t.meta["series"], t.meta["group"]): t for t in figure.data}
    assert set(drawn) == {("actual", "Girls"), ("actual", "Boys"), ("baseline", ""),
                          ("target", ""), ("target_path", "")}
    for (series, group), trace in drawn.items():
        rows = data[(data["series"] == series) & (data["group"] == group)]
        assert list(trace.y) == rows["value"].tolist()
        assert list(pd.to_datetime(trace.x)) == rows["period"].tolist()
    assert drawn[("actual", "Boys")].name == "Boys"


def test_intervals_are_bands_for_months_and_error_bars_for_rounds():
    rounds = pd.DataFrame({"period": pd.to_datetime(["2024-03-01", "2024-09-01"]),
                           "numerator": [30.0, 40.0], "denominator": [100.0, 100.0],
                           "value": [0.3, 0.4], "n": [100, 100]})
    frame = views.reporting(rounds, SURVEY, dt.date(2024, 1, 1))
    data = views.chart_data({"Programme sites": frame}, SURVEY, dt.date(2024, 1, 1),
                                      dt.date(2024, 12, 31))
    bars = figure_for(data, bands=False)
    actual = next(t for t in bars.data if t.meta["series"] == "actual")
    assert list(actual.error_y.array) == pytest.approx((frame["high"] - frame["value"]).tolist())
    band = figure_for(data, bands=True)
    shaded = next(t for t in band.data if t.meta["series"] == "interval")
    assert list(shaded.y) == pytest.approx([*frame["high"], *frame["low"][::-1]])


def test_every_status_scope_split_and_tab_has_words_in_both_languages():
    keys = [*(f"indicators.status.{s}" for s in statistics.STATUSES),
            *(f"indicators.scope.{s}" for s in views.SCOPES),
            *(f"indicators.dimension.{d}" for d in ("none", *views.SPLIT_DIMENSIONS)),
            *(f"trends.tab.{o}" for o in views.OBJECTIVES),
            *(f"objectives.{o}" for o in views.OBJECTIVES),
            *(f"indicators.group.{g}" for g in views.SPLIT_VALUES["programme_status"])]
    for language in ("en", "fr"):
        missing = [key for key in keys if key not in i18n.catalog(language)]
        assert missing == [], language
    assert set(text.STATUS_COLOURS) == set(statistics.STATUSES)
