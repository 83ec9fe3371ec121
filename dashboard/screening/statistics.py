"""Screening statistics (pure): funnel-plot limits with overdispersion, empirical-Bayes shrinkage.

Sites differ hugely in size, so their raw rates cannot be ranked as they are: a site of 40
miners that saw two children has a higher rate than a site of 5,000 that saw twenty. This
module compares each site with the value over all sites in a way that respects its sample
size, for two kinds of data:

- ``"proportion"``: ``events`` out of ``n`` (children working in mining among the children of
  surveyed households), binomial;
- ``"rate"``: ``events`` over an ``exposure`` (children under 15 seen per worker counted at
  visits; incidents per worker-year), Poisson. Here ``n`` is the exposure.

Two tools, as health and education dashboards use them:

**Funnel plots** (Spiegelhalter 2005a): the target is the pooled value over all sites,
``theta0 = sum(events) / sum(n)``; each site is drawn at its ``n`` against limits that narrow as
``n`` grows. Without overdispersion the limits are exact binomial or Poisson quantiles with
Spiegelhalter's interpolation. Real sites vary more than chance alone allows (clustered
households, different geology), so the spread is tested first: z-scores on a variance-stabilising
scale, Winsorised at 10% each end, give the dispersion ratio ``phi = mean(z**2)``; when
``I * phi > I - 1`` (more spread than chance among ``I`` sites) the DerSimonian-Laird
between-site variance ``tau2`` is added to each site's variance on that scale and the limits
widen (additive random effects; Spiegelhalter 2005b, as NHS-R FunnelPlotR does). A site is
flagged only outside the 99.8% limit, on the side that is worse.

**Empirical-Bayes shrinkage**: site values are drawn from a common distribution fitted by
maximum likelihood to all sites, Beta(alpha, beta) for proportions (beta-binomial) and
Gamma(shape, rate) for rates (Poisson-gamma, the negative binomial). Each site's posterior
mean is its raw value pulled towards the common mean, and pulled harder the smaller its n.
Rankings use the posterior and never rank a site whose n is below a minimum.

References
----------
Spiegelhalter DJ (2005a). Funnel plots for comparing institutional performance. Statistics in
    Medicine 24(8):1185-1202. doi:10.1002/sim.1970
Spiegelhalter DJ (2005b). Handling over-dispersion of performance indicators. Quality and
    Safety in Health Care 14(5):347-351. doi:10.1136/qshc.2005.013755
DerSimonian R, Laird N (1986). Meta-analysis in clinical trials. Controlled Clinical Trials
    7(3):177-188. doi:10.1016/0197-2456(86)90046-2
Mainey C et al. FunnelPlotR: funnel plots for comparing institutional performance (NHS-R
    Community, CRAN); Public Health England, PHEindicatormethods (CRAN), funnel limits at 95%
    and 99.8%.
Clayton D, Kaldor J (1987). Empirical Bayes estimates of age-standardized relative risks for use
    in disease mapping. Biometrics 43(3):671-681 (Poisson-gamma).
Marshall RJ (1991). Mapping disease and mortality rates using empirical Bayes estimators.
    Applied Statistics 40(2):283-294.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

KINDS = ("proportion", "rate")
DIRECTIONS = ("lower_is_better", "higher_is_better")
FUNNEL_COVERAGES = (0.95, 0.998)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown kind '{kind}': expected one of {', '.join(KINDS)}")


def _check_coverage(coverage: float) -> None:
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must be between 0 and 1, got {coverage}")


def _two_sided_z(coverage: float) -> float:
    return float(stats.norm.ppf(1 - (1 - coverage) / 2))


# -- funnel limits --------------------------------------------------------------------------

def exact_limits(kind: str, target: float, n, coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact funnel limits (binomial or Poisson) with Spiegelhalter's interpolation.

    Parameters
    ----------
    kind : {"proportion", "rate"}
    target : float
        The value the funnel is drawn around: a proportion, or a rate per unit of exposure.
    n : array_like
        Denominators (whole numbers for proportions) or exposures.
    coverage : float
        Probability inside the limits, e.g. 0.95 or 0.998.

    Returns
    -------
    lower, upper : ndarray
        Limits on the scale of ``target``.

    Notes
    -----
    For a tail probability ``q`` (``(1 - coverage) / 2`` below, ``1 - (1 - coverage) / 2``
    above) let ``r`` be the q-quantile of the count, the smallest ``r`` with ``F(r) >= q``, where
    ``F`` is the Binomial(n, target) or Poisson(target * n) distribution function. Counts are
    discrete, so the limit is interpolated (Spiegelhalter 2005a, appendix A.1.1)::

        alpha = (F(r) - q) / (F(r) - F(r - 1))
        limit = (r - alpha) / n

    which makes the limits smooth in ``n``. Lower limits are floored at 0.
    """
    _check_kind(kind)
    _check_coverage(coverage)
    n = np.asarray(n, dtype=float)
    if kind == "proportion":
        if np.any(n != np.round(n)) or np.any(n < 1):
            raise ValueError("binomial limits need whole denominators n >= 1")
        distribution = stats.binom(n, target)
    else:
        if np.any(n <= 0):
            raise ValueError("Poisson limits need exposures n > 0")
        distribution = stats.poisson(target * n)
    tail = (1 - coverage) / 2

    def limit(q: float) -> np.ndarray:
        r = distribution.ppf(q)
        at_r, below_r = distribution.cdf(r), distribution.cdf(r - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = np.where(at_r > below_r, (at_r - q) / (at_r - below_r), 0.0)
        return np.maximum((r - alpha) / n, 0.0)

    return limit(tail), limit(1 - tail)


def normal_limits(kind: str, target: float, n, coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """Normal-approximation funnel limits on the natural scale (Spiegelhalter 2005a, eq. 2).

    Notes
    -----
    ``target +/- z * sqrt(V / n)`` with ``V = target * (1 - target)`` for a proportion and
    ``V = target`` for a Poisson rate, ``z`` the standard normal quantile for ``coverage``
    (1.96 for 95%, 3.09 for 99.8%). Poor for small ``n`` or a target near 0 or 1, where
    ``exact_limits`` should be used; kept as the textbook reference.
    """
    _check_kind(kind)
    _check_coverage(coverage)
    n = np.asarray(n, dtype=float)
    variance = target * (1 - target) if kind == "proportion" else target
    half_width = _two_sided_z(coverage) * np.sqrt(variance / n)
    return target - half_width, target + half_width


def overdispersed_limits(kind: str, target: float, n, coverage: float,
                         tau2: float) -> tuple[np.ndarray, np.ndarray]:
    """Funnel limits widened by the between-site variance ``tau2`` (additive random effects).

    Notes
    -----
    On the variance-stabilising scale of ``transformed`` (arcsine square root for a proportion,
    square root of observed / expected for a rate) a site's standard error is
    ``s = 1 / (2 sqrt(m))``, with ``m = n`` for a proportion and ``m = target * n`` (the expected
    count) for a rate. The limits are ``Y0 +/- z sqrt(s**2 + tau2)`` on that scale, back-
    transformed: ``sin(.)**2`` for a proportion (clipped to [0, pi/2] first) and
    ``target * max(.)**2`` for a rate (FunnelPlotR's "PR" and "CQC" methods).
    """
    _check_kind(kind)
    _check_coverage(coverage)
    n = np.asarray(n, dtype=float)
    z = _two_sided_z(coverage)
    if kind == "proportion":
        centre = np.arcsin(np.sqrt(target))
        spread = z * np.sqrt(1 / (4 * n) + tau2)
        low, high = (np.clip(centre + sign * spread, 0, np.pi / 2) for sign in (-1, 1))
        return np.sin(low) ** 2, np.sin(high) ** 2
    spread = z * np.sqrt(1 / (4 * target * n) + tau2)
    return target * np.maximum(1 - spread, 0) ** 2, target * (1 + spread) ** 2


def funnel_limits(kind: str, target: float, n, coverage: float,
                  tau2: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The limits the dashboard draws: exact without overdispersion, widened with it.

    As FunnelPlotR does, exact (interpolated) limits are used when no overdispersion was found
    (``tau2 == 0``) and the random-effects limits of ``overdispersed_limits`` otherwise.
    For proportions the exact limits need whole ``n``; other values are rounded.
    """
    if tau2 > 0:
        return overdispersed_limits(kind, target, n, coverage, tau2)
    if kind == "proportion":
        n = np.maximum(np.round(np.asarray(n, dtype=float)), 1)
    return exact_limits(kind, target, n, coverage)


# -- overdispersion -------------------------------------------------------------------------

def transformed(kind: str, events, n, target: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Values, standard errors and target on the variance-stabilising scale.

    Returns
    -------
    y, s, y0 : ndarray, ndarray, float
        Proportion: ``y = arcsin(sqrt(events / n))``, ``s = 1 / (2 sqrt(n))``,
        ``y0 = arcsin(sqrt(target))``. Rate: ``y = sqrt(events / expected)`` with
        ``expected = target * n``, ``s = 1 / (2 sqrt(expected))``, ``y0 = 1``.
    """
    _check_kind(kind)
    events, n = np.asarray(events, dtype=float), np.asarray(n, dtype=float)
    if kind == "proportion":
        centre = float(np.arcsin(np.sqrt(target)))
        return np.arcsin(np.sqrt(events / n)), 1 / (2 * np.sqrt(n)), centre
    expected = target * n
    return np.sqrt(events / expected), 1 / (2 * np.sqrt(expected)), 1.0


def winsorise(z, fraction: float = 0.1) -> np.ndarray:
    """Pull the ``fraction`` most extreme values at each end in to the quantile at that point.

    Quantiles are linear interpolations between order statistics (numpy's default, R's type 7),
    as FunnelPlotR's Winsorisation uses them.
    """
    z = np.asarray(z, dtype=float)
    if fraction <= 0 or len(z) == 0:
        return z
    low, high = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, low, high)


def dispersion_ratio(z) -> float:
    """``phi = (1 / I) * sum(z_i ** 2)``: 1 when sites vary only by chance (Spiegelhalter 2005b)."""
    z = np.asarray(z, dtype=float)
    return float(np.mean(z ** 2))


def between_site_variance(phi: float, s) -> float:
    """DerSimonian-Laird between-site variance from the dispersion ratio.

    Notes
    -----
    With ``I`` sites, weights ``w_i = 1 / s_i**2``::

        tau2 = (I * phi - (I - 1)) / (sum(w) - sum(w**2) / sum(w))

    and ``tau2 = 0`` when ``I * phi <= I - 1`` (no more spread than chance).
    """
    s = np.asarray(s, dtype=float)
    sites = len(s)
    if sites < 2 or sites * phi <= sites - 1:
        return 0.0
    w = 1 / s ** 2
    return float((sites * phi - (sites - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))


@dataclass(frozen=True)
class Overdispersion:
    """How much more the sites vary than chance: ``phi`` (1 = chance) and ``tau2``."""

    phi: float
    tau2: float
    sites: int


def estimate_overdispersion(kind: str, events, n, target: float,
                            trim: float = 0.1) -> Overdispersion:
    """Dispersion ratio and between-site variance of sites around ``target``.

    z-scores ``(y - y0) / s`` on the scale of ``transformed`` are Winsorised (``trim`` at each
    end) before ``phi``; ``tau2`` follows from ``between_site_variance``.
    """
    y, s, y0 = transformed(kind, events, n, target)
    z = winsorise((y - y0) / s, trim)
    phi = dispersion_ratio(z) if len(z) else 1.0
    return Overdispersion(phi, between_site_variance(phi, s), len(z))


# -- empirical-Bayes shrinkage --------------------------------------------------------------

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
    _check_coverage(interval)
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
    _check_coverage(interval)
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
    _check_kind(kind)
    return special.gammaincc(first + events, (second + n) * threshold)


# -- one measure over all sites -------------------------------------------------------------

STATUSES = ("worse_998", "worse_95", "within", "better_95", "better_998")


@dataclass(frozen=True)
class Assessment:
    """A measure over all sites: the funnel, the shrunk values and the ranking.

    ``sites`` has one row per site with data: ``site_id, events, n, value`` (raw, times the
    multiplier), ``estimate, lower, upper`` (shrunk, times the multiplier), ``weight``,
    ``limit_95_low/high``, ``limit_998_low/high`` at the site's n, ``status`` (one of
    ``STATUSES``), ``flagged`` (outside the flag limit on the worse side), ``probability_worse``
    (posterior probability of being worse than the target), ``ranked`` (n >= min_n) and
    ``rank`` (1 = worst, missing when not ranked). ``curve`` has the limits over a grid of n,
    for drawing.
    """

    kind: str
    direction: str
    multiplier: float
    target: float
    overdispersion: Overdispersion
    prior: tuple[float, float]
    min_n: float
    sites: pd.DataFrame
    curve: pd.DataFrame


def _status(value: np.ndarray, limits: dict[float, tuple[np.ndarray, np.ndarray]],
            direction: str) -> np.ndarray:
    high_is_worse = direction == "lower_is_better"
    (low95, high95), (low998, high998) = limits[0.95], limits[0.998]
    above = np.select([value > high998, value > high95], ["998", "95"], "")
    below = np.select([value < low998, value < low95], ["998", "95"], "")
    worse, better = (above, below) if high_is_worse else (below, above)
    return np.where(worse != "", "worse_" + worse,
                    np.where(better != "", "better_" + better, "within"))


def limit_curve(kind: str, target: float, n_min: float, n_max: float, tau2: float,
                points: int = 120) -> pd.DataFrame:
    """Funnel limits over a log-spaced grid of n from ``n_min`` to ``n_max``, for drawing."""
    n_min = max(n_min, 1.0)
    grid = np.unique(np.geomspace(n_min, max(n_max, n_min * 1.01), points))
    if kind == "proportion" and tau2 == 0:
        grid = np.unique(np.round(grid))
    curve = {"n": grid}
    for coverage in FUNNEL_COVERAGES:
        low, high = funnel_limits(kind, target, grid, coverage, tau2)
        label = _coverage_label(coverage)
        curve[f"limit_{label}_low"], curve[f"limit_{label}_high"] = low, high
    return pd.DataFrame(curve)


def _coverage_label(coverage: float) -> str:
    return {0.95: "95", 0.998: "998"}[coverage]


def assess(kind: str, counts: pd.DataFrame, *, direction: str, min_n: float,
           multiplier: float = 1.0, trim: float = 0.1, interval: float = 0.95) -> Assessment:
    """Funnel limits, shrinkage and ranking of one measure over all sites.

    Parameters
    ----------
    kind : {"proportion", "rate"}
    counts : DataFrame
        One row per site: ``site_id, events, n`` (``n`` is the exposure for a rate). Sites with
        ``n == 0`` are left out: they have no data.
    direction : {"lower_is_better", "higher_is_better"}
        Which side of the funnel is worse.
    min_n : float
        Sites with a smaller ``n`` are shown but never ranked.
    multiplier : float
        Scale of the displayed values (1,000 for "per 1,000 workers"); statistics use events/n.
    trim : float
        Winsorisation of z-scores before the overdispersion estimate.
    interval : float
        Coverage of the shrinkage interval.

    Returns
    -------
    Assessment
        Flagging uses the 99.8% limit; see the class for the columns.
    """
    _check_kind(kind)
    if direction not in DIRECTIONS:
        raise ValueError(f"Unknown direction '{direction}': "
                         f"expected one of {', '.join(DIRECTIONS)}")
    data = counts.loc[counts["n"] > 0, ["site_id", "events", "n"]].reset_index(drop=True)
    events, n = data["events"].to_numpy(float), data["n"].to_numpy(float)
    if len(data) == 0 or events.sum() == 0:
        return _empty_assessment(kind, direction, multiplier, min_n, data)
    target = events.sum() / n.sum()
    dispersion = estimate_overdispersion(kind, events, n, target, trim)
    prior = fit_beta_binomial(events, n) if kind == "proportion" else fit_poisson_gamma(events, n)
    shrunk = (shrink_proportions if kind == "proportion" else shrink_rates)(
        events, n, *prior, interval=interval)
    limits = {c: funnel_limits(kind, target, n, c, dispersion.tau2) for c in FUNNEL_COVERAGES}
    value = events / n
    status = _status(value, limits, direction)
    above = probability_above(kind, events, n, prior, target)
    table = data.assign(
        value=value * multiplier,
        estimate=shrunk["estimate"] * multiplier,
        lower=shrunk["lower"] * multiplier,
        upper=shrunk["upper"] * multiplier,
        weight=shrunk["weight"],
        **{f"limit_{_coverage_label(c)}_{side}": limits[c][i] * multiplier
           for c in FUNNEL_COVERAGES for i, side in enumerate(("low", "high"))},
        status=status,
        flagged=status == "worse_998",
        probability_worse=above if direction == "lower_is_better" else 1 - above,
        ranked=n >= min_n,
    )
    table["rank"] = _rank(table, direction)
    curve = limit_curve(kind, target, n.min(), n.max(), dispersion.tau2)
    curve.loc[:, curve.columns != "n"] *= multiplier
    return Assessment(kind, direction, multiplier, target * multiplier, dispersion, prior,
                      min_n, table, curve)


def _rank(table: pd.DataFrame, direction: str) -> pd.Series:
    """1 for the worst shrunk estimate among ranked sites; missing for the others."""
    ranked = table.loc[table["ranked"], "estimate"]
    order = ranked.rank(method="min", ascending=direction == "higher_is_better")
    return order.reindex(table.index).astype("Int64")


def _empty_assessment(kind, direction, multiplier, min_n, data) -> Assessment:
    columns = ["value", "estimate", "lower", "upper", "weight", "limit_95_low", "limit_95_high",
               "limit_998_low", "limit_998_high", "status", "flagged", "probability_worse",
               "ranked", "rank"]
    sites = data.reindex(columns=[*data.columns, *columns])
    sites["flagged"] = False
    sites["ranked"] = False
    no_spread = Overdispersion(1.0, 0.0, len(data))
    return Assessment(kind, direction, multiplier, float("nan"), no_spread,
                      (float("nan"), float("nan")), min_n, sites, pd.DataFrame())
