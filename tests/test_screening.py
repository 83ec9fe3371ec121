"""Screening statistics against values computed by hand (closed forms, written out below)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.screening import statistics

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
    low, high = statistics.exact_limits("proportion", 0.5, [10], 0.95)
    assert low[0] == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-9)  # 0.132444
    assert high[0] == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-9)  # 0.767556


def test_exact_binomial_limits_follow_spiegelhalters_interpolation():
    n, p, q = 200, 0.1, 0.999
    r = next(k for k in range(n + 1) if binomial_cdf(k, n, p) >= q)
    alpha = (binomial_cdf(r, n, p) - q) / (binomial_cdf(r, n, p) - binomial_cdf(r - 1, n, p))
    _, high = statistics.exact_limits("proportion", p, [n], 0.998)
    assert high[0] == pytest.approx((r - alpha) / n, abs=1e-9)


def test_exact_poisson_limits_for_a_mean_of_two():
    # Poisson(2): the 0.999 quantile is 8 (F(7) = 0.99890, F(8) = 0.99976)
    q = 0.999
    alpha = (poisson_cdf(8, 2) - q) / (poisson_cdf(8, 2) - poisson_cdf(7, 2))
    low, high = statistics.exact_limits("rate", 2.0, [1.0], 0.998)
    assert high[0] == pytest.approx(8 - alpha, abs=1e-9)  # 7.1126
    assert low[0] == 0.0  # the 0.001 quantile is 0: the limit is floored at 0


def test_normal_approximation_limits():
    low, high = statistics.normal_limits("proportion", 0.5, [10], 0.95)
    assert (low[0], high[0]) == pytest.approx((0.5 - Z95 * math.sqrt(0.025),
                                                0.5 + Z95 * math.sqrt(0.025)), abs=1e-6)
    low, high = statistics.normal_limits("proportion", 0.1, [100], 0.998)
    assert (low[0], high[0]) == pytest.approx((0.1 - Z998 * 0.03, 0.1 + Z998 * 0.03), abs=1e-6)
    low, high = statistics.normal_limits("rate", 0.005, [4000], 0.95)  # 5 per 1,000
    assert high[0] == pytest.approx(0.005 + Z95 * math.sqrt(0.005 / 4000), abs=1e-9)


def test_exact_and_normal_limits_agree_for_large_n():
    exact = statistics.exact_limits("proportion", 0.3, [100_000], 0.998)
    normal = statistics.normal_limits("proportion", 0.3, [100_000], 0.998)
    assert np.allclose(exact, normal, rtol=1e-3)


def test_overdispersed_limits_without_tau_are_the_arcsine_normal_limits():
    low, high = statistics.overdispersed_limits("proportion", 0.5, [10], 0.95, tau2=0.0)
    half = Z95 / (2 * math.sqrt(10))
    assert low[0] == pytest.approx(math.sin(math.pi / 4 - half) ** 2, abs=1e-6)
    assert high[0] == pytest.approx(math.sin(math.pi / 4 + half) ** 2, abs=1e-6)


def test_overdispersed_limits_widen_with_tau_and_stop_narrowing():
    plain = statistics.overdispersed_limits("rate", 0.005, [1e3, 1e6], 0.998, tau2=0.0)
    wider = statistics.overdispersed_limits("rate", 0.005, [1e3, 1e6], 0.998, tau2=0.01)
    assert np.all(wider[1] > plain[1]) and np.all(wider[0] < plain[0])
    # for a huge n only tau remains: target * (1 + z * 0.1) ** 2
    assert wider[1][1] == pytest.approx(0.005 * (1 + Z998 * math.sqrt(1 / 2e4 + 0.01)) ** 2)


def test_funnel_limits_are_exact_without_overdispersion_and_widened_with_it():
    exact = statistics.exact_limits("proportion", 0.2, [50], 0.998)
    assert np.allclose(statistics.funnel_limits("proportion", 0.2, [50], 0.998, 0.0), exact)
    widened = statistics.overdispersed_limits("proportion", 0.2, [50], 0.998, 0.02)
    assert np.allclose(statistics.funnel_limits("proportion", 0.2, [50], 0.998, 0.02), widened)


@pytest.mark.parametrize("call, message", [
    (lambda: statistics.exact_limits("share", 0.1, [10], 0.95), "Unknown kind 'share'"),
    (lambda: statistics.exact_limits("proportion", 0.1, [10], 1.2), "coverage must be"),
    (lambda: statistics.exact_limits("proportion", 0.1, [10.5], 0.95), "whole denominators"),
    (lambda: statistics.exact_limits("rate", 0.1, [0.0], 0.95), "exposures n > 0"),
])
def test_bad_arguments_are_refused_with_a_named_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- overdispersion -------------------------------------------------------------------------

def test_dispersion_ratio_and_between_site_variance_on_a_small_example():
    z = [1.0, -1.0, 2.0, -2.0]
    phi = statistics.dispersion_ratio(z)
    assert phi == pytest.approx((1 + 1 + 4 + 4) / 4)  # 2.5
    # four sites with s = 0.1: w = 100, sum w = 400, sum w^2 / sum w = 100
    assert statistics.between_site_variance(phi, [0.1] * 4) == pytest.approx(
        (4 * 2.5 - 3) / (400 - 100))  # 7/300


def test_no_between_site_variance_when_sites_vary_no_more_than_chance():
    assert statistics.between_site_variance(0.6, [0.1, 0.2, 0.3]) == 0.0  # 3 * 0.6 <= 2


def test_winsorising_pulls_the_tails_to_the_10_and_90_percent_quantiles():
    z = np.arange(10.0)  # quantiles by linear interpolation: 0.9 and 8.1
    assert statistics.winsorise(z, 0.1).tolist() == pytest.approx(
        [0.9, 1, 2, 3, 4, 5, 6, 7, 8, 8.1])


def test_overdispersion_of_four_proportions():
    events, n = [10, 20, 30, 40], [100] * 4  # target 0.25
    y0 = math.asin(math.sqrt(0.25))
    z = [(math.asin(math.sqrt(e / 100)) - y0) / 0.05 for e in events]
    phi = sum(v * v for v in z) / 4  # 7.34
    found = statistics.estimate_overdispersion("proportion", events, n, 0.25, trim=0.0)
    assert found.phi == pytest.approx(phi)
    assert found.tau2 == pytest.approx((4 * phi - 3) / (4 * 400 - 4 * 400 ** 2 / 1600))


def test_overdispersion_of_rates_uses_the_square_root_of_observed_over_expected():
    events, exposure, target = [4, 16], [1000, 1000], 0.01  # expected 10 at both
    z = [(math.sqrt(e / 10) - 1) / (1 / (2 * math.sqrt(10))) for e in events]
    found = statistics.estimate_overdispersion("rate", events, exposure, target, trim=0.0)
    assert found.phi == pytest.approx((z[0] ** 2 + z[1] ** 2) / 2)


# -- shrinkage ------------------------------------------------------------------------------

def test_beta_binomial_shrinkage_pulls_small_sites_harder():
    # prior Beta(2, 8), mean 0.2; both sites have a raw proportion of 0.5
    shrunk = statistics.shrink_proportions([5, 50], [10, 100], 2.0, 8.0)
    assert shrunk["estimate"].tolist() == pytest.approx([7 / 20, 52 / 110])
    assert shrunk["weight"].tolist() == pytest.approx([10 / 20, 100 / 110])
    small, large = shrunk.itertuples()
    assert 0.2 < small.estimate < large.estimate < 0.5
    assert small.upper - small.lower > large.upper - large.lower
    assert all(row.lower < row.estimate < row.upper for row in shrunk.itertuples())


def test_poisson_gamma_shrinkage_pulls_small_sites_harder():
    # prior Gamma(shape 2, rate 400), mean 5 per 1,000; both sites at 10 per 1,000
    shrunk = statistics.shrink_rates([5, 50], [500, 5000], 2.0, 400.0)
    assert shrunk["estimate"].tolist() == pytest.approx([7 / 900, 52 / 5400])
    assert shrunk["weight"].tolist() == pytest.approx([500 / 900, 5000 / 5400])
    assert 0.005 < shrunk["estimate"][0] < shrunk["estimate"][1] < 0.010


def test_beta_binomial_fit_recovers_the_prior_of_simulated_sites():
    rng = np.random.default_rng(3)
    p = rng.beta(2, 18, 2000)
    n = np.full(2000, 60)
    alpha, beta = statistics.fit_beta_binomial(rng.binomial(n, p), n)
    assert alpha / (alpha + beta) == pytest.approx(0.1, abs=0.005)
    assert alpha + beta == pytest.approx(20, rel=0.25)


def test_poisson_gamma_fit_recovers_the_prior_of_simulated_sites():
    rng = np.random.default_rng(4)
    exposure = rng.uniform(500, 5000, 2000)
    rates = rng.gamma(3.0, 1 / 600, 2000)  # mean 5 per 1,000
    shape, rate = statistics.fit_poisson_gamma(rng.poisson(rates * exposure), exposure)
    assert shape / rate == pytest.approx(0.005, rel=0.03)
    assert shape == pytest.approx(3.0, rel=0.25)


def test_sites_that_vary_by_chance_alone_are_pooled_almost_completely():
    rng = np.random.default_rng(5)
    n = np.full(300, 50)
    alpha, beta = statistics.fit_beta_binomial(rng.binomial(n, 0.2), n)
    shrunk = statistics.shrink_proportions([25], [50], alpha, beta)
    assert shrunk["weight"][0] < 0.15  # the prior outweighs the site's own 50
    assert shrunk["estimate"][0] == pytest.approx(0.2, abs=0.05)


def test_posterior_probability_of_exceeding_the_target():
    # Beta(2 + 5, 8 + 5) = Beta(7, 13); P(p > 0.2) from its survival function
    from scipy import stats
    found = statistics.probability_above("proportion", [5], [10], (2.0, 8.0), 0.2)
    assert found[0] == pytest.approx(stats.beta.sf(0.2, 7, 13))
    rate = statistics.probability_above("rate", [5], [500], (2.0, 400.0), 0.005)
    assert rate[0] == pytest.approx(stats.gamma.sf(0.005, 7, scale=1 / 900))


# -- one measure over all sites -------------------------------------------------------------

def counts(events, n) -> pd.DataFrame:
    return pd.DataFrame({"site_id": [f"S{i}" for i in range(len(n))], "events": events, "n": n})


def ordinary_sites(rng, sites=30, rate=0.005):
    exposure = rng.uniform(2_000, 20_000, sites).round()
    return list(rng.poisson(exposure * rate)), list(exposure)


def test_a_large_site_far_above_is_flagged_and_ranked_first():
    rng = np.random.default_rng(11)
    events, exposure = ordinary_sites(rng)
    events.append(200)        # S30: 20 per 1,000 over 10,000
    exposure.append(10_000)
    events.append(3)          # S31: 30 per 1,000 over only 100: high by chance
    exposure.append(100)
    result = statistics.assess("rate", counts(events, exposure), direction="lower_is_better",
                              min_n=1_000, multiplier=1000)
    sites = result.sites.set_index("site_id")
    assert result.target == pytest.approx(1000 * sum(events) / sum(exposure))
    assert sites.at["S30", "flagged"] and sites.at["S30", "status"] == "worse_998"
    assert sites.at["S30", "rank"] == 1
    assert sites.at["S31", "value"] == sites["value"].max()
    assert not sites.at["S31", "flagged"]
    assert not sites.at["S31", "ranked"] and pd.isna(sites.at["S31", "rank"])
    assert sites.at["S31", "estimate"] < sites.at["S31", "value"]


def test_a_site_below_the_minimum_is_never_ranked_even_when_alone_at_the_top():
    result = statistics.assess("proportion", counts([9, 20, 25], [10, 200, 250]),
                              direction="lower_is_better", min_n=30)
    sites = result.sites.set_index("site_id")
    assert not sites.at["S0", "ranked"] and pd.isna(sites.at["S0", "rank"])
    assert sites.loc[["S1", "S2"], "rank"].notna().all()


def test_when_higher_is_better_the_low_side_is_flagged():
    rng = np.random.default_rng(12)
    n = [400] * 20 + [400]
    events = list(rng.binomial(400, 0.6, 20)) + [120]  # the last at 30%
    result = statistics.assess("proportion", counts(events, n), direction="higher_is_better",
                              min_n=30)
    last = result.sites.iloc[-1]
    assert last["status"] == "worse_998" and last["flagged"] and last["rank"] == 1
    assert last["probability_worse"] > 0.99


def test_the_curve_holds_both_limits_around_the_target():
    rng = np.random.default_rng(13)
    events, exposure = ordinary_sites(rng)
    result = statistics.assess("rate", counts(events, exposure), direction="lower_is_better",
                              min_n=0, multiplier=1000)
    curve = result.curve
    assert {"n", "limit_95_low", "limit_95_high", "limit_998_low", "limit_998_high"} <= set(curve)
    assert (curve["limit_998_high"] >= curve["limit_95_high"]).all()
    assert (curve["limit_95_high"] > result.target).all()
    assert (curve["limit_998_low"] <= curve["limit_95_low"]).all()
    assert curve["n"].is_monotonic_increasing


def test_no_data_gives_an_empty_assessment():
    result = statistics.assess("proportion", counts([0, 0], [0, 0]),
                              direction="lower_is_better", min_n=30)
    assert result.sites.empty and result.curve.empty
