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
