"""Indicator arithmetic by hand-checked examples: combining periods, 12-month and to-date
values, intervals on series, the target path, the status rule at its boundaries, progress."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.indicators import statistics
from dashboard.indicators.statistics import Point


def series(rows):
    return pd.DataFrame(rows, columns=["period", "numerator", "denominator", "value", "n"]).assign(
        period=lambda f: pd.to_datetime(f["period"]))


MONTHS = series([
    ("2024-01-01", 2, 1000, 2.0, 3),
    ("2024-02-01", 6, 1000, 6.0, 2),
    ("2024-03-01", 1, 2000, 0.5, 4),
])


# -- combining periods ---------------------------------------------------------------------

def test_shares_and_rates_weigh_periods_by_their_denominator():
    # (2 + 6 + 1) / (1000 + 1000 + 2000) = 9 / 4000, not the mean of 2, 6 and 0.5
    assert statistics.combine(MONTHS, "rate_per_1000").value == pytest.approx(1000 * 9 / 4000)
    assert statistics.combine(MONTHS, "share").value == pytest.approx(9 / 4000)
    assert statistics.combine(MONTHS, "ratio").value == pytest.approx(9 / 4000)
    combined = statistics.combine(MONTHS, "share")
    assert (combined.n, combined.numerator, combined.denominator) == (9, 9, 4000)


def test_counts_and_amounts_add_up():
    assert statistics.combine(MONTHS, "count").value == pytest.approx(8.5)
    assert statistics.combine(MONTHS, "amount").n == 9


@pytest.mark.parametrize("kind", ["median", "mean", "stock"])
def test_medians_means_and_stocks_take_the_latest_period(kind):
    result = statistics.combine(MONTHS, kind)
    assert (result.value, result.n, result.last) == (0.5, 4, dt.date(2024, 3, 1))


def test_empty_series_and_unknown_kinds():
    assert statistics.combine(MONTHS.iloc[0:0], "share").value is None
    with pytest.raises(ValueError, match="Unknown indicator kind 'ratios'"):
        statistics.combine(MONTHS, "ratios")


def test_zero_denominator_gives_no_value():
    zero = series([("2024-01-01", 0, 0, None, 0)])
    assert statistics.combine(zero, "share").value is None


def test_windows_include_their_edges():
    assert len(statistics.window(MONTHS, dt.date(2024, 2, 1), dt.date(2024, 3, 1))) == 2


# -- reporting values ----------------------------------------------------------------------

def monthly(values, numerators=None, denominators=None, start="2023-01-01"):
    periods = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"period": periods, "numerator": numerators or values,
                         "denominator": denominators or [np.nan] * len(values),
                         "value": values, "n": [1] * len(values)})


def test_a_twelve_month_count_sums_the_twelve_months_to_each_month():
    # 1, 2, ..., 14: the 12 months to month 12 sum to 78, to month 13 to 90 (2 + ... + 13)
    result = statistics.reporting_series(monthly(list(range(1, 15))), "count", "periodic",
                                         "month")
    assert result["value"].tolist()[11:] == [78, 90, 102]
    assert result["months"].tolist()[10:13] == [11, 12, 12]
    assert statistics.full_windows(result, "count", "month", "periodic")["value"].tolist() == [
        78, 90, 102]


def test_a_twelve_month_rate_divides_sums_and_counts_a_missing_month_as_nothing():
    # month 2 has no row (no visit): the window sums what exists, it does not skip a month
    data = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-03-01"]),
                         "numerator": [3, 1], "denominator": [1000, 3000], "value": [3, 1 / 3],
                         "n": [2, 5]})
    result = statistics.reporting_series(data, "rate_per_1000", "periodic", "month")
    assert result["value"].tolist() == pytest.approx([3.0, 1000 * 4 / 4000])
    assert result["n"].tolist() == [2, 7]
    assert result["months"].tolist() == [1, 3]


def test_the_window_is_twelve_calendar_months_not_twelve_rows():
    data = monthly([1] * 24)
    data = data[data["period"] != pd.Timestamp("2023-06-01")]  # a month without a row
    result = statistics.reporting_series(data, "count", "periodic", "month")
    last = result[result["period"] == pd.Timestamp("2024-12-01")]
    assert last["value"].item() == 12  # 2024-01 .. 2024-12, untouched by the 2023 gap
    june_2024 = result[result["period"] == pd.Timestamp("2024-06-01")]
    assert june_2024["value"].item() == 12  # 2023-07 .. 2024-06: the gap is just outside
    may_2024 = result[result["period"] == pd.Timestamp("2024-05-01")]
    assert may_2024["value"].item() == 11  # 2023-06 .. 2024-05 includes the empty month


def test_a_cumulative_count_is_to_date_from_the_first_period():
    result = statistics.reporting_series(monthly([0, 2, 0, 3]), "count", "cumulative", "month")
    assert result["value"].tolist() == [0, 2, 2, 5]
    assert result["months"].tolist() == [1, 2, 3, 4]


def test_a_cumulative_share_is_the_ratio_of_the_sums_to_date():
    data = monthly([0.5, 0.0, 1.0], numerators=[1, 0, 2], denominators=[2, 0, 2])
    result = statistics.reporting_series(data, "share", "cumulative", "month")
    assert result["value"].tolist() == pytest.approx([0.5, 0.5, 0.75])
    assert result["denominator"].tolist() == [2, 2, 4]


@pytest.mark.parametrize("grain", ["month", "round"])
def test_stocks_medians_and_rounds_stand_as_the_query_gives_them(grain):
    data = monthly([5.0, 7.0, 6.0])
    assert statistics.reporting_series(data, "median", "periodic", grain)["value"].tolist() == [
        5.0, 7.0, 6.0]
    assert statistics.reporting_series(data, "share", "periodic", "round")["value"].tolist() == [
        5.0, 7.0, 6.0]


def test_load_start_reaches_back_as_far_as_the_value_needs():
    start, first = dt.date(2023, 1, 1), dt.date(2020, 1, 1)
    assert statistics.load_start("cumulative", "month", start, first) == first
    assert statistics.load_start("periodic", "month", start, first) == dt.date(2022, 2, 1)
    assert statistics.load_start("periodic", "round", start, first) == start


def test_wilson_intervals_on_a_series_use_the_share_and_n():
    data = pd.DataFrame({"period": pd.to_datetime(["2024-03-01"]), "numerator": [81.0],
                         "denominator": [263.0], "value": [81 / 263], "n": [263]})
    result = statistics.with_interval(data, "wilson")
    # Newcombe (1998), Table II, example (a): 81/263 -> 0.2553 to 0.3662
    assert (result["low"].item(), result["high"].item()) == pytest.approx((0.2553, 0.3662),
                                                                          abs=5e-5)


def test_poisson_intervals_on_a_series_scale_the_count_by_the_exposure():
    data = pd.DataFrame({"period": pd.to_datetime(["2024-03-01"]), "numerator": [1.0],
                         "denominator": [2000.0], "value": [0.5], "n": [12]})
    result = statistics.with_interval(data, "poisson")
    # k = 1: 0.0253 to 5.5716 events, per 1,000 over 2,000 miner-years
    assert (result["low"].item(), result["high"].item()) == pytest.approx(
        (0.0253 / 2, 5.5716 / 2), abs=1e-4)


def test_no_interval_and_unknown_methods():
    assert statistics.with_interval(MONTHS, "none")["low"].isna().all()
    with pytest.raises(ValueError, match="Unknown interval method 'bootstrap'"):
        statistics.with_interval(MONTHS, "bootstrap")


def test_value_at_takes_the_latest_value_on_or_before_the_day():
    assert statistics.value_at(MONTHS, dt.date(2024, 2, 15))["value"] == 6.0
    assert statistics.value_at(MONTHS, dt.date(2023, 12, 31)) is None


# -- target path, status, progress ---------------------------------------------------------

BASELINE = Point(dt.date(2020, 1, 1), 10.0)
TARGETS = [Point(dt.date(2022, 1, 1), 20.0), Point(dt.date(2024, 1, 1), 30.0)]


def test_the_path_runs_straight_between_baseline_and_targets_and_stays_flat_after():
    path = statistics.target_path(BASELINE, TARGETS)
    assert statistics.path_value(path, dt.date(2019, 12, 31)) is None
    assert statistics.path_value(path, dt.date(2020, 1, 1)) == 10.0
    # 2021-01-01 is 366 of the 731 days from baseline to the first target (2020 is a leap year)
    assert statistics.path_value(path, dt.date(2021, 1, 1)) == pytest.approx(10 + 10 * 366 / 731)
    assert statistics.path_value(path, dt.date(2022, 1, 1)) == 20.0
    assert statistics.path_value(path, dt.date(2030, 1, 1)) == 30.0
    assert statistics.target_path(None, TARGETS) == []


def test_the_next_target_is_the_first_due_on_or_after_the_day_else_the_last():
    assert statistics.next_target(TARGETS, dt.date(2021, 6, 1)) == TARGETS[0]
    assert statistics.next_target(TARGETS, dt.date(2022, 1, 1)) == TARGETS[0]
    assert statistics.next_target(TARGETS, dt.date(2026, 1, 1)) == TARGETS[1]
    assert statistics.next_target([], dt.date(2026, 1, 1)) is None


# On 2022-01-01 the path stands at 20: 10 planned since the baseline of 10.
ON_TARGET_DAY = dt.date(2022, 1, 1)


@pytest.mark.parametrize("actual, status", [
    (20.0, "on_track"),      # all of the planned change
    (19.0, "on_track"),      # exactly 90%: the boundary is on track
    (18.999, "at_risk"),     # just under 90%
    (15.0, "at_risk"),       # exactly 50%: the boundary is at risk
    (14.999, "off_track"),   # just under 50%
    (10.0, "off_track"),     # no change
    (8.0, "off_track"),      # the wrong way
    (25.0, "on_track"),      # ahead of the path
])
def test_status_rule_at_its_boundaries_when_higher_is_better(actual, status):
    result = statistics.assess(actual, BASELINE, TARGETS, "higher_is_better", ON_TARGET_DAY)
    assert result.status == status
    assert result.expected == 20.0
    assert result.achieved == pytest.approx((actual - 10) / 10)


@pytest.mark.parametrize("actual, status", [
    (5.5, "on_track"),       # baseline 10, path 5 on the day: 4.5 of 5 planned = 90%
    (5.5001, "at_risk"),
    (7.5, "at_risk"),        # 50%
    (7.5001, "off_track"),
    (11.0, "off_track"),     # worse than the baseline
])
def test_status_rule_at_its_boundaries_when_lower_is_better(actual, status):
    targets = [Point(dt.date(2022, 1, 1), 5.0)]
    result = statistics.assess(actual, BASELINE, targets, "lower_is_better", ON_TARGET_DAY)
    assert result.status == status


def test_when_no_change_is_planned_yet_on_track_means_no_worse_than_the_path():
    on_baseline_day = BASELINE.day
    assert statistics.assess(10.0, BASELINE, TARGETS, "higher_is_better",
                             on_baseline_day).status == "on_track"
    assert statistics.assess(9.99, BASELINE, TARGETS, "higher_is_better",
                             on_baseline_day).status == "off_track"
    hold = [Point(dt.date(2022, 1, 1), 10.0)]  # a target to hold the baseline level
    assert statistics.assess(10.5, BASELINE, hold, "higher_is_better",
                             ON_TARGET_DAY).status == "on_track"


def test_no_target_no_data_and_a_day_before_the_baseline():
    assert statistics.assess(5.0, BASELINE, [], "higher_is_better", ON_TARGET_DAY).status == \
        "no_target"
    assert statistics.assess(None, BASELINE, TARGETS, "higher_is_better",
                             ON_TARGET_DAY).status == "no_data"
    assert statistics.assess(12.0, BASELINE, TARGETS, "higher_is_better",
                             dt.date(2019, 6, 1)).status == "no_data"


@pytest.mark.parametrize("actual, baseline, target, progress", [
    (0.396, 0.0, 0.45, 0.88),     # the fair cobalt share of the demo
    (3.9, 9.0, 3.0, 0.85),        # lower is better: both differences negative
    (35.0, 10.0, 30.0, 1.25),     # past the target: not capped
    (8.0, 10.0, 30.0, -0.1),      # moved away: negative
])
def test_progress_is_the_way_from_baseline_to_target_covered(actual, baseline, target, progress):
    assert statistics.progress(actual, baseline, target) == pytest.approx(progress)


def test_progress_is_undefined_when_the_target_equals_the_baseline():
    assert statistics.progress(5.0, 5.0, 5.0) is None
    assert statistics.progress(None, 5.0, 6.0) is None


# -- formatting ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, kind, unit, language, text", [
    (0.456, "share", "share", "en", "45.6%"),
    (0.8185, "ratio", "share_of_reference", "fr", "81,8\u00a0%"),
    (193.4, "median", "usd_per_month", "fr", "193\u00a0USD"),
    (5.25, "rate_per_1000", "per_1000_workers", "en", "5.2"),
    (0.3317, "rate_per_1000", "per_1000_miner_years", "en", "0.33"),
    (1234.4, "amount", "tonnes", "en", "1,234"),
    (12.34, "amount", "tonnes", "en", "12.3"),
    (None, "count", "children", "en", "–"),
])
def test_format_value(value, kind, unit, language, text):
    assert statistics.format_value(value, kind, unit, language) == text


def test_share_changes_are_in_percentage_points():
    assert statistics.format_change(0.3, "share", "share", "en") == "+30.0 pts"
    assert statistics.format_change(-0.05, "share", "share", "fr") == "-5,0 pts"
    assert statistics.format_change(-2.5, "rate_per_1000", "per_1000_workers", "en") == "-2.5"
    assert statistics.format_change(None, "count", "children", "en") is None


def test_the_status_rule_on_screen_states_the_thresholds_the_code_applies(monkeypatch):
    from dashboard.indicators import text
    assert "at least 90%" in text.status_rule("en")
    assert "de 50 % à 90 %" in text.status_rule("fr").replace("\u00a0", " ")
    monkeypatch.setattr(statistics, "ON_TRACK_FROM", 0.8)
    assert "at least 80%" in text.status_rule("en")
