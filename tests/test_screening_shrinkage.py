"""Empirical-Bayes shrinkage against closed forms and simulated sites."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from dashboard.screening import shrinkage


def test_beta_binomial_shrinkage_pulls_small_sites_harder():
    # prior Beta(2, 8), mean 0.2; both sites have a raw proportion of 0.5
    shrunk = shrinkage.shrink_proportions([5, 50], [10, 100], 2.0, 8.0)
    assert shrunk["estimate"].tolist() == pytest.approx([7 / 20, 52 / 110])
    assert shrunk["weight"].tolist() == pytest.approx([10 / 20, 100 / 110])
    small, large = shrunk.itertuples()
    assert 0.2 < small.estimate < large.estimate < 0.5
    assert small.upper - small.lower > large.upper - large.lower
    assert all(row.lower < row.estimate < row.upper for row in shrunk.itertuples())


def test_poisson_gamma_shrinkage_pulls_small_sites_harder():
    # prior Gamma(shape 2, rate 400), mean 5 per 1,000; both sites at 10 per 1,000
    shrunk = shrinkage.shrink_rates([5, 50], [500, 5000], 2.0, 400.0)
    assert shrunk["estimate"].tolist() == pytest.approx([7 / 900, 52 / 5400])
    assert shrunk["weight"].tolist() == pytest.approx([500 / 900, 5000 / 5400])
    assert 0.005 < shrunk["estimate"][0] < shrunk["estimate"][1] < 0.010


def test_beta_binomial_fit_recovers_the_prior_of_simulated_sites():
    rng = np.random.default_rng(3)
    p = rng.beta(2, 18, 2000)
    n = np.full(2000, 60)
    alpha, beta = shrinkage.fit_beta_binomial(rng.binomial(n, p), n)
    assert alpha / (alpha + beta) == pytest.approx(0.1, abs=0.005)
    assert alpha + beta == pytest.approx(20, rel=0.25)


def test_poisson_gamma_fit_recovers_the_prior_of_simulated_sites():
    rng = np.random.default_rng(4)
    exposure = rng.uniform(500, 5000, 2000)
    rates = rng.gamma(3.0, 1 / 600, 2000)  # mean 5 per 1,000
    shape, rate = shrinkage.fit_poisson_gamma(rng.poisson(rates * exposure), exposure)
    assert shape / rate == pytest.approx(0.005, rel=0.03)
    assert shape == pytest.approx(3.0, rel=0.25)


def test_sites_that_vary_by_chance_alone_are_pooled_almost_completely():
    rng = np.random.default_rng(5)
    n = np.full(300, 50)
    alpha, beta = shrinkage.fit_beta_binomial(rng.binomial(n, 0.2), n)
    shrunk = shrinkage.shrink_proportions([25], [50], alpha, beta)
    assert shrunk["weight"][0] < 0.15  # the prior outweighs the site's own 50
    assert shrunk["estimate"][0] == pytest.approx(0.2, abs=0.05)


def test_posterior_probability_of_exceeding_the_target():
    # Beta(2 + 5, 8 + 5) = Beta(7, 13); P(p > 0.2) from its survival function
    found = shrinkage.probability_above("proportion", [5], [10], (2.0, 8.0), 0.2)
    assert found[0] == pytest.approx(stats.beta.sf(0.2, 7, 13))
    rate = shrinkage.probability_above("rate", [5], [500], (2.0, 400.0), 0.005)
    assert rate[0] == pytest.approx(stats.gamma.sf(0.005, 7, scale=1 / 900))
