"""Confidence intervals against published values and an independent implementation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from dashboard.indicators import intervals

# Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion.
# Statistics in Medicine 17, 857-872, Table II, method 3 (Wilson score, no continuity
# correction): (successes, n, lower, upper), to 4 decimals.
NEWCOMBE_1998 = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]

# Exact (Garwood) 95% limits for a Poisson count k, as tabulated e.g. in Ulm (1990),
# Am J Epidemiol 131:373, and in every table of Poisson confidence limits.
GARWOOD = [
    (0, 0.0000, 3.6889),
    (1, 0.0253, 5.5716),
    (5, 1.6235, 11.6683),
    (10, 4.7954, 18.3904),
]


@pytest.mark.parametrize("successes, n, low, high", NEWCOMBE_1998)
def test_wilson_matches_newcombe_1998(successes, n, low, high):
    lower, upper = intervals.wilson(successes / n, n)
    assert (float(lower), float(upper)) == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize("successes, n", [(0, 1), (1, 1), (3, 7), (50, 100), (999, 1000),
                                          (12, 5000)])
def test_wilson_agrees_with_scipy(successes, n):
    reference = stats.binomtest(successes, n).proportion_ci(confidence_level=0.95,
                                                            method="wilson")
    lower, upper = intervals.wilson(successes / n, n)
    assert (float(lower), float(upper)) == pytest.approx((reference.low, reference.high),
                                                         abs=1e-12)


def test_wilson_takes_arrays_and_other_confidence_levels():
    lower, upper = intervals.wilson([0.2, 0.5], [100, 400], confidence=0.99)
    reference = stats.binomtest(20, 100).proportion_ci(confidence_level=0.99, method="wilson")
    assert lower.shape == (2,) and float(lower[0]) == pytest.approx(reference.low)
    assert float(upper[0]) == pytest.approx(reference.high)
    assert upper[1] - lower[1] < upper[0] - lower[0]  # more observations, narrower


def test_wilson_accepts_a_weighted_share_with_the_unweighted_n():
    # a weighted estimate of 0.3 from 50 households: no whole number of successes needed
    lower, upper = intervals.wilson(0.3, 50)
    assert 0 < float(lower) < 0.3 < float(upper) < 1


def test_wilson_without_observations_is_undefined_and_bad_input_is_refused():
    lower, upper = intervals.wilson(0.0, 0)
    assert np.isnan(lower) and np.isnan(upper)
    with pytest.raises(ValueError, match="shares must be within"):
        intervals.wilson(1.2, 10)
    with pytest.raises(ValueError, match="n must not be negative"):
        intervals.wilson(0.5, -1)
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        intervals.wilson(0.5, 10, confidence=95)


@given(st.floats(0, 1), st.integers(1, 10_000))
def test_wilson_bounds_hold_the_estimate_within_zero_and_one(share, n):
    lower, upper = intervals.wilson(share, n)
    assert 0 <= float(lower) <= share + 1e-12
    assert share - 1e-12 <= float(upper) <= 1


@pytest.mark.parametrize("events, low, high", GARWOOD)
def test_poisson_matches_published_exact_limits(events, low, high):
    lower, upper = intervals.poisson_rate(events, 1.0)
    assert (float(lower), float(upper)) == pytest.approx((low, high), abs=5e-5)


def test_poisson_rates_scale_by_exposure_and_per():
    # 5 fatal incidents over 2,500 miner-years: 2.0 per 1,000, limits 1.6235 and 11.6683 / 2.5
    lower, upper = intervals.poisson_rate([5], [2500.0], per=1000)
    assert (float(lower[0]), float(upper[0])) == pytest.approx((1.6235 / 2.5, 11.6683 / 2.5),
                                                               abs=1e-4)


def test_poisson_without_exposure_is_undefined_and_bad_counts_are_refused():
    lower, upper = intervals.poisson_rate(3, 0.0)
    assert np.isnan(lower) and np.isnan(upper)
    with pytest.raises(ValueError, match="non-negative whole numbers"):
        intervals.poisson_rate(2.5, 10.0)
    with pytest.raises(ValueError, match="non-negative whole numbers"):
        intervals.poisson_rate(-1, 10.0)


# Clopper-Pearson exact 95% limits (x, n, lower, upper), as tabulated e.g. in Newcombe (1998),
# Table II, method 5: with V = p(1-p)/n and df = n - 1 (a simple random sample), the
# Korn-Graubard interval is the Clopper-Pearson one.
CLOPPER_PEARSON = [
    (81, 263, 0.2527, 0.3676),
    (15, 148, 0.0578, 0.1617),
    (0, 20, 0.0000, 0.1684),
    (1, 29, 0.0009, 0.1776),
]


@pytest.mark.parametrize("x, n, low, high", CLOPPER_PEARSON)
def test_korn_graubard_on_a_simple_random_sample_is_clopper_pearson(x, n, low, high):
    p = x / n
    variance = p * (1 - p) / n if 0 < x < n else 0.0
    lower, upper = intervals.korn_graubard(p, variance, n, n - 1)
    assert (float(lower), float(upper)) == pytest.approx((low, high), abs=5e-5)


def test_korn_graubard_uses_the_effective_sample_size():
    """A design effect of 4 gives the exact interval of a sample a quarter the size (with
    the degrees-of-freedom factor at 1 when df = n - 1), and a design effect below 1 never
    narrows the interval beyond the simple random sample's (n* is capped at n)."""
    p, n = 0.3, 400
    lower, upper = intervals.korn_graubard(p, 4 * p * (1 - p) / n, n, n - 1)
    x, size = p * n / 4, n / 4
    expected = (stats.beta.ppf(0.025, x, size - x + 1), stats.beta.ppf(0.975, x + 1, size - x))
    assert (float(lower), float(upper)) == pytest.approx(expected, abs=1e-9)
    narrow = intervals.korn_graubard(p, 0.5 * p * (1 - p) / n, n, n - 1)
    srs = intervals.korn_graubard(p, p * (1 - p) / n, n, n - 1)
    assert np.allclose(narrow, srs)
    few_sites = intervals.korn_graubard(p, 4 * p * (1 - p) / n, n, 7)
    assert few_sites[0] < lower and few_sites[1] > upper  # fewer degrees of freedom: wider


def test_design_t_is_the_t_interval_on_the_design_degrees_of_freedom():
    lower, upper = intervals.design_t(120.0, 25.0, 9)
    half = stats.t.ppf(0.975, 9) * 5
    assert (float(lower), float(upper)) == pytest.approx((120 - half, 120 + half))
    assert float(intervals.design_t(3.0, 25.0, 9)[0]) == 0.0  # an income is never negative
    assert np.isnan(intervals.design_t(3.0, 25.0, 0)[0])  # no degrees of freedom, no interval


def test_the_design_effect_of_a_share_is_against_p_q_over_n():
    assert float(intervals.design_effect("korn_graubard", 0.2, 0.0008, 400, np.nan)) == \
        pytest.approx(0.0008 / (0.2 * 0.8 / 400))
    assert float(intervals.design_effect("design_t", 150.0, 30.0, 400, 12.0)) == 2.5
    assert np.isnan(intervals.design_effect("korn_graubard", 0.0, 0.0, 400, np.nan))
