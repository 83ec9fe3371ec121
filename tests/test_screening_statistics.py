"""One measure over all sites: flags, ranks and the funnel curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.screening import statistics


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
