"""Combining indicator periods, by hand-checked examples."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import indicators


def series(rows):
    return pd.DataFrame(rows, columns=["period", "numerator", "denominator", "value", "n"]).assign(
        period=lambda f: pd.to_datetime(f["period"]))


MONTHS = series([
    ("2024-01-01", 2, 1000, 2.0, 3),
    ("2024-02-01", 6, 1000, 6.0, 2),
    ("2024-03-01", 1, 2000, 0.5, 4),
])


def test_shares_and_rates_weigh_periods_by_their_denominator():
    # (2 + 6 + 1) / (1000 + 1000 + 2000) = 9 / 4000, not the mean of 2, 6 and 0.5
    assert indicators.combine(MONTHS, "rate_per_1000").value == pytest.approx(1000 * 9 / 4000)
    assert indicators.combine(MONTHS, "share").value == pytest.approx(9 / 4000)
    assert indicators.combine(MONTHS, "share").n == 9


def test_counts_and_amounts_add_up():
    assert indicators.combine(MONTHS, "count").value == pytest.approx(8.5)
    assert indicators.combine(MONTHS, "amount").n == 9


def test_medians_take_the_latest_period():
    result = indicators.combine(MONTHS, "median")
    assert (result.value, result.n, result.last) == (0.5, 4, dt.date(2024, 3, 1))


def test_empty_series_and_unknown_kinds():
    assert indicators.combine(MONTHS.iloc[0:0], "share").value is None
    with pytest.raises(ValueError, match="Unknown indicator kind 'ratio'"):
        indicators.combine(MONTHS, "ratio")


def test_zero_denominator_gives_no_value():
    zero = series([("2024-01-01", 0, 0, None, 0)])
    assert indicators.combine(zero, "share").value is None


def test_windows_include_their_edges():
    assert len(indicators.last_months(MONTHS, dt.date(2024, 3, 31), 2)) == 2
    assert len(indicators.first_months(MONTHS, 1)) == 1


def test_periodic_headline_compares_last_with_first_twelve_months():
    rows = [(f"{y}-{m:02d}-01", 10 if y == 2023 else 5, 1000, None, 1)
            for y in (2023, 2024) for m in range(1, 13)]
    result = indicators.headline(series(rows), "rate_per_1000", "periodic", dt.date(2024, 12, 31))
    assert result.value == pytest.approx(5.0) and result.comparison == pytest.approx(-5.0)


def test_cumulative_headline_is_to_date_with_the_last_twelve_months_added():
    rows = [(f"{y}-{m:02d}-01", None, None, 2, 1) for y in (2023, 2024) for m in range(1, 13)]
    result = indicators.headline(series(rows), "count", "cumulative", dt.date(2024, 12, 31))
    assert (result.value, result.comparison, result.cumulative) == (48, 24, True)


@pytest.mark.parametrize("value, kind, unit, language, text", [
    (0.456, "share", "share", "en", "46%"),
    (193.4, "median", "usd_per_month", "fr", "193\u00a0USD"),
    (5.25, "rate_per_1000", "per_1000_workers", "en", "5.2"),
    (1234.4, "amount", "tonnes", "en", "1,234"),
    (None, "count", "children", "en", "–"),
])
def test_format_value(value, kind, unit, language, text):
    assert indicators.format_value(value, kind, unit, language) == text


def test_share_changes_are_in_percentage_points():
    assert indicators.format_change(0.3, "share", "share", "en") == "+30.0 pts"
    assert indicators.format_change(-0.05, "share", "share", "fr") == "-5,0 pts"
    assert indicators.format_change(-2.5, "rate_per_1000", "per_1000_workers", "en") == "-2.5"
    assert indicators.format_change(None, "count", "children", "en") is None
