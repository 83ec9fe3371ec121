"""The projection: hand-computed cases per workstream, properties (hypothesis), the default
allocation."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scenario_fixture import (
    ASSUMPTIONS,
    DRAWN,
    FAST,
    LIVING_INCOME,
    demo_baseline,
    only,
    point_draws,
    scenarios,
    uniform_incomes,
)

from dashboard.scenario import assumptions, model, summaries
from dashboard.scenario.baseline import Baseline
from dashboard.scenario.model import Scenario

# -- hand-computed cases, one per workstream ------------------------------------------------

def test_child_labour_case_management_by_hand():
    baseline = Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=100)
    drawn = point_draws(child_labour__cost=100, child_labour__effect=0.5)
    result = model.project(only("child_labour", 10_000, years=2), baseline, drawn, horizon=3)
    # year 1: 100 units for a pool of 100 reach 100 * (1 - e^-1) = 63.212 children, half of
    # whom stop working: 31.606
    assert result.reached["child_labour"][0, 0] == pytest.approx(63.2121, abs=1e-4)
    assert result.added["children_working"][0, 0] == pytest.approx(31.6060, abs=1e-4)
    # year 2: the pool left is 36.788; 100 units reach 36.788 * (1 - e^(-100/36.788)) = 34.3603
    assert result.reached["child_labour"][0, 1] == pytest.approx(63.2121 + 34.3603, abs=1e-4)
    # year 3: no funding, no decay: the same children stay out
    assert result.added["children_working"][0, 2] == pytest.approx(
        result.added["children_working"][0, 1])
    assert result.scenario["children_working"][0, 0] == pytest.approx(100 - 31.606, abs=1e-3)


def test_ramp_up_and_decay_by_hand():
    baseline = Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=100)
    drawn = point_draws(child_labour__cost=100, child_labour__effect=1.0,
                        child_labour__ramp=0.5, child_labour__decay=0.2)
    result = model.project(only("child_labour", 10_000), baseline, drawn, horizon=2)
    # enrolled mid-year 1: by the year's end the effect reached 1 - e^(-0.5/0.5) = 0.6321
    assert result.added["children_working"][0, 0] == pytest.approx(63.2121 * 0.63212, abs=1e-3)
    # year 2: 20% relapse; the rest reach 1 - e^(-1.5/0.5) = 0.9502 of the effect
    assert result.added["children_working"][0, 1] == pytest.approx(
        63.2121 * 0.8 * (1 - math.exp(-3)), abs=1e-3)


def test_education_by_hand():
    baseline = Baseline(
        living_income_usd=LIVING_INCOME, sites=1, children_working=100, children_5_17=1000,
        children_in_school=800)
    drawn = point_draws(education__cost=50, education__effect=0.8,
                        education__work_effect=0.2)
    result = model.project(only("education", 5_000), baseline, drawn, horizon=1)
    # 100 units for the 200 children out of school reach 200 * (1 - e^-0.5) = 78.694
    assert result.reached["education"][0, 0] == pytest.approx(78.6939, abs=1e-4)
    assert result.added["children_in_school"][0, 0] == pytest.approx(0.8 * 78.6939, abs=1e-3)
    # 20% of them would have worked: 15.739 of the 100 working children stop
    assert result.added["children_working"][0, 0] == pytest.approx(0.2 * 78.6939, abs=1e-3)


def test_livelihoods_by_hand():
    edges, below = uniform_incomes(150, 250, 1000)
    baseline = Baseline(
        living_income_usd=LIVING_INCOME, sites=1, households=1000,
        households_above_living_income=570, income_usd=200 * 1000, income_edges=edges,
        income_below=below)
    drawn = point_draws(livelihoods__cost=20, livelihoods__effect=10.0)
    result = model.project(only("livelihoods", 2_000), baseline, drawn, horizon=1)
    enrolled = 1000 * (1 - math.exp(-0.1))  # 100 units, pool of 1,000: 95.163 households
    assert result.reached["livelihoods"][0, 0] == pytest.approx(enrolled, abs=1e-3)
    # incomes spread evenly over 150-250: 10% of households sit within USD 10 below 193
    assert result.added["households_above_living_income"][0, 0] == pytest.approx(
        enrolled * 0.10, abs=1e-3)
    assert result.added["mean_income_usd"][0, 0] == pytest.approx(enrolled * 10 / 1000)
    assert result.baseline["mean_income_usd"][0, 0] == pytest.approx(200)


def test_safety_by_hand():
    baseline = Baseline(
        living_income_usd=LIVING_INCOME, sites=1, active_pits=100, uncovered_pits=50, incidents=20)
    drawn = point_draws(safety__cost=1_000, safety__effect=0.5)
    result = model.project(only("safety", 10_000), baseline, drawn, horizon=2)
    safe = 50 * (1 - math.exp(-0.2))  # 10 pits' worth of money, 50 uncovered: 9.063
    # year 1: made safe during the year, on average half of it: 4.532 pit-years of 100 pits
    assert result.added["incidents"][0, 0] == pytest.approx(20 * safe / 2 / 100 * 0.5, abs=1e-4)
    # year 2: safe all year
    assert result.added["incidents"][0, 1] == pytest.approx(20 * safe / 100 * 0.5, abs=1e-4)


def test_formalisation_credits_and_their_reinvestment_by_hand():
    baseline = Baseline(
        living_income_usd=LIVING_INCOME, sites=5, cobalt_tonnes=100, fair_cobalt_tonnes=20,
        unformalised_sites=4, unformalised_tonnes=40)
    drawn = point_draws(formalisation__cost=50_000, formalisation__effect=0.5,
                        credits__uptake=0.2, credits__reinvested=0.5)
    result = model.project(only("formalisation", 100_000), baseline, drawn, horizon=2)
    sites = 4 * (1 - math.exp(-0.5))  # 2 sites' worth of money, 4 to formalise: 1.574
    fair = sites / 2 * 10 * 0.5       # half a year on average, 10 t a site, half of it fair
    assert result.added["fair_cobalt_tonnes"][0, 0] == pytest.approx(fair, abs=1e-4)
    assert result.added["credits_usd"][0, 0] == pytest.approx(fair * 0.2 * 5000, abs=1e-2)
    # half the credit revenue comes back as next year's budget, though funding stopped
    assert result.reinvested[0, 1] == pytest.approx(fair * 0.2 * 5000 * 0.5, abs=1e-2)
    assert result.spend["formalisation"][0, 1] == pytest.approx(result.reinvested[0, 1])


def test_overhead_is_taken_from_every_dollar():
    baseline = Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=1e9)
    drawn = point_draws(child_labour__cost=100, programme__overhead=0.1)
    result = model.project(only("child_labour", 10_000), baseline, drawn, horizon=1)
    assert result.reached["child_labour"][0, 0] == pytest.approx(90, rel=1e-6)
    assert result.spend["child_labour"][0, 0] == 10_000


def test_the_baseline_continues_the_trend():
    edges, below = uniform_incomes(100, 300, 1000)
    baseline = Baseline(
        living_income_usd=LIVING_INCOME, sites=1, children_working=100, households=1000,
        households_above_living_income=535, income_usd=200_000,
        cobalt_tonnes=100, fair_cobalt_tonnes=40, incidents=10,
        income_edges=edges, income_below=below)
    drawn = point_draws(baseline__children_trend=-0.1, baseline__fair_share_trend=0.05,
                        baseline__income_trend=0.1, credits__uptake=0.1)
    result = model.project(only("safety", 0), baseline, drawn, horizon=2)
    assert result.baseline["children_working"][0] == pytest.approx([90, 81])
    # a share of 40% rising 5 points a year, slowing near 100%: 1 - 0.6 exp(-0.05 t / 0.6)
    assert result.baseline["fair_cobalt_tonnes"][0] == pytest.approx([44.7974, 49.2111],
                                                                      abs=1e-4)
    assert result.baseline["credits_usd"][0] == pytest.approx(
        result.baseline["fair_cobalt_tonnes"][0] * 500)
    # incomes 10% higher: households once above 193 / 1.1 = 175.45 are now above 193
    assert result.baseline["households_above_living_income"][0, 0] == pytest.approx(
        535 + 1000 * (193 - 193 / 1.1) / 200, abs=1e-3)


@pytest.mark.parametrize("share, trend, expected", [
    (0.4, 0.05, [0.447974, 0.492111]),   # rising: 1 - 0.6 exp(-0.05 t / 0.6)
    (0.4, -0.05, [0.352999, 0.311520]),  # falling: 0.4 exp(-0.05 t / 0.4)
    (0.0, 0.1, [0.095163, 0.181269]),    # from nothing: 1 - exp(-0.1 t)
    (0.0, -0.1, [0.0, 0.0]),
    (1.0, 0.1, [1.0, 1.0]),
    (0.5, 0.0, [0.5, 0.5]),
])
def test_a_share_moves_at_its_trend_and_never_leaves_0_to_1(share, trend, expected):
    path = model.share_path(share, np.array([trend]), np.array([1, 2]))
    assert path[0] == pytest.approx(expected, abs=1e-6)


@given(st.floats(0, 1), st.floats(-1, 1), st.integers(1, 50))
def test_a_share_path_stays_a_share(share, trend, years):
    path = model.share_path(share, np.array([trend]), np.arange(1, years + 1))
    assert np.all((path >= 0) & (path <= 1))
    assert np.all(np.diff(path[0]) * np.sign(trend) >= -1e-12)  # it keeps its direction


# -- properties ---------------------------------------------------------------------------

PER_DRAW_MONOTONE = ("children_working", "children_in_school", "incidents",
                     "fair_cobalt_tonnes", "credits_usd")


@FAST
@given(scenarios, st.integers(1, model.MAX_HORIZON))
def test_zero_added_budget_gives_zero_added_impact(chosen, horizon):
    result = model.project(replace(chosen, budget_usd=0), demo_baseline(), DRAWN, horizon)
    for outcome in model.OUTCOMES:
        assert np.all(result.added[outcome.id] == 0), outcome.id
        assert np.array_equal(result.scenario[outcome.id], result.baseline[outcome.id])


@FAST
@given(scenarios, st.integers(0, model.MAX_BUDGET_USD))
def test_more_budget_never_gives_less_expected_impact(chosen, extra):
    more = replace(chosen, budget_usd=min(chosen.budget_usd + extra, model.MAX_BUDGET_USD))
    low, high = (model.project(s, demo_baseline(), DRAWN) for s in (chosen, more))
    for outcome in model.OUTCOMES:
        assert np.all(high.added[outcome.id].mean(axis=0)
                      >= low.added[outcome.id].mean(axis=0) - 1e-9), outcome.id
    for outcome in PER_DRAW_MONOTONE:  # effects that cannot be negative: draw by draw
        assert np.all(high.added[outcome] >= low.added[outcome] - 1e-9), outcome


@FAST
@given(scenarios)
def test_reach_never_exceeds_the_eligible_population(chosen):
    baseline = demo_baseline()
    result = model.project(replace(chosen, budget_usd=model.MAX_BUDGET_USD), baseline, DRAWN)
    for workstream, pool in baseline.eligible().items():
        assert np.all(result.reached[workstream] <= pool + 1e-9), workstream
    assert np.all(result.added["children_working"] <= result.baseline["children_working"] + 1e-9)
    assert np.all(result.scenario["households_above_living_income"] <= baseline.households + 1e-6)
    assert np.all(result.scenario["fair_cobalt_tonnes"] <= baseline.cobalt_tonnes + 1e-9)


def test_same_seed_same_result_whole_monte_carlo():
    chosen = Scenario(budget_usd=2_000_000)
    first = model.simulate(chosen, demo_baseline(), ASSUMPTIONS, draws=2_000, seed=3)
    again = model.simulate(chosen, demo_baseline(), ASSUMPTIONS, draws=2_000, seed=3)
    other = model.simulate(chosen, demo_baseline(), ASSUMPTIONS, draws=2_000, seed=4)
    pd.testing.assert_frame_equal(summaries.summary(first), summaries.summary(again))
    assert not summaries.summary(first).equals(summaries.summary(other))


def test_the_default_run_has_at_least_5000_draws_over_up_to_5_years():
    assert assumptions.DRAWS >= 5_000 and model.MAX_HORIZON == 5
    result = model.simulate(Scenario(), demo_baseline(), ASSUMPTIONS)
    assert result.added["children_working"].shape == (assumptions.DRAWS, 5)
    with pytest.raises(ValueError, match="horizon must be 1 to 5 years"):
        model.project(Scenario(), demo_baseline(), DRAWN, horizon=6)


def test_default_allocation_follows_the_funding_to_date():
    weights = model.default_allocation({"child_labour": 3, "education": 1, "livelihoods": 1,
                                        "safety": 1, "formalisation": 1, "management": 5})
    assert sum(weights) == 100 and weights[0] == 43
    assert model.default_allocation({}) == (20, 20, 20, 20, 20)
