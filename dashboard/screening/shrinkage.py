"""Empirical-Bayes shrinkage of site values (pure).

Site values are drawn from a common distribution fitted by maximum likelihood to all sites,
Beta(alpha, beta) for proportions (beta-binomial) and Gamma(shape, rate) for rates
(Poisson-gamma, the negative binomial). Each site's posterior mean is its raw value pulled
towards the common mean, and pulled harder the smaller its n.

References
----------
Clayton D, Kaldor J (1987). Empirical Bayes estimates of age-standardized relative risks for use
    in disease mapping. Biometrics 43(3):671-681 (Poisson-gamma).
Marshall RJ (1991). Mapping disease and mortality rates using empirical Bayes estimators.
    Applied Statistics 40(2):283-294.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from dashboard.screening.funnel import check_coverage, check_kind

# Fitted prior strengths (alpha + beta, or the gamma shape) are kept in [e^-8, e^14]: when sites
# vary no more than chance the likelihood keeps rising towards complete pooling.
_LOG_BOUNDS = (-8.0, 14.0)


def _fit(negative_log_likelihood, start: np.ndarray) -> np.ndarray:
    start = np.clip(start, *_LOG_BOUNDS)
    result = optimize.minimize(negative_log_likelihood, start, method="L-BFGS-B",
                               bounds=[_LOG_BOUNDS, _LOG_BOUNDS])
    return np.exp(result.x)


def fit_beta_binomial(events, n) -> tuple[float, float]:
    """Maximum-likelihood Beta(alpha, beta) prior of site proportions.

    Notes
    -----
    Each site's count is beta-binomial: ``x_i ~ Binomial(n_i, p_i)``, ``p_i ~ Beta(alpha,
    beta)``. The marginal log-likelihood ``sum log BetaBinom(x_i; n_i, alpha, beta)`` is
    maximised over ``log alpha, log beta`` from a method-of-moments start.
    """
    events, n = np.asarray(events, dtype=float), np.asarray(n, dtype=float)
    if len(n) == 0 or n.sum() == 0:
        raise ValueError("fit_beta_binomial needs at least one site with n > 0")
    mean = np.clip(events.sum() / n.sum(), 1e-6, 1 - 1e-6)
    p = events / np.where(n > 0, n, 1)
    spread = np.var(p) if len(p) > 1 else 0.0
    strength = mean * (1 - mean) / spread - 1 if spread > 0 else np.exp(_LOG_BOUNDS[1])
    strength = max(strength, 1.0)
    start = np.log([mean * strength, (1 - mean) * strength])

    def negative_log_likelihood(log_ab: np.ndarray) -> float:
        a, b = np.exp(log_ab)
        # log BetaBinom(x; n, a, b) without the binomial coefficient, which does not vary
        return -float(np.sum(special.betaln(events + a, n - events + b) - special.betaln(a, b)))

    alpha, beta = _fit(negative_log_likelihood, start)
    return float(alpha), float(beta)


def fit_poisson_gamma(events, exposure) -> tuple[float, float]:
    """Maximum-likelihood Gamma(shape, rate) prior of site rates.

    Notes
    -----
    ``y_i ~ Poisson(lambda_i E_i)``, ``lambda_i ~ Gamma(shape, rate)``, so ``y_i`` is negative
    binomial with size ``shape`` and success probability ``rate / (rate + E_i)``. The
    log-likelihood is maximised over ``log shape, log rate`` from Marshall's (1991) moment
    estimates.
    """
    events, exposure = np.asarray(events, dtype=float), np.asarray(exposure, dtype=float)
    if len(exposure) == 0 or exposure.sum() <= 0:
        raise ValueError("fit_poisson_gamma needs at least one site with exposure > 0")
    mean = max(events.sum() / exposure.sum(), 1e-9)
    rates = events / exposure
    weighted_variance = np.sum(exposure * (rates - mean) ** 2) / exposure.sum()
    variance = weighted_variance - mean / exposure.mean()
    shape = mean ** 2 / variance if variance > 0 else np.exp(_LOG_BOUNDS[1])
    start = np.log([shape, shape / mean])

    def negative_log_likelihood(log_sr: np.ndarray) -> float:
        shape, rate = np.exp(log_sr)
        # log NegBin(y; shape, rate / (rate + E)), dropping the log(y!) that does not vary
        log_pmf = (special.gammaln(shape + events) - special.gammaln(shape)
                   + shape * np.log(rate / (rate + exposure))
                   + events * np.log(exposure / (rate + exposure)))
        return -float(np.sum(log_pmf))

    shape, rate = _fit(negative_log_likelihood, start)
    return float(shape), float(rate)


def shrink_proportions(events, n, alpha: float, beta: float,
                       interval: float = 0.95) -> pd.DataFrame:
    """Posterior of each site's proportion under a Beta(alpha, beta) prior.

    Returns
    -------
    DataFrame
        ``estimate = (alpha + x) / (alpha + beta + n)``, the equal-tailed ``interval`` of
        Beta(alpha + x, beta + n - x) as ``lower`` and ``upper``, and ``weight = n / (alpha +
        beta + n)``: the share of the estimate that comes from the site's own data (the rest
        is the prior mean; smaller sites are pulled harder).
    """
    check_coverage(interval)
    events, n = np.asarray(events, dtype=float), np.asarray(n, dtype=float)
    a, b = alpha + events, beta + n - events
    tail = (1 - interval) / 2
    return pd.DataFrame({
        "estimate": a / (a + b),
        "lower": stats.beta.ppf(tail, a, b),
        "upper": stats.beta.ppf(1 - tail, a, b),
        "weight": n / (alpha + beta + n),
    })


def shrink_rates(events, exposure, shape: float, rate: float,
                 interval: float = 0.95) -> pd.DataFrame:
    """Posterior of each site's rate under a Gamma(shape, rate) prior.

    Returns
    -------
    DataFrame
        ``estimate = (shape + y) / (rate + E)``, the equal-tailed ``interval`` of
        Gamma(shape + y, rate + E) as ``lower`` and ``upper``, and ``weight = E / (rate + E)``.
    """
    check_coverage(interval)
    events, exposure = np.asarray(events, dtype=float), np.asarray(exposure, dtype=float)
    a, b = shape + events, rate + exposure
    tail = (1 - interval) / 2
    return pd.DataFrame({
        "estimate": a / b,
        "lower": stats.gamma.ppf(tail, a, scale=1 / b),
        "upper": stats.gamma.ppf(1 - tail, a, scale=1 / b),
        "weight": exposure / (rate + exposure),
    })


def probability_above(kind: str, events, n, prior: tuple[float, float],
                      threshold: float) -> np.ndarray:
    """Posterior probability that each site's true value exceeds ``threshold``."""
    events, n = np.asarray(events, dtype=float), np.asarray(n, dtype=float)
    first, second = prior
    if kind == "proportion":
        return stats.beta.sf(threshold, first + events, second + n - events)
    check_kind(kind)
    return special.gammaincc(first + events, (second + n) * threshold)
