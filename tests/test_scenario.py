"""The funding-scenario model: assumptions, distributions, hand-computed cases per workstream,
properties (hypothesis), the URL codec, and the baseline read from the fixture database."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import db
from dashboard.scenario import model as sc

REGISTRY = sc.load_registry()
LIVING_INCOME = 193.0  # the demo's reference value (dashboard/registry/reference_values.toml)
ASSUMPTIONS = REGISTRY.assumptions
BY_ID = REGISTRY.by_id()


def point_draws(**values: float) -> dict[str, np.ndarray]:
    """One draw: every assumption at a neutral value unless given (dots become __)."""
    neutral = {a.id: 0.0 for a in ASSUMPTIONS if a.role in ("trend", "overhead")}
    base = {**sc.medians(ASSUMPTIONS), **neutral,
            **{f"{w}.ramp": 1e-9 for w in sc.WORKSTREAMS},
            **{f"{w}.decay": 0.0 for w in sc.WORKSTREAMS}}
    base.update({key.replace("__", "."): value for key, value in values.items()})
    return {key: np.array([value], dtype=float) for key, value in base.items()}


def levels(**values: float) -> tuple:
    """One window of a baseline's history: the given LEVELS, the others unknown."""
    return tuple(values.get(name) for name in sc.LEVELS)


def only(workstream: str, budget: int, years: int = 1) -> sc.Scenario:
    return sc.Scenario(budget_usd=budget, years=years, sites="programme",
                       allocation=tuple(100 if w == workstream else 0 for w in sc.WORKSTREAMS))


def uniform_incomes(low: float, high: float, households: float) -> tuple[tuple, tuple]:
    """Income bands for households spread evenly between low and high USD per month."""
    edges = tuple(float(x) for x in np.arange(low, high + 1, 10))
    below = tuple(float(x) for x in np.linspace(0, 1, len(edges)))
    return edges, below


# -- the assumptions file -------------------------------------------------------------------

def test_every_assumption_has_both_languages_and_an_honest_source():
    for a in ASSUMPTIONS:
        assert a.name_en and a.name_fr and a.note_en and a.note_fr and a.unit_en and a.unit_fr
        assert sc.range_rule(a, a.low, a.high) is None, a.id
        if a.sourced:
            assert a.source and a.url.startswith("http"), a.id
        else:
            assert a.source == "" and a.url == "", a.id


def test_the_research_figures_are_used():
    assert BY_ID["credits.price"].low == BY_ID["credits.price"].high == 5000
    assert BY_ID["child_labour.effect"].high == 0.5  # ICI: "by up to 50%"
    assert BY_ID["livelihoods.cost"].low == 20  # Saving for Change: USD 20 per household
    assert not BY_ID["child_labour.cost"].sourced  # no CLMRS cost per child was found


@pytest.mark.parametrize("old, new, message", [
    ('distribution = "lognormal"', 'distribution = "gamma"', "distribution 'gamma' is not one of"),
    ("high = 1500.0", "high = 15.0", "breaks the rule 'low must not be above high'"),
    ('source = ""\n', "", "missing field(s) source"),
    ("low = 150.0", 'low = "cheap"', "low = 'cheap' is not a number"),
    ('sourced = false\nsource = ""', 'sourced = false\nsource = "A study"',
     "sourced = false but the source is given"),
])
def test_a_broken_assumptions_file_names_the_entry_field_and_rule(tmp_path, old, new, message):
    path = tmp_path / "assumptions.toml"
    path.write_text(sc.ASSUMPTIONS_FILE.read_text().replace(old, new, 1))
    with pytest.raises(sc.AssumptionError, match=r"assumption 1 \(child_labour.cost\)") as error:
        sc.load_registry(path)
    assert message in str(error.value)


def test_the_thresholds_come_from_the_file(tmp_path):
    path = tmp_path / "assumptions.toml"
    path.write_text(sc.ASSUMPTIONS_FILE.read_text().replace(
        "formalised_fair_share = 0.5", "formalised_fair_share = 0.9").replace(
        "trend_limit_points = 0.1", "trend_limit_points = 0.01"))
    registry = sc.load_registry(path)
    sites = pd.DataFrame({"cobalt_tonnes": [10.0, 10.0], "fair_cobalt_tonnes": [6.0, 9.5]})
    empty = pd.DataFrame(columns=["income_from_usd", "households"])
    assert sc.baseline_from(sites, pd.DataFrame(columns=["years_before"]), empty,
                            LIVING_INCOME, registry).unformalised_sites == 1
    assert sc.baseline_from(sites, pd.DataFrame(columns=["years_before"]), empty,
                            LIVING_INCOME, REGISTRY).unformalised_sites == 0
    history = ((1, levels(cobalt_tonnes=10.0, fair_cobalt_tonnes=1.0)),
               (0, levels(cobalt_tonnes=10.0, fair_cobalt_tonnes=5.0)))
    # the fair share rose 40 points in a year
    moving = sc.Baseline(living_income_usd=LIVING_INCOME, history=history)
    assert sc.derived_ranges(moving, registry)["baseline.fair_share_trend"] == (-0.04, 0.06)
    assert sc.derived_ranges(moving, REGISTRY)["baseline.fair_share_trend"] == (0.05, 0.15)


def test_the_model_refuses_a_file_without_an_assumption_it_needs(tmp_path):
    text = sc.ASSUMPTIONS_FILE.read_text()
    start = text.index('[[assumption]]\nid = "safety.effect"')
    end = text.index("[[assumption]]", start + 10)
    path = tmp_path / "assumptions.toml"
    path.write_text(text[:start] + text[end:])
    with pytest.raises(sc.AssumptionError, match="the model needs safety.effect"):
        sc.load_registry(path)


# -- distributions ----------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["child_labour.cost", "child_labour.effect",
                                 "livelihoods.effect", "education.decay"])
def test_low_and_high_are_the_5th_and_95th_percentiles(key):
    a = BY_ID[key]
    assert sc.quantile(a, [0.05, 0.95]) == pytest.approx([a.low, a.high], rel=1e-6)
    drawn = sc.sample([a])[key]
    assert len(drawn) == sc.DRAWS
    assert np.percentile(drawn, [5, 95]) == pytest.approx([a.low, a.high], rel=0.05)


def test_lognormal_median_is_the_geometric_mean_and_normal_median_the_midpoint():
    cost, gain = BY_ID["child_labour.cost"], BY_ID["livelihoods.effect"]
    assert sc.quantile(cost, 0.5) == pytest.approx(math.sqrt(150 * 1500))
    assert sc.quantile(gain, 0.5) == pytest.approx((2 + 16) / 2)


def test_same_seed_same_draws_and_another_seed_other_draws():
    first, again = sc.sample(ASSUMPTIONS, 500, seed=7), sc.sample(ASSUMPTIONS, 500, seed=7)
    other = sc.sample(ASSUMPTIONS, 500, seed=8)
    assert all(np.array_equal(first[k], again[k]) for k in first)
    assert not np.array_equal(first["child_labour.cost"], other["child_labour.cost"])


def test_editing_one_range_leaves_the_other_draws_alone():
    edited = [a.with_range(300, 900) if a.id == "child_labour.cost" else a for a in ASSUMPTIONS]
    before, after = sc.sample(ASSUMPTIONS, 500), sc.sample(edited, 500)
    assert np.array_equal(before["safety.cost"], after["safety.cost"])
    # the edited one keeps each draw's rank
    assert np.array_equal(np.argsort(before["child_labour.cost"]),
                          np.argsort(after["child_labour.cost"]))


@pytest.mark.parametrize("key, low, high, rule", [
    ("child_labour.cost", 0, 100, "not_positive"),
    ("child_labour.cost", 900, 300, "low_above_high"),
    ("child_labour.effect", 0.2, 1.5, "not_a_share"),
    ("child_labour.effect", 0, 0.5, "not_a_share"),
    ("credits.price", 4000, 6000, "not_fixed"),
    ("livelihoods.effect", -5e9, 1, "out_of_bounds"),
    ("livelihoods.effect", float("nan"), 1, "out_of_bounds"),
    ("child_labour.effect", 0, 0, None),       # a point value: no credit for relapse
    ("credits.reinvested", 1, 1, None),
    ("livelihoods.effect", -3, 3, None),        # a gain may be negative
])
def test_range_rules(key, low, high, rule):
    assert sc.range_rule(BY_ID[key], low, high) == rule


# -- hand-computed cases, one per workstream ------------------------------------------------

def test_child_labour_case_management_by_hand():
    baseline = sc.Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=100)
    drawn = point_draws(child_labour__cost=100, child_labour__effect=0.5)
    result = sc.project(only("child_labour", 10_000, years=2), baseline, drawn, horizon=3)
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
    baseline = sc.Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=100)
    drawn = point_draws(child_labour__cost=100, child_labour__effect=1.0,
                        child_labour__ramp=0.5, child_labour__decay=0.2)
    result = sc.project(only("child_labour", 10_000), baseline, drawn, horizon=2)
    # enrolled mid-year 1: by the year's end the effect reached 1 - e^(-0.5/0.5) = 0.6321
    assert result.added["children_working"][0, 0] == pytest.approx(63.2121 * 0.63212, abs=1e-3)
    # year 2: 20% relapse; the rest reach 1 - e^(-1.5/0.5) = 0.9502 of the effect
    assert result.added["children_working"][0, 1] == pytest.approx(
        63.2121 * 0.8 * (1 - math.exp(-3)), abs=1e-3)


def test_education_by_hand():
    baseline = sc.Baseline(
        living_income_usd=LIVING_INCOME, sites=1, children_working=100, children_5_17=1000,
        children_in_school=800)
    drawn = point_draws(education__cost=50, education__effect=0.8,
                        education__work_effect=0.2)
    result = sc.project(only("education", 5_000), baseline, drawn, horizon=1)
    # 100 units for the 200 children out of school reach 200 * (1 - e^-0.5) = 78.694
    assert result.reached["education"][0, 0] == pytest.approx(78.6939, abs=1e-4)
    assert result.added["children_in_school"][0, 0] == pytest.approx(0.8 * 78.6939, abs=1e-3)
    # 20% of them would have worked: 15.739 of the 100 working children stop
    assert result.added["children_working"][0, 0] == pytest.approx(0.2 * 78.6939, abs=1e-3)


def test_livelihoods_by_hand():
    edges, below = uniform_incomes(150, 250, 1000)
    baseline = sc.Baseline(
        living_income_usd=LIVING_INCOME, sites=1, households=1000,
        households_above_living_income=570, income_usd=200 * 1000, income_edges=edges,
        income_below=below)
    drawn = point_draws(livelihoods__cost=20, livelihoods__effect=10.0)
    result = sc.project(only("livelihoods", 2_000), baseline, drawn, horizon=1)
    enrolled = 1000 * (1 - math.exp(-0.1))  # 100 units, pool of 1,000: 95.163 households
    assert result.reached["livelihoods"][0, 0] == pytest.approx(enrolled, abs=1e-3)
    # incomes spread evenly over 150-250: 10% of households sit within USD 10 below 193
    assert result.added["households_above_living_income"][0, 0] == pytest.approx(
        enrolled * 0.10, abs=1e-3)
    assert result.added["mean_income_usd"][0, 0] == pytest.approx(enrolled * 10 / 1000)
    assert result.baseline["mean_income_usd"][0, 0] == pytest.approx(200)


def test_safety_by_hand():
    baseline = sc.Baseline(
        living_income_usd=LIVING_INCOME, sites=1, active_pits=100, uncovered_pits=50, incidents=20)
    drawn = point_draws(safety__cost=1_000, safety__effect=0.5)
    result = sc.project(only("safety", 10_000), baseline, drawn, horizon=2)
    safe = 50 * (1 - math.exp(-0.2))  # 10 pits' worth of money, 50 uncovered: 9.063
    # year 1: made safe during the year, on average half of it: 4.532 pit-years of 100 pits
    assert result.added["incidents"][0, 0] == pytest.approx(20 * safe / 2 / 100 * 0.5, abs=1e-4)
    # year 2: safe all year
    assert result.added["incidents"][0, 1] == pytest.approx(20 * safe / 100 * 0.5, abs=1e-4)


def test_formalisation_credits_and_their_reinvestment_by_hand():
    baseline = sc.Baseline(
        living_income_usd=LIVING_INCOME, sites=5, cobalt_tonnes=100, fair_cobalt_tonnes=20,
        unformalised_sites=4, unformalised_tonnes=40)
    drawn = point_draws(formalisation__cost=50_000, formalisation__effect=0.5,
                        credits__uptake=0.2, credits__reinvested=0.5)
    result = sc.project(only("formalisation", 100_000), baseline, drawn, horizon=2)
    sites = 4 * (1 - math.exp(-0.5))  # 2 sites' worth of money, 4 to formalise: 1.574
    fair = sites / 2 * 10 * 0.5       # half a year on average, 10 t a site, half of it fair
    assert result.added["fair_cobalt_tonnes"][0, 0] == pytest.approx(fair, abs=1e-4)
    assert result.added["credits_usd"][0, 0] == pytest.approx(fair * 0.2 * 5000, abs=1e-2)
    # half the credit revenue comes back as next year's budget, though funding stopped
    assert result.reinvested[0, 1] == pytest.approx(fair * 0.2 * 5000 * 0.5, abs=1e-2)
    assert result.spend["formalisation"][0, 1] == pytest.approx(result.reinvested[0, 1])


def test_overhead_is_taken_from_every_dollar():
    baseline = sc.Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=1e9)
    drawn = point_draws(child_labour__cost=100, programme__overhead=0.1)
    result = sc.project(only("child_labour", 10_000), baseline, drawn, horizon=1)
    assert result.reached["child_labour"][0, 0] == pytest.approx(90, rel=1e-6)
    assert result.spend["child_labour"][0, 0] == 10_000


def test_the_baseline_continues_the_trend():
    edges, below = uniform_incomes(100, 300, 1000)
    baseline = sc.Baseline(
        living_income_usd=LIVING_INCOME, sites=1, children_working=100, households=1000,
        households_above_living_income=535, income_usd=200_000,
        cobalt_tonnes=100, fair_cobalt_tonnes=40, incidents=10,
        income_edges=edges, income_below=below)
    drawn = point_draws(baseline__children_trend=-0.1, baseline__fair_share_trend=0.05,
                        baseline__income_trend=0.1, credits__uptake=0.1)
    result = sc.project(only("safety", 0), baseline, drawn, horizon=2)
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
    path = sc.share_path(share, np.array([trend]), np.array([1, 2]))
    assert path[0] == pytest.approx(expected, abs=1e-6)


@given(st.floats(0, 1), st.floats(-1, 1), st.integers(1, 50))
def test_a_share_path_stays_a_share(share, trend, years):
    path = sc.share_path(share, np.array([trend]), np.arange(1, years + 1))
    assert np.all((path >= 0) & (path <= 1))
    assert np.all(np.diff(path[0]) * np.sign(trend) >= -1e-12)  # it keeps its direction


def test_cost_per_outcome_is_spending_over_outcome():
    baseline = sc.Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=100)
    drawn = point_draws(child_labour__cost=100, child_labour__effect=0.5)
    result = sc.project(only("child_labour", 10_000), baseline, drawn, horizon=1)
    costs = sc.cost_per_outcome(result).set_index("outcome")
    assert costs.loc["children_working", "median"] == pytest.approx(10_000 / 31.606, rel=1e-4)
    assert costs.loc["incidents", "median"] == math.inf  # no safety money, nothing averted
    assert costs.loc["incidents", "achieved"] == 0


# -- properties ---------------------------------------------------------------------------

def demo_baseline() -> sc.Baseline:
    edges, below = uniform_incomes(40, 600, 1000)
    return sc.Baseline(living_income_usd=LIVING_INCOME,
        sites=16, workers=27_000, children_working=3_800, children_5_17=49_000,
        children_in_school=38_600, households=21_500, households_in_vsla=10_000,
        households_above_living_income=12_800, income_usd=5_500_000, active_pits=4_600,
        uncovered_pits=1_450, incidents=140, cobalt_tonnes=826, fair_cobalt_tonnes=327,
        credit_tonnes=49, unformalised_sites=10, unformalised_tonnes=400,
        income_edges=edges, income_below=below)


DRAWN = sc.sample(sc.resolve(REGISTRY, demo_baseline()), draws=400)
scenarios = st.builds(
    sc.Scenario,
    budget_usd=st.integers(0, sc.MAX_BUDGET_USD),
    years=st.integers(1, sc.MAX_HORIZON),
    sites=st.sampled_from(sc.SITE_SCOPES),
    allocation=st.tuples(*[st.integers(0, 100)] * len(sc.WORKSTREAMS)).filter(any),
)
PER_DRAW_MONOTONE = ("children_working", "children_in_school", "incidents",
                     "fair_cobalt_tonnes", "credits_usd")
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenarios, st.integers(1, sc.MAX_HORIZON))
def test_zero_added_budget_gives_zero_added_impact(chosen, horizon):
    result = sc.project(replace(chosen, budget_usd=0), demo_baseline(), DRAWN, horizon)
    for outcome in sc.OUTCOMES:
        assert np.all(result.added[outcome.id] == 0), outcome.id
        assert np.array_equal(result.scenario[outcome.id], result.baseline[outcome.id])


@FAST
@given(scenarios, st.integers(0, sc.MAX_BUDGET_USD))
def test_more_budget_never_gives_less_expected_impact(chosen, extra):
    more = replace(chosen, budget_usd=min(chosen.budget_usd + extra, sc.MAX_BUDGET_USD))
    low, high = (sc.project(s, demo_baseline(), DRAWN) for s in (chosen, more))
    for outcome in sc.OUTCOMES:
        assert np.all(high.added[outcome.id].mean(axis=0)
                      >= low.added[outcome.id].mean(axis=0) - 1e-9), outcome.id
    for outcome in PER_DRAW_MONOTONE:  # effects that cannot be negative: draw by draw
        assert np.all(high.added[outcome] >= low.added[outcome] - 1e-9), outcome


@FAST
@given(scenarios)
def test_reach_never_exceeds_the_eligible_population(chosen):
    baseline = demo_baseline()
    result = sc.project(replace(chosen, budget_usd=sc.MAX_BUDGET_USD), baseline, DRAWN)
    for workstream, pool in baseline.eligible().items():
        assert np.all(result.reached[workstream] <= pool + 1e-9), workstream
    assert np.all(result.added["children_working"] <= result.baseline["children_working"] + 1e-9)
    assert np.all(result.scenario["households_above_living_income"] <= baseline.households + 1e-6)
    assert np.all(result.scenario["fair_cobalt_tonnes"] <= baseline.cobalt_tonnes + 1e-9)


@FAST
@given(scenarios)
def test_percentiles_are_ordered(chosen):
    result = sc.project(chosen, demo_baseline(), DRAWN)
    rows = sc.summary(result)
    assert (rows["p5"] <= rows["median"] + 1e-9).all()
    assert (rows["median"] <= rows["p95"] + 1e-9).all()
    heads = sc.headlines(result)
    assert (heads["p5"] <= heads["median"]).all() and (heads["median"] <= heads["p95"]).all()
    costs = sc.cost_per_outcome(result)
    assert (costs["p5"] <= costs["median"]).all() and (costs["median"] <= costs["p95"]).all()


def test_same_seed_same_result_whole_monte_carlo():
    chosen = sc.Scenario(budget_usd=2_000_000)
    first = sc.simulate(chosen, demo_baseline(), ASSUMPTIONS, draws=2_000, seed=3)
    again = sc.simulate(chosen, demo_baseline(), ASSUMPTIONS, draws=2_000, seed=3)
    other = sc.simulate(chosen, demo_baseline(), ASSUMPTIONS, draws=2_000, seed=4)
    pd.testing.assert_frame_equal(sc.summary(first), sc.summary(again))
    assert not sc.summary(first).equals(sc.summary(other))


def test_the_default_run_has_at_least_5000_draws_over_up_to_5_years():
    assert sc.DRAWS >= 5_000 and sc.MAX_HORIZON == 5
    result = sc.simulate(sc.Scenario(), demo_baseline(), ASSUMPTIONS)
    assert result.added["children_working"].shape == (sc.DRAWS, 5)
    with pytest.raises(ValueError, match="horizon must be 1 to 5 years"):
        sc.project(sc.Scenario(), demo_baseline(), DRAWN, horizon=6)


def test_tornado_ranks_assumptions_by_swing():
    swings = sc.tornado(sc.Scenario(budget_usd=1_000_000), demo_baseline(), ASSUMPTIONS)
    children = swings[swings["outcome"] == "children_working"]
    assert set(children["assumption"]) == {a.id for a in ASSUMPTIONS if a.uncertain}
    assert children["swing"].is_monotonic_decreasing
    cost = children.set_index("assumption").loc["child_labour.cost"]
    assert cost["at_low"] > cost["centre"] > cost["at_high"]  # cheaper cases, more children
    safety_cost = children.set_index("assumption").loc["safety.cost"]
    assert safety_cost["swing"] == 0  # pits do not move child labour


# -- the URL ----------------------------------------------------------------------------------

def ranges_for(assumption: sc.Assumption):
    if assumption.distribution == "fixed":
        return st.floats(0, 1e6).map(lambda v: (v, v))
    if assumption.distribution == "beta":
        pair = st.tuples(st.floats(0.01, 0.98), st.floats(0.005, 0.5))
        return pair.map(lambda p: (p[0], min(p[0] + p[1], 0.99)))
    low = st.floats(0.01, 1e6) if assumption.distribution == "lognormal" else st.floats(-1e6, 1e6)
    return st.tuples(low, st.floats(0, 1e6)).map(lambda p: (p[0], p[0] + p[1]))


def valid_ranges_for(assumption: sc.Assumption):
    return ranges_for(assumption).filter(lambda r: sc.range_rule(assumption, *r) is None)


overrides = st.lists(st.sampled_from(ASSUMPTIONS), unique_by=lambda a: a.id, max_size=4).flatmap(
    lambda chosen: st.tuples(*[valid_ranges_for(a).map(lambda r, a=a: (a.id, *r)) for a in chosen]))


@settings(max_examples=200, deadline=None)
@given(scenarios, overrides, scenarios)
def test_a_scenario_survives_a_round_trip_through_its_url(chosen, edits, default):
    chosen = replace(chosen, overrides=tuple(sorted(edits)))
    query = sc.to_query(chosen)
    assert all(isinstance(v, str) for v in query.values())
    assert sc.from_query(query, default, ASSUMPTIONS) == (chosen, ())


@pytest.mark.parametrize("parameter, value, rule", [
    ("budget", "-5", "negative"),
    ("budget", "1e12", "too_large"),
    ("budget", "10000001", "too_large"),
    ("budget", "lots", "not_a_number"),
    ("budget", "nan", "not_a_number"),
    ("budget", "inf", "not_a_number"),
    ("budget", "1500.5", "not_whole"),
    ("budget", "", "not_a_number"),
    ("years", "0", "too_small"),
    ("years", "9", "too_large"),
    ("sites", "moon", "unknown_option"),
    ("alloc_mining", "10", "unknown_workstream"),
    ("alloc_safety", "250", "too_large"),
    ("a_nope", "1~2", "unknown_assumption"),
    ("a_child_labour.cost", "500", "not_a_range"),
    ("a_child_labour.cost", "a~b", "not_a_range"),
    ("a_child_labour.cost", "900~300", "low_above_high"),
    ("a_child_labour.effect", "0.2~1.5", "not_a_share"),
])
def test_invalid_url_values_are_reported_and_replaced_by_the_default(parameter, value, rule):
    default = sc.Scenario(budget_usd=123_000)
    chosen, problems = sc.from_query({parameter: value, "province": "Lualaba"}, default,
                                     ASSUMPTIONS)
    assert [(p.parameter, p.value, p.rule) for p in problems] == [(parameter, value, rule)]
    assert chosen == default


def test_an_allocation_of_zeros_is_refused():
    zeros = {f"alloc_{w}": "0" for w in sc.WORKSTREAMS}
    chosen, problems = sc.from_query(zeros, sc.Scenario(), ASSUMPTIONS)
    assert [p.rule for p in problems] == ["allocation_zero"]
    assert chosen.allocation == sc.Scenario().allocation


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["budget", "years", "sites", "alloc_safety",
                                        "alloc_x", "a_child_labour.cost", "a_credits.price",
                                        "lang"]), st.text(max_size=12)))
def test_any_url_gives_a_valid_scenario_never_an_exception(params):
    chosen, problems = sc.from_query(params, sc.Scenario(), ASSUMPTIONS)
    assert 0 <= chosen.budget_usd <= sc.MAX_BUDGET_USD and 1 <= chosen.years <= 5
    assert chosen.sites in sc.SITE_SCOPES and sum(chosen.allocation) > 0
    assert all(sc.range_rule(BY_ID[k], lo, hi) is None for k, lo, hi in chosen.overrides)
    assert {p.parameter for p in problems} <= set(params) | {"alloc"}


def test_url_numbers_are_short():
    chosen = sc.Scenario(overrides=(("child_labour.cost", 300.0, 900.0),
                                    ("livelihoods.effect", -0.5, 2.25)))
    query = sc.to_query(chosen)
    assert query["a_child_labour.cost"] == "300~900"
    assert query["a_livelihoods.effect"] == "-0.5~2.25"


def test_default_allocation_follows_the_funding_to_date():
    weights = sc.default_allocation({"child_labour": 3, "education": 1, "livelihoods": 1,
                                     "safety": 1, "formalisation": 1, "management": 5})
    assert sum(weights) == 100 and weights[0] == 43
    assert sc.default_allocation({}) == (20, 20, 20, 20, 20)


def test_edits_in_the_assumptions_table_become_checked_overrides():
    edits = [("child_labour.cost", 150, 1500),        # unchanged: no override
             ("safety.cost", 1000, 3000),             # edited
             ("child_labour.effect", 0.2, 1.5),       # broken: not a share
             ("credits.uptake", float("nan"), 0.3)]   # a cleared cell
    previous = (("child_labour.effect", 0.3, 0.4),)
    overrides, problems = sc.edited_overrides(edits, ASSUMPTIONS, previous)
    assert overrides == (("child_labour.effect", 0.3, 0.4), ("safety.cost", 1000.0, 3000.0))
    assert [(key, rule) for key, _, _, rule in problems] == [
        ("child_labour.effect", "not_a_share"), ("credits.uptake", "not_a_number")]


# -- the baseline from the database -----------------------------------------------------------

@pytest.fixture
def fixture_baseline(use_db, small_db):
    use_db(small_db)
    params = dict(province=None, site_id=None, programme_status="programme",
                  end=dt.date(2022, 6, 30))
    frames = [db.run(name, **params) for name in ("scenario_sites", "scenario_trend",
                                                   "scenario_incomes")]
    living_income = db.run("reference_values").set_index("key").loc["living_income_usd", "value"]
    return frames, sc.baseline_from(*frames, living_income, REGISTRY)


def test_the_baseline_adds_up_the_sites_and_matches_the_trend_window(fixture_baseline):
    (sites, trend, incomes), baseline = fixture_baseline
    assert baseline.sites == len(sites) > 0
    today = trend[trend["years_before"] == 0].iloc[0]
    for name in ("children_working", "children_5_17", "households", "incidents",
                 "cobalt_tonnes", "fair_cobalt_tonnes"):
        assert getattr(baseline, name) == pytest.approx(today[name]), name
    assert baseline.households == pytest.approx(incomes["households"].sum())
    # the share below the living income read from the bands matches the survey's own count
    below = baseline.share_below(np.array([baseline.living_income_usd]))[0]
    assert below == pytest.approx(1 - baseline.households_above_living_income
                                  / baseline.households, abs=0.03)
    assert 0 < baseline.unformalised_sites <= baseline.sites


def test_derived_ranges_come_from_the_data(fixture_baseline):
    _, baseline = fixture_baseline
    ranges = sc.derived_ranges(baseline, REGISTRY)
    low, high = ranges["baseline.children_trend"]
    assert high - low == pytest.approx(0.2)
    old = baseline.level(2, "children_working") or baseline.level(1, "children_working")
    years = 2 if baseline.level(2, "children_working") else 1
    expected = np.clip((baseline.children_working / old) ** (1 / years) - 1, -0.3, 0.3)
    assert (low + high) / 2 == pytest.approx(expected, abs=1e-3)
    resolved = {a.id: a for a in sc.resolve(REGISTRY, baseline)}
    assert (resolved["baseline.children_trend"].low,
            resolved["baseline.children_trend"].high) == (low, high)


def test_measured_levels_end_today(fixture_baseline):
    _, baseline = fixture_baseline
    measured = sc.measured(baseline)
    today = measured[measured["year"] == 0].set_index("outcome")["value"]
    assert today["children_working"] == pytest.approx(baseline.children_working)
    assert today["mean_income_usd"] == pytest.approx(baseline.income_usd / baseline.households)
    assert set(measured["year"]) <= {-2, -1, 0}


def test_no_site_gives_an_empty_baseline_and_no_impact(use_db, small_db):
    use_db(small_db)
    params = dict(province=None, site_id="FCA-0002", programme_status="comparison",
                  end=dt.date(2022, 6, 30))
    baseline = sc.baseline_from(*(db.run(n, **params) for n in (
        "scenario_sites", "scenario_trend", "scenario_incomes")), LIVING_INCOME)
    assert baseline.sites == 0
    result = sc.simulate(sc.Scenario(budget_usd=5_000_000), baseline, ASSUMPTIONS, draws=100)
    assert all(np.all(result.added[o.id] == 0) for o in sc.OUTCOMES)


def test_the_recorded_cost_per_unit_pools_activities_counted_in_the_same_unit():
    activities = pd.DataFrame({
        "workstream": ["safety", "safety", "livelihoods", "education"],
        "unit": ["pit", "pit", "member", "child"],
        "cost_usd": [1_800.0, 4_200.0, 400.0, 50.0],
        "units": [1, 2, 20, 0],
    })
    assert sc.recorded_cost_per_unit(activities) == {("safety", "pit"): 2_000.0,
                                                      ("livelihoods", "member"): 20.0}
