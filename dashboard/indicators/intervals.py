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
