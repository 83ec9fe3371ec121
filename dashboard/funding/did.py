"""Outcomes at funded sites against comparison sites: a difference-in-differences event study
(pure: statsmodels OLS, no Streamlit).

The data are one value per site and half-year (``funding_outcome_panel``: numerator over
denominator). Sites enrol in the programme at different dates from 2020 to 2024; comparison
sites never do. For each outcome the model is a two-way fixed-effects event study:

    y_st = a_s + l_t + sum over e != -1 of b_e * 1[t - g_s = e] + u_st

with a_s one fixed effect per site (its level), l_t one per half-year (what moved every site
alike: prices, the rainy season, the sector's drift), g_s the half-year in which site s
enrolled and e the half-years since then. Event times before ``-LEADS`` and after ``LAGS``
are pooled into the end bins; e = -1, the half-year before enrolment, is the reference.
b_e is then the change at enrolled sites from the half-year before enrolment to e
half-years after, beyond the change at the comparison sites (and the sites not yet enrolled)
over the same calendar half-years. The leads (e < -1) are the parallel-trends check: the
model assumes that without the programme, enrolled sites would have moved as the others did,
and leads far from zero say that assumption is doubtful.

The headline estimate is the average of the b_e after enrolment (e >= 0), weighted by how many
site-half-years each event time has. The site effects are absorbed by demeaning within sites.
Standard errors are cluster-robust by site (statsmodels' CR1, with the small-sample factor
G/(G-1) x (N-1)/(N-K), K counting the event-time and half-year terms but not the site effects,
which are nested in the clusters) and intervals use Student's t with G-1 degrees of freedom,
G the number of sites (Cameron & Miller 2015). Pooling the event-time
effects across enrolment cohorts assumes a site's path after enrolment does not depend on when
it enrolled; with cohorts of one or two sites, the cohort-by-cohort estimators of Sun &
Abraham (2021) or Callaway & Sant'Anna (2021) would leave too few sites per estimate.
Each site-half-year counts once, whatever the site's size. This is an association under the
stated assumptions, not proof that the programme caused the change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

LEADS = 6  # event times -6 and earlier share one coefficient
LAGS = 8  # event times 8 and later share one coefficient
REFERENCE = -1
MIN_SITES = 3  # of each group (enrolled, comparison), or no estimate


@dataclass(frozen=True)
class Outcome:
    """A key indicator both groups of sites measure, and how its value is scaled."""

    id: str  # the indicator registry's id
    objective: str
    scale: float = 1.0  # value = scale * numerator / denominator


# The objectives' key indicators that comparison sites measure too. Cobalt Credits and
# resolved referral cases exist only where the programme works: there is nothing to compare.
OUTCOMES = (
    Outcome("fair_cobalt_share", "fair_cobalt"),
    Outcome("price_vs_reference", "fair_cobalt"),
    Outcome("children_seen_per_1000", "child_labour", 1000.0),
    Outcome("children_in_hazardous_work", "child_labour"),
    Outcome("share_above_living_income", "income"),
    Outcome("median_household_income", "income"),
    Outcome("vsla_membership", "income"),
    Outcome("fatal_incidents_per_1000", "safety", 1000.0),
    Outcome("covered_pit_share", "safety"),
    Outcome("pits_over_30m_share", "safety"),
    Outcome("women_income", "gender"),
    Outcome("women_income_share", "gender"),
)
OUTCOME = {o.id: o for o in OUTCOMES}


@dataclass(frozen=True)
class Estimate:
    """One outcome's difference-in-differences."""

    outcome: str
    effect: float  # average change after enrolment beyond the comparison sites' change
    std_error: float
    low: float  # 95% interval
    high: float
    p_value: float
    pretrend_f: float | None  # joint test that every lead is zero (None: no lead estimable)
    pretrend_p: float | None
    enrolled_sites: int
    comparison_sites: int
    observations: int
    clusters: int
    event_times: pd.DataFrame  # event_time, label, effect, std_error, low, high, observations


class NotEstimable(ValueError):
    """Too few sites or periods for an estimate; the message says what is missing."""


def half_year(day) -> int:
    """A half-year as an integer: 2 x year, + 1 from July."""
    day = pd.Timestamp(day)
    return day.year * 2 + (1 if day.month > 6 else 0)


def half_years(days: pd.Series) -> pd.Series:
    """``half_year`` of each day, NaN where there is none (vectorised: tens of thousands of
    rows per outcome)."""
    stamps = pd.to_datetime(days)
    return stamps.dt.year * 2 + (stamps.dt.month > 6).astype(int)


def site_values(panel: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One outcome's values per site and half-year, with the site's event time.

    Returns site_id, period (the half-year's first day), value, n, enrolled (bool),
    event_time (half-years since the enrolment half-year; NaN at comparison sites).
    Rows without a positive denominator have no value and are left out.
    """
    spec = OUTCOME[outcome]
    rows = panel[(panel["outcome"] == outcome) & (panel["denominator"] > 0)].copy()
    rows["value"] = spec.scale * rows["numerator"] / rows["denominator"]
    periods = half_years(rows["period"])
    cohorts = half_years(rows["enrolled_on"])
    rows["enrolled"] = rows["enrolled_on"].notna()
    rows["event_time"] = periods - cohorts
    rows["period"] = pd.to_datetime(rows["period"])
    return rows[["site_id", "period", "value", "n", "enrolled", "event_time"]].reset_index(
        drop=True)


def binned(event_time: pd.Series, leads: int = LEADS, lags: int = LAGS) -> pd.Series:
    """Event times with the ends pooled: -leads and before, lags and after."""
    return event_time.clip(lower=-leads, upper=lags)


def design(values: pd.DataFrame, leads: int = LEADS, lags: int = LAGS
           ) -> tuple[pd.DataFrame, list[int]]:
    """The regressors besides the site effects: an indicator per event time (but the
    reference) and per half-year but the first. Returns the matrix and the event times."""
    bins = binned(values["event_time"], leads, lags)
    event_times = sorted(int(e) for e in bins.dropna().unique() if e != REFERENCE)
    columns = {f"e{e}": (bins == e).astype(float) for e in event_times}
    periods = pd.get_dummies(values["period"].dt.strftime("%Y-%m"), prefix="period",
                             dtype=float).iloc[:, 1:]
    return pd.concat([pd.DataFrame(columns, index=values.index), periods], axis=1), event_times


def within_sites(frame: pd.DataFrame, sites: pd.Series) -> pd.DataFrame:
    """Each column minus its site's mean: the site fixed effects taken out (Frisch-Waugh-
    Lovell), so thousands of sites need no column each."""
    return frame - frame.groupby(sites.to_numpy()).transform("mean")


def estimate(values: pd.DataFrame, outcome: str = "", leads: int = LEADS, lags: int = LAGS
             ) -> Estimate:
    """The event study of ``site_values`` rows; raises NotEstimable when it cannot be done.

    The site effects are absorbed by demeaning within sites (the same coefficients as one
    indicator per site); sites with a single value carry no information and are left out, and
    the site effects, nested in the clusters, are not counted in the small-sample factor (as
    Stata's xtreg, fe and reghdfe do).
    """
    values = values.dropna(subset=["value"])
    values = values[values.groupby("site_id")["site_id"].transform("size") > 1]
    values = values.reset_index(drop=True)
    enrolled = values.loc[values["enrolled"], "site_id"].nunique()
    comparison = values.loc[~values["enrolled"], "site_id"].nunique()
    if enrolled < MIN_SITES or comparison < MIN_SITES:
        raise NotEstimable(f"{outcome}: {enrolled} enrolled and {comparison} comparison sites "
                           f"have values; at least {MIN_SITES} of each are needed.")
    before = values["enrolled"] & (values["event_time"] < 0)
    after = values["enrolled"] & (values["event_time"] >= 0)
    if not before.any() or not after.any():
        raise NotEstimable(f"{outcome}: enrolled sites need values both before and after "
                           "enrolment.")
    matrix, event_times = design(values, leads, lags)
    matrix = within_sites(matrix, values["site_id"])
    matrix = matrix.loc[:, (matrix.abs() > 1e-12).any(axis=0)]
    response = within_sites(values[["value"]], values["site_id"])["value"].to_numpy(float)
    groups = values["site_id"].astype("category").cat.codes.to_numpy()
    # QR is exact here and much faster than the pseudo-inverse
    fit = sm.OLS(response, matrix, hasconst=False).fit(
        method="qr", cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    estimated = [e for e in event_times if f"e{e}" in fit.params.index]
    if not any(e >= 0 for e in estimated):
        raise NotEstimable(f"{outcome}: no event time after enrolment could be estimated.")

    counts = binned(values.loc[values["enrolled"], "event_time"], leads, lags).value_counts()
    table = _event_time_table(fit, estimated, counts, leads, lags)
    post = [e for e in estimated if e >= 0]
    weights = np.array([counts.get(e, 0) for e in post], dtype=float)
    average = fit.t_test(_contrast(fit, {f"e{e}": w / weights.sum() for e, w in
                                         zip(post, weights)}))
    low, high = np.asarray(average.conf_int(alpha=0.05)).ravel()
    pre_f, pre_p = _pretrend_test(fit, [e for e in estimated if e < REFERENCE])
    return Estimate(
        outcome=outcome, effect=float(np.ravel(average.effect)[0]),
        std_error=float(np.ravel(average.sd)[0]), low=float(low), high=float(high),
        p_value=float(np.ravel(average.pvalue)[0]), pretrend_f=pre_f, pretrend_p=pre_p,
        enrolled_sites=int(enrolled), comparison_sites=int(comparison),
        observations=int(fit.nobs), clusters=int(len(np.unique(groups))), event_times=table)


def _contrast(fit, weights: dict[str, float]) -> np.ndarray:
    row = np.zeros(len(fit.params))
    for name, weight in weights.items():
        row[fit.params.index.get_loc(name)] = weight
    return row[None, :]


def _pretrend_test(fit, leads: list[int]) -> tuple[float | None, float | None]:
    if not leads:
        return None, None
    rows = np.vstack([_contrast(fit, {f"e{e}": 1.0}) for e in leads])
    test = fit.f_test(rows)
    return float(np.ravel(test.fvalue)[0]), float(test.pvalue)


def _event_time_table(fit, estimated: list[int], counts: pd.Series, leads: int,
                      lags: int) -> pd.DataFrame:
    intervals = fit.conf_int(alpha=0.05)
    rows = [{"event_time": REFERENCE, "effect": 0.0, "std_error": 0.0, "low": 0.0, "high": 0.0,
             "observations": int(counts.get(REFERENCE, 0)), "reference": True}]
    for e in estimated:
        name = f"e{e}"
        rows.append({"event_time": e, "effect": float(fit.params[name]),
                     "std_error": float(fit.bse[name]), "low": float(intervals.loc[name, 0]),
                     "high": float(intervals.loc[name, 1]),
                     "observations": int(counts.get(e, 0)), "reference": False})
    table = pd.DataFrame(rows).sort_values("event_time").reset_index(drop=True)
    table["pooled"] = table["event_time"].isin([-leads, lags])
    return table


def raw_paths(values: pd.DataFrame, leads: int = LEADS, lags: int = LAGS) -> pd.DataFrame:
    """What the estimate compares, before any model: by event time, the mean value at
    enrolled sites, and the mean at comparison sites in the same calendar half-years
    (each enrolled site-half-year's comparison mean, averaged alike).

    Returns event_time, enrolled_mean, comparison_mean, observations.
    """
    comparison = values[~values["enrolled"]].groupby("period")["value"].mean()
    treated = values[values["enrolled"]].copy()
    treated["comparison"] = treated["period"].map(comparison)
    treated["event_time"] = binned(treated["event_time"], leads, lags)
    paths = treated.dropna(subset=["comparison"]).groupby("event_time").agg(
        enrolled_mean=("value", "mean"), comparison_mean=("comparison", "mean"),
        observations=("value", "size")).reset_index()
    paths["event_time"] = paths["event_time"].astype(int)
    return paths


def estimate_all(panel: pd.DataFrame, outcomes=OUTCOMES) -> tuple[list[Estimate], dict[str, str]]:
    """Every outcome's estimate, and for those that could not be estimated, why."""
    estimates, problems = [], {}
    for outcome in outcomes:
        try:
            estimates.append(estimate(site_values(panel, outcome.id), outcome.id))
        except NotEstimable as error:
            problems[outcome.id] = str(error)
    return estimates, problems


def first_period(values: pd.DataFrame) -> dt.date | None:
    return None if values.empty else values["period"].min().date()
