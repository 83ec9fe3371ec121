"""Funnel limits and overdispersion against values computed by hand (closed forms, written out
below)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.screening import funnel

Z95, Z998 = 1.959964, 3.090232  # standard normal quantiles 0.975 and 0.999


def binomial_cdf(r: int, n: int, p: float) -> float:
    return sum(math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(r + 1))


def poisson_cdf(r: int, mean: float) -> float:
    return sum(math.exp(-mean) * mean ** k / math.factorial(k) for k in range(r + 1))


# -- funnel limits --------------------------------------------------------------------------

def test_exact_binomial_limits_for_half_and_ten():
    # Binomial(10, 0.5): F(1) = 11/1024, F(2) = 56/1024, F(7) = 968/1024, F(8) = 1013/1024.
    # lower, q = 0.025: r = 2, alpha = (56/1024 - 0.025) / (45/1024) = 30.4/45 -> (2 - alpha)/10
    # upper, q = 0.975: r = 8, alpha = (1013/1024 - 0.975) / (45/1024) = 14.6/45 -> (8 - alpha)/10
    low, high = funnel.exact_limits("proportion", 0.5, [10], 0.95)
    assert low[0] == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-9)  # 0.132444
    assert high[0] == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-9)  # 0.767556


def test_exact_binomial_limits_follow_spiegelhalters_interpolation():
    n, p, q = 200, 0.1, 0.999
    r = next(k for k in range(n + 1) if binomial_cdf(k, n, p) >= q)
    alpha = (binomial_cdf(r, n, p) - q) / (binomial_cdf(r, n, p) - binomial_cdf(r - 1, n, p))
    _, high = funnel.exact_limits("proportion", p, [n], 0.998)
    assert high[0] == pytest.approx((r - alpha) / n, abs=1e-9)


def test_exact_poisson_limits_for_a_mean_of_two():
    # Poisson(2): the 0.999 quantile is 8 (F(7) = 0.99890, F(8) = 0.99976)
    q = 0.999
    alpha = (poisson_cdf(8, 2) - q) / (poisson_cdf(8, 2) - poisson_cdf(7, 2))
    low, high = funnel.exact_limits("rate", 2.0, [1.0], 0.998)
    assert high[0] == pytest.approx(8 - alpha, abs=1e-9)  # 7.1126
    assert low[0] == 0.0  # the 0.001 quantile is 0: the limit is floored at 0


def test_normal_approximation_limits():
    low, high = funnel.normal_limits("proportion", 0.5, [10], 0.95)
    assert (low[0], high[0]) == pytest.approx((0.5 - Z95 * math.sqrt(0.025),
                                                0.5 + Z95 * math.sqrt(0.025)), abs=1e-6)
    low, high = funnel.normal_limits("proportion", 0.1, [100], 0.998)
    assert (low[0], high[0]) == pytest.approx((0.1 - Z998 * 0.03, 0.1 + Z998 * 0.03), abs=1e-6)
    low, high = funnel.normal_limits("rate", 0.005, [4000], 0.95)  # 5 per 1,000
    assert high[0] == pytest.approx(0.005 + Z95 * math.sqrt(0.005 / 4000), abs=1e-9)


def test_exact_and_normal_limits_agree_for_large_n():
    exact = funnel.exact_limits("proportion", 0.3, [100_000], 0.998)
    normal = funnel.normal_limits("proportion", 0.3, [100_000], 0.998)
    assert np.allclose(exact, normal, rtol=1e-3)


def test_overdispersed_limits_without_tau_are_the_arcsine_normal_limits():
    low, high = funnel.overdispersed_limits("proportion", 0.5, [10], 0.95, tau2=0.0)
    half = Z95 / (2 * math.sqrt(10))
    assert low[0] == pytest.approx(math.sin(math.pi / 4 - half) ** 2, abs=1e-6)
    assert high[0] == pytest.approx(math.sin(math.pi / 4 + half) ** 2, abs=1e-6)


def test_overdispersed_limits_widen_with_tau_and_stop_narrowing():
    plain = funnel.overdispersed_limits("rate", 0.005, [1e3, 1e6], 0.998, tau2=0.0)
    wider = funnel.overdispersed_limits("rate", 0.005, [1e3, 1e6], 0.998, tau2=0.01)
    assert np.all(wider[1] > plain[1]) and np.all(wider[0] < plain[0])
    # for a huge n only tau remains: target * (1 + z * 0.1) ** 2
    assert wider[1][1] == pytest.approx(0.005 * (1 + Z998 * math.sqrt(1 / 2e4 + 0.01)) ** 2)


def test_funnel_limits_are_exact_without_overdispersion_and_widened_with_it():
    exact = funnel.exact_limits("proportion", 0.2, [50], 0.998)
    assert np.allclose(funnel.funnel_limits("proportion", 0.2, [50], 0.998, 0.0), exact)
    widened = funnel.overdispersed_limits("proportion", 0.2, [50], 0.998, 0.02)
    assert np.allclose(funnel.funnel_limits("proportion", 0.2, [50], 0.998, 0.02), widened)


@pytest.mark.parametrize("call, message", [
    (lambda: funnel.exact_limits("share", 0.1, [10], 0.95), "Unknown kind 'share'"),
    (lambda: funnel.exact_limits("proportion", 0.1, [10], 1.2), "coverage must be"),
    (lambda: funnel.exact_limits("proportion", 0.1, [10.5], 0.95), "whole denominators"),
    (lambda: funnel.exact_limits("rate", 0.1, [0.0], 0.95), "exposures n > 0"),
])
def test_bad_arguments_are_refused_with_a_named_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- overdispersion -------------------------------------------------------------------------

def test_dispersion_ratio_and_between_site_variance_on_a_small_example():
    z = [1.0, -1.0, 2.0, -2.0]
    phi = funnel.dispersion_ratio(z)
    assert phi == pytest.approx((1 + 1 + 4 + 4) / 4)  # 2.5
    # four sites with s = 0.1: w = 100, sum w = 400, sum w^2 / sum w = 100
    assert funnel.between_site_variance(phi, [0.1] * 4) == pytest.approx(
        (4 * 2.5 - 3) / (400 - 100))  # 7/300


def test_no_between_site_variance_when_sites_vary_no_more_than_chance():
    assert funnel.between_site_variance(0.6, [0.1, 0.2, 0.3]) == 0.0  # 3 * 0.6 <= 2


def test_winsorising_pulls_the_tails_to_the_10_and_90_percent_quantiles():
    z = np.arange(10.0)  # quantiles by linear interpolation: 0.9 and 8.1
    assert funnel.winsorise(z, 0.1).tolist() == pytest.approx(
        [0.9, 1, 2, 3, 4, 5, 6, 7, 8, 8.1])


def test_overdispersion_of_four_proportions():
    events, n = [10, 20, 30, 40], [100] * 4  # target 0.25
    y0 = math.asin(math.sqrt(0.25))
    z = [(math.asin(math.sqrt(e / 100)) - y0) / 0.05 for e in events]
    phi = sum(v * v for v in z) / 4  # 7.34
    found = funnel.estimate_overdispersion("proportion", events, n, 0.25, trim=0.0)
    assert found.phi == pytest.approx(phi)
    assert found.tau2 == pytest.approx((4 * phi - 3) / (4 * 400 - 4 * 400 ** 2 / 1600))


def test_overdispersion_of_rates_uses_the_square_root_of_observed_over_expected():
    events, exposure, target = [4, 16], [1000, 1000], 0.01  # expected 10 at both
    z = [(math.sqrt(e / 10) - 1) / (1 / (2 * math.sqrt(10))) for e in events]
    found = funnel.estimate_overdispersion("rate", events, exposure, target, trim=0.0)
    assert found.phi == pytest.approx((z[0] ** 2 + z[1] ** 2) / 2)
