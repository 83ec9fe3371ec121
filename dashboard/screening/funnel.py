"""Funnel-plot limits with overdispersion (pure), after Spiegelhalter (2005a, 2005b).

The target is the pooled value over all sites, ``theta0 = sum(events) / sum(n)``; each site is
drawn at its ``n`` against limits that narrow as ``n`` grows. Without overdispersion the limits
are exact binomial (``"proportion"``) or Poisson (``"rate"``, ``n`` an exposure) quantiles with
Spiegelhalter's interpolation. Real sites vary more than chance alone allows (clustered
households, different geology), so the spread is tested first: z-scores on a variance-stabilising
scale, Winsorised at 10% each end, give the dispersion ratio ``phi = mean(z**2)``; when
``I * phi > I - 1`` (more spread than chance among ``I`` sites) the DerSimonian-Laird
between-site variance ``tau2`` is added to each site's variance on that scale and the limits
widen (additive random effects; Spiegelhalter 2005b, as NHS-R FunnelPlotR does).

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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

KINDS = ("proportion", "rate")
FUNNEL_COVERAGES = (0.95, 0.998)


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown kind '{kind}': expected one of {', '.join(KINDS)}")


def check_coverage(coverage: float) -> None:
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
    check_kind(kind)
    check_coverage(coverage)
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
    check_kind(kind)
    check_coverage(coverage)
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
    check_kind(kind)
    check_coverage(coverage)
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
    check_kind(kind)
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
        label = coverage_label(coverage)
        curve[f"limit_{label}_low"], curve[f"limit_{label}_high"] = low, high
    return pd.DataFrame(curve)


def coverage_label(coverage: float) -> str:
    """How a coverage names its columns: 0.95 -> "95", 0.998 -> "998"."""
    return {0.95: "95", 0.998: "998"}[coverage]

