"""The difference-in-differences event study: a two-by-two computed by hand, statsmodels'
cluster-robust fit against the textbook matrix formula written out here, the leads as a
parallel-trends check, and what cannot be estimated."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard.funding import did


def panel_rows(values: dict[tuple[str, str], float], enrolled: dict[str, str | None],
               outcome: str = "covered_pit_share") -> pd.DataFrame:
    """``funding_outcome_panel`` rows: value as numerator over a denominator of 1."""
    return pd.DataFrame([
        {"outcome": outcome, "site_id": site, "period": dt.date.fromisoformat(period),
         "enrolled_on": (dt.date.fromisoformat(enrolled[site]) if enrolled[site] else None),
         "numerator": value, "denominator": 1.0, "n": 10}
        for (site, period), value in values.items()])


def test_two_periods_give_the_difference_of_the_mean_changes():
    # three sites enrol in July 2021 (half-year 2021-07 is event time 0), three never do
    before, after = "2021-01-01", "2021-07-01"
    enrolled = {"T1": "2021-07-15", "T2": "2021-08-01", "T3": "2021-12-01",
                "C1": None, "C2": None, "C3": None}
    values = {("T1", before): 0.20, ("T1", after): 0.50, ("T2", before): 0.10,
              ("T2", after): 0.30, ("T3", before): 0.40, ("T3", after): 0.60,
              ("C1", before): 0.30, ("C1", after): 0.35, ("C2", before): 0.20,
              ("C2", after): 0.20, ("C3", before): 0.50, ("C3", after): 0.60}
    # by hand: funded sites rose 0.30, 0.20, 0.20 (mean 0.70 / 3); comparison sites 0.05, 0,
    # 0.10 (mean 0.05); the difference is 0.70 / 3 - 0.05
    result = did.estimate(did.site_values(panel_rows(values, enrolled), "covered_pit_share"))
    assert result.effect == pytest.approx(0.70 / 3 - 0.05)
    assert result.low < result.effect < result.high
    assert (result.enrolled_sites, result.comparison_sites, result.observations) == (3, 3, 12)
    assert result.pretrend_p is None  # no half-year before the reference: nothing to check
    reference = result.event_times.set_index("event_time").loc[-1]
    assert reference["effect"] == 0 and reference["reference"]


def staggered_panel(seed: int = 3, effect: float = 2.0, pre_trend: float = 0.0
                    ) -> pd.DataFrame:
    """12 sites over 10 half-years (2020-2024): six enrol at different dates, six never;
    after enrolment the value rises by ``effect`` x half-years since (capped at 3);
    ``pre_trend`` adds a slope before enrolment at enrolled sites only."""
    rng = np.random.default_rng(seed)
    periods = [dt.date(2020 + h // 2, 1 + 6 * (h % 2), 1) for h in range(10)]
    enrolments = ["2021-03-01", "2021-09-01", "2022-02-01", "2022-08-01", "2023-04-01",
                  "2023-10-01", None, None, None, None, None, None]
    enrolled = {f"S{i:02d}": day for i, day in enumerate(enrolments)}
    values = {}
    for site, day in enrolled.items():
        level = rng.normal(10, 2)
        for period in periods:
            value = level + 0.3 * period.year - 600 + rng.normal(0, 0.5)
            if day:
                since = did.half_year(period) - did.half_year(dt.date.fromisoformat(day))
                value += effect * min(max(since + 1, 0), 3) + pre_trend * min(since, 0)
            values[(site, period.isoformat())] = value
    return panel_rows(values, enrolled)


def cluster_robust_ols(y: np.ndarray, x: np.ndarray, groups: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """b = (X'X)^-1 X'y and the CR1 covariance
    V = G/(G-1) (N-1)/(N-K) (X'X)^-1 [sum over clusters g of X_g' u_g u_g' X_g] (X'X)^-1."""
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    residuals = y - x @ beta
    meat = np.zeros((x.shape[1], x.shape[1]))
    for group in np.unique(groups):
        score = x[groups == group].T @ residuals[groups == group]
        meat += np.outer(score, score)
    n, k, g = x.shape[0], x.shape[1], len(np.unique(groups))
    return beta, g / (g - 1) * (n - 1) / (n - k) * bread @ meat @ bread


def test_the_estimate_matches_ols_with_cluster_robust_errors_computed_by_hand():
    values = did.site_values(staggered_panel(), "covered_pit_share")
    result = did.estimate(values, leads=3, lags=4)

    # the same model, written independently: event-time and half-year indicators
    event = values["event_time"].clip(-3, 4)
    times = [e for e in range(-3, 5) if e != -1 and (event == e).any()]
    halves = sorted(values["period"].unique())
    columns = [(event == e).to_numpy(float) for e in times]
    columns += [(values["period"] == p).to_numpy(float) for p in halves[1:]]
    sites = sorted(values["site_id"].unique())
    site_of = values["site_id"].map({s: i for i, s in enumerate(sites)}).to_numpy()
    x, y = np.column_stack(columns), values["value"].to_numpy()

    # with one indicator per site, ordinary least squares gives the event-time coefficients
    dummies = np.column_stack([x, np.eye(len(sites))[site_of]])
    full, *_ = np.linalg.lstsq(dummies, y, rcond=None)
    # demeaned within sites, the same coefficients (Frisch-Waugh-Lovell) and CR1 errors
    def demeaned(a: np.ndarray) -> np.ndarray:
        means = np.array([a[site_of == i].mean(axis=0) for i in range(len(sites))])
        return a - means[site_of]

    beta, covariance = cluster_robust_ols(demeaned(y), demeaned(x), site_of)
    assert beta == pytest.approx(full[:x.shape[1]], abs=1e-9)

    table = result.event_times.set_index("event_time")
    for index, e in enumerate(times):
        assert table.loc[e, "effect"] == pytest.approx(beta[index], abs=1e-9)
        assert table.loc[e, "std_error"] == pytest.approx(np.sqrt(covariance[index, index]),
                                                          rel=1e-9)
    # the headline: post-enrolment coefficients weighted by their site-half-years
    post = [i for i, e in enumerate(times) if e >= 0]
    counts = np.array([(event[values["enrolled"]] == times[i]).sum() for i in post], float)
    weights = np.zeros(len(beta))
    weights[post] = counts / counts.sum()
    effect = weights @ beta
    error = np.sqrt(weights @ covariance @ weights)
    t_critical = stats.t.ppf(0.975, len(sites) - 1)  # Student's t, sites minus one
    assert result.effect == pytest.approx(effect, abs=1e-9)
    assert result.std_error == pytest.approx(error, rel=1e-9)
    assert (result.low, result.high) == pytest.approx((effect - t_critical * error,
                                                       effect + t_critical * error), rel=1e-9)
    assert result.clusters == len(sites) == 12


def test_the_effect_is_recovered_and_parallel_trends_pass():
    result = did.estimate(did.site_values(staggered_panel(effect=2.0), "covered_pit_share"),
                          leads=3, lags=4)
    after = result.event_times.set_index("event_time")
    assert after.loc[0, "effect"] == pytest.approx(2.0, abs=0.8)
    assert after.loc[2, "effect"] == pytest.approx(6.0, abs=0.8)
    assert result.pretrend_p > 0.05
    assert result.p_value < 0.001


def test_a_trend_before_enrolment_shows_in_the_leads():
    result = did.estimate(did.site_values(staggered_panel(pre_trend=1.5), "covered_pit_share"),
                          leads=3, lags=4)
    leads = result.event_times[result.event_times["event_time"] < -1]
    assert (leads["effect"] < -1).all()  # lower before, rising towards enrolment
    assert result.pretrend_p < 0.001


def test_end_bins_pool_the_far_event_times():
    assert did.binned(pd.Series([-9, -3, 0, 5, 12]), leads=3, lags=5).tolist() == [
        -3, -3, 0, 5, 5]


def test_too_few_sites_cannot_be_estimated():
    values = did.site_values(staggered_panel(), "covered_pit_share")
    few = values[~values["site_id"].isin(["S00", "S01", "S02", "S03"])]
    with pytest.raises(did.NotEstimable, match="2 enrolled and 6 comparison"):
        did.estimate(few, "covered_pit_share")


def test_rates_are_scaled_and_empty_denominators_left_out():
    rows = staggered_panel().assign(outcome="children_seen_per_1000")
    rows.loc[0, "denominator"] = 0
    values = did.site_values(rows.assign(numerator=rows["numerator"] / 1000),
                             "children_seen_per_1000")
    assert len(values) == len(rows) - 1
    assert values["value"].iloc[0] == pytest.approx(rows["numerator"].iloc[1])


def test_raw_paths_compare_enrolled_sites_with_comparison_sites_in_the_same_half_years():
    before, after = "2021-01-01", "2021-07-01"
    enrolled = {"T1": "2021-07-01", "C1": None, "C2": None}
    values = did.site_values(panel_rows(
        {("T1", before): 1.0, ("T1", after): 5.0, ("C1", before): 2.0, ("C1", after): 3.0,
         ("C2", before): 4.0, ("C2", after): 6.0}, enrolled), "covered_pit_share")
    paths = did.raw_paths(values).set_index("event_time")
    assert paths.loc[-1].tolist() == [1.0, 3.0, 1]
    assert paths.loc[0].tolist() == [5.0, 4.5, 1]


def test_every_outcome_is_estimated_on_the_demo(use_db, demo_db):
    from dashboard import db
    use_db(demo_db)
    panel = db.run("funding_outcome_panel", province=None, start=dt.date(2020, 1, 1),
                   end=dt.date(2026, 10, 31))
    estimates, problems = did.estimate_all(panel)
    assert problems == {}
    found = {e.outcome: e for e in estimates}
    assert set(found) == set(did.OUTCOME)
    # the demo's programme covers pits and sells fair cobalt; comparison sites do neither
    assert found["covered_pit_share"].low > 0.2
    assert found["fair_cobalt_share"].low > 0.1
    assert found["children_seen_per_1000"].high < 0
    assert all(e.enrolled_sites == 16 and e.comparison_sites == 24 for e in estimates)


def test_half_years_of_a_column_are_each_days_half_year():
    days = pd.Series(pd.to_datetime(["2021-01-01", "2021-06-30", "2021-07-01", "2021-12-31",
                                     None, "2024-02-29"]))
    expected = [did.half_year(day) if pd.notna(day) else None for day in days]
    got = did.half_years(days)
    assert [None if pd.isna(value) else value for value in got] == expected
    assert expected[:4] == [4042, 4042, 4043, 4043]
