"""Screening statistics (pure): one measure over all sites, compared fairly.

Sites differ hugely in size, so their raw rates cannot be ranked as they are: a site of 40
miners that saw two children has a higher rate than a site of 5,000 that saw twenty. ``assess``
compares each site with the value over all sites in a way that respects its sample size, for
two kinds of data:

- ``"proportion"``: ``events`` out of ``n`` (children working in mining among the children of
  surveyed households), binomial;
- ``"rate"``: ``events`` over an ``exposure`` (children under 15 seen per worker counted at
  visits; incidents per worker-year), Poisson. Here ``n`` is the exposure.

Two tools, as health and education dashboards use them: **funnel plots** with overdispersion
(``dashboard.screening.funnel``; a site is flagged only outside the 99.8% limit, on the side
that is worse) and **empirical-Bayes shrinkage** (``dashboard.screening.shrinkage``; rankings
use the posterior and never rank a site whose n is below a minimum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.screening.funnel import (
    FUNNEL_COVERAGES,
    Overdispersion,
    check_kind,
    coverage_label,
    estimate_overdispersion,
    funnel_limits,
    limit_curve,
)
from dashboard.screening.shrinkage import (
    fit_beta_binomial,
    fit_poisson_gamma,
    probability_above,
    shrink_proportions,
    shrink_rates,
)

DIRECTIONS = ("lower_is_better", "higher_is_better")
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
    check_kind(kind)
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
        **{f"limit_{coverage_label(c)}_{side}": limits[c][i] * multiplier
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
