"""Confidence intervals for indicator values (pure): Wilson for shares, exact Poisson for rates.

Both take arrays (or scalars) and return ``(low, high)`` arrays of the same shape, with NaN
where the interval is undefined (no observations).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


def _critical_value(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def wilson(share, n, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion.

    Parameters
    ----------
    share : array_like
        Estimated proportion(s) ``p``, in [0, 1]. For a survey this is the *weighted*
        estimate.
    n : array_like
        Number of observations behind each estimate (for a survey, the *unweighted* count
        of units interviewed). Zero gives NaN bounds.
    confidence : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    low, high : numpy.ndarray
        The bounds, within [0, 1].

    Notes
    -----
    With ``z`` the ``1 - alpha/2`` standard normal quantile, the interval is

    .. math:: \\frac{p + z^2/2n \\pm z\\sqrt{p(1-p)/n + z^2/4n^2}}{1 + z^2/n}

    (Wilson 1927, without continuity correction). Unlike the normal ("Wald") interval it
    stays within [0, 1] and keeps close to nominal coverage for small ``n`` or ``p`` near 0
    or 1 (Brown, Cai and DasGupta 2001), which is why PHE Fingertips uses it for proportions.

    Using the weighted share with the unweighted ``n`` ignores the survey's design effect
    (clustering by site, unequal weights): the true interval is wider. The dashboard says so
    where it shows these intervals.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. Journal of the American Statistical Association 22(158), 209-212.
    doi:10.1080/01621459.1927.10502953

    Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
    comparison of seven methods. Statistics in Medicine 17(8), 857-872.

    Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a binomial
    proportion. Statistical Science 16(2), 101-133. doi:10.1214/ss/1009213286
    """
    z = _critical_value(confidence)
    p = np.asarray(share, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"shares must be within [0, 1], got {p[(p < 0) | (p > 1)]}")
    if np.any(n < 0):
        raise ValueError(f"n must not be negative, got {n[n < 0]}")
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = p + z**2 / (2 * n)
        spread = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        denominator = 1 + z**2 / n
        low = np.where(n > 0, (centre - spread) / denominator, np.nan)
        high = np.where(n > 0, (centre + spread) / denominator, np.nan)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def poisson_rate(events, exposure, per: float = 1.0,
                 confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a rate ``per * events / exposure``.

    Parameters
    ----------
    events : array_like
        Observed counts (non-negative integers), e.g. fatal incidents.
    exposure : array_like
        The denominator of the rate, e.g. miner-years; zero gives NaN bounds.
    per : float, default 1
        Scale of the rate (1,000 for "per 1,000").
    confidence : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    low, high : numpy.ndarray
        Bounds of the rate.

    Notes
    -----
    The bounds for the expected count are chi-square quantiles (Garwood 1936):

    .. math:: \\tfrac12\\chi^2_{2k,\\,\\alpha/2} \\quad\\text{and}\\quad
              \\tfrac12\\chi^2_{2(k+1),\\,1-\\alpha/2}

    with a lower bound of 0 when ``k = 0``. Dividing by the exposure gives the rate's bounds.
    The interval is conservative (coverage at least the nominal level). It treats the
    exposure as known and events as independent; clustered events (one collapse, several
    victims counted as one incident) are handled by counting incidents, not victims.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28(3/4),
    437-442. doi:10.2307/2333958

    Ulm, K. (1990). A simple method to calculate the confidence interval of a standardized
    mortality ratio. American Journal of Epidemiology 131(2), 373-375.
    """
    alpha = 1 - confidence
    _critical_value(confidence)  # validates the level
    k = np.asarray(events, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    if np.any(k < 0) or np.any(k != np.round(k)):
        raise ValueError(f"events must be non-negative whole numbers, got {k}")
    # df = 2k is 0 when k = 0 (bound 0): a placeholder df keeps chi2 quiet for those entries
    low_count = np.where(k > 0, stats.chi2.ppf(alpha / 2, np.maximum(2 * k, 1)) / 2, 0.0)
    high_count = stats.chi2.ppf(1 - alpha / 2, 2 * (k + 1)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(exposure > 0, per * low_count / exposure, np.nan)
        high = np.where(exposure > 0, per * high_count / exposure, np.nan)
    return low, high


# -- design-based intervals for survey estimates -------------------------------------------
# The variance, its degrees of freedom and the simple-random-sample variance come from
# queries/indicator_survey_ratio.sql (Taylor linearisation of a ratio over a stratified
# cluster sample; see its header): these functions turn them into intervals.


def t_critical(df, confidence: float = CONFIDENCE) -> np.ndarray:
    """Student's t quantile ``1 - alpha/2`` on ``df`` degrees of freedom (NaN below 1)."""
    _critical_value(confidence)
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(df >= 1, stats.t.ppf(1 - (1 - confidence) / 2, np.maximum(df, 1)),
                        np.nan)


def korn_graubard(share, variance, n, df,
                  confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Korn-Graubard interval for a proportion estimated from a complex survey.

    Parameters
    ----------
    share : array_like
        The design-weighted proportion ``p`` (a ratio of weighted sums), in [0, 1].
    variance : array_like
        Its design-based variance (Taylor linearisation), ``V``.
    n : array_like
        The units interviewed behind it (households or children), unweighted.
    df : array_like
        The design's degrees of freedom (primary sampling units minus strata).
    confidence : float, default 0.95

    Returns
    -------
    low, high : numpy.ndarray
        The bounds (NaN where ``n`` is 0, ``df`` below 1 or the variance unknown).

    Notes
    -----
    The Clopper-Pearson (exact binomial) interval computed on the *effective* sample size
    ``n* = p(1-p)/V`` (Kish's n / deff), corrected for the design's degrees of freedom:

    .. math:: n^*_{df} = n^* \\left(\\frac{t_{n-1,\\,1-\\alpha/2}}{t_{df,\\,1-\\alpha/2}}\\right)^2,
              \\qquad x^* = p\\,n^*_{df}

    .. math:: \\left[B^{-1}_{\\alpha/2}(x^*, n^*_{df} - x^* + 1),\\;
                     B^{-1}_{1-\\alpha/2}(x^* + 1, n^*_{df} - x^*)\\right]

    with ``B^{-1}`` the beta quantile (lower bound 0 when ``x* = 0``, upper 1 when
    ``x* = n*``). ``n*`` is capped at ``n``, so a design effect below one never gives a
    narrower interval than a simple random sample of ``n`` (a conservative choice: R's
    ``svyciprop(method = "beta")`` does not cap). Where ``V`` is 0 (every site alike, or
    ``p`` is 0 or 1) ``n* = n``. Unlike a Wald interval it stays within [0, 1] and keeps its
    coverage for rare outcomes (Korn and Graubard 1998; Dean and Pagano 2015).

    References
    ----------
    Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with small
    expected number of positive counts estimated from survey data. Survey Methodology 24(2),
    193-201.

    Dean, N. and Pagano, M. (2015). Evaluating confidence interval methods for binomial
    proportions in clustered surveys. Journal of Survey Statistics and Methodology 3(4),
    484-503. doi:10.1093/jssam/smv024

    Lumley, T. (2024). survey: analysis of complex survey samples, ``svyciprop``. R package.
    """
    alpha = 1 - confidence
    p = np.asarray(share, dtype=float)
    variance = np.asarray(variance, dtype=float)
    n = np.asarray(n, dtype=float)
    df = np.asarray(df, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(variance > 0, p * (1 - p) / variance, n)
        effective = effective * (t_critical(n - 1, confidence) / t_critical(df, confidence)) ** 2
        effective = np.minimum(effective, n)
        x = p * effective
        valid = (n > 0) & (effective > 0) & np.isfinite(effective) & np.isfinite(p)
        safe_n = np.where(valid, effective, 1.0)
        safe_x = np.where(valid, x, 0.5)
        low = np.where(safe_x > 0, stats.beta.ppf(alpha / 2, np.maximum(safe_x, 1e-300),
                                                  safe_n - safe_x + 1), 0.0)
        high = np.where(safe_x < safe_n, stats.beta.ppf(
            1 - alpha / 2, safe_x + 1, np.maximum(safe_n - safe_x, 1e-300)), 1.0)
    return np.where(valid, low, np.nan), np.where(valid, high, np.nan)


def design_t(value, variance, df, confidence: float = CONFIDENCE, lower: float | None = 0.0,
             upper: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """t interval ``value ± t_{df, 1-alpha/2} sqrt(V)`` for a survey mean or ratio.

    ``V`` is the design-based (Taylor-linearised) variance and ``df`` the design's degrees
    of freedom (primary sampling units minus strata), as in R's ``confint(svyratio(...),
    df = degf(design))`` (Lumley 2010, ch. 2-3; Wolter 2007, ch. 6). The bounds are clipped
    to [``lower``, ``upper``]: survey incomes, savings and shares cannot be negative.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.

    Wolter, K. M. (2007). Introduction to Variance Estimation, 2nd ed. Springer.
    """
    value = np.asarray(value, dtype=float)
    spread = t_critical(df, confidence) * np.sqrt(np.asarray(variance, dtype=float))
    low, high = value - spread, value + spread
    if lower is not None:
        low = np.maximum(low, lower)
    if upper is not None:
        high = np.minimum(high, upper)
    return low, high


def design_effect(method: str, value, variance, n, srs_variance) -> np.ndarray:
    """The design effect: the design's variance over a simple random sample's (Kish 1965).

    For a share of counted units (``korn_graubard``) the simple random sample's variance is
    ``p(1-p)/n``, so ``n / deff`` is the effective sample size of the Korn-Graubard interval.
    For a mean or ratio (``design_t``) it is ``srs_variance``: the weighted element variance
    of the linearised variable over the households interviewed (the query computes it).
    NaN where undefined (``p`` of 0 or 1, no variance).

    Kish, L. (1965). Survey Sampling. Wiley, section 8.2.
    """
    value = np.asarray(value, dtype=float)
    variance = np.asarray(variance, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "korn_graubard":
            reference = value * (1 - value) / np.asarray(n, dtype=float)
        else:
            reference = np.asarray(srs_variance, dtype=float)
        return np.where(reference > 0, variance / reference, np.nan)
