"""Summaries of a projection: cost per outcome, ordered percentiles, sensitivity, the measured
past, the export, and saved scenarios run again side by side."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from scenario_fixture import (
    ASSUMPTIONS,
    DRAWN,
    FAST,
    LIVING_INCOME,
    REGISTRY,
    demo_baseline,
    levels,
    only,
    point_draws,
    scenarios,
)

from dashboard.scenario import model, summaries
from dashboard.scenario.baseline import Baseline, resolve
from dashboard.scenario.model import Scenario


def test_cost_per_outcome_is_spending_over_outcome():
    baseline = Baseline(living_income_usd=LIVING_INCOME, sites=1, children_working=100)
    drawn = point_draws(child_labour__cost=100, child_labour__effect=0.5)
    result = model.project(only("child_labour", 10_000), baseline, drawn, horizon=1)
    costs = summaries.cost_per_outcome(result).set_index("outcome")
    assert costs.loc["children_working", "median"] == pytest.approx(10_000 / 31.606, rel=1e-4)
    assert costs.loc["incidents", "median"] == math.inf  # no safety money, nothing averted
    assert costs.loc["incidents", "achieved"] == 0


@FAST
@given(scenarios)
def test_percentiles_are_ordered(chosen):
    result = model.project(chosen, demo_baseline(), DRAWN)
    rows = summaries.summary(result)
    assert (rows["p5"] <= rows["median"] + 1e-9).all()
    assert (rows["median"] <= rows["p95"] + 1e-9).all()
    heads = summaries.headlines(result)
    assert (heads["p5"] <= heads["median"]).all() and (heads["median"] <= heads["p95"]).all()
    costs = summaries.cost_per_outcome(result)
    assert (costs["p5"] <= costs["median"]).all() and (costs["median"] <= costs["p95"]).all()


def test_tornado_ranks_assumptions_by_swing():
    swings = summaries.tornado(Scenario(budget_usd=1_000_000), demo_baseline(), ASSUMPTIONS)
    children = swings[swings["outcome"] == "children_working"]
    assert set(children["assumption"]) == {a.id for a in ASSUMPTIONS if a.uncertain}
    assert children["swing"].is_monotonic_decreasing
    cost = children.set_index("assumption").loc["child_labour.cost"]
    assert cost["at_low"] > cost["centre"] > cost["at_high"]  # cheaper cases, more children
    safety_cost = children.set_index("assumption").loc["safety.cost"]
    assert safety_cost["swing"] == 0  # pits do not move child labour


def test_measured_levels_are_read_from_the_baselines_history():
    history = ((2, levels(children_working=120.0, income_usd=900.0, households=10.0)),
               (0, levels(children_working=100.0, credit_usd=50.0)))
    baseline = Baseline(living_income_usd=LIVING_INCOME, history=history)
    measured = summaries.measured(baseline).set_index(["outcome", "year"])["value"]
    assert measured[("children_working", -2)] == 120 and measured[("children_working", 0)] == 100
    assert measured[("mean_income_usd", -2)] == 90  # income over households
    assert ("mean_income_usd", 0) not in measured  # no households counted that year
    assert measured[("credits_usd", 0)] == 50


def test_the_export_has_one_row_per_outcome_and_year_and_a_column_per_series():
    result = model.project(Scenario(budget_usd=1_000_000), demo_baseline(), DRAWN, horizon=2)
    rows = summaries.summary(result)
    yearly = summaries.yearly_table(rows)
    assert len(yearly) == len(model.OUTCOMES) * 3  # years 0, 1 and 2
    assert {"median_added", "p5_baseline", "p95_scenario"} <= set(yearly.columns)
    row = yearly.set_index(["outcome", "year"]).loc[("children_working", 2)]
    expected = rows[(rows["outcome"] == "children_working") & (rows["year"] == 2)
                    & (rows["series"] == "added")].iloc[0]
    assert row["median_added"] == pytest.approx(expected["median"])


def test_saved_scenarios_are_run_again_each_on_the_baseline_of_its_own_sites():
    small = replace(demo_baseline(), children_working=10.0)
    asked = []

    def baseline_for(sites: str) -> Baseline:
        asked.append(sites)
        return demo_baseline() if sites == "programme" else small

    entries = [("Now", Scenario()), ("Wider", Scenario(sites="all")),
               ("Bigger", Scenario(budget_usd=5_000_000))]
    compared = summaries.compare(entries, baseline_for, REGISTRY, draws=300)
    assert asked == ["programme", "all"]  # each choice of sites is loaded once
    assert list(dict.fromkeys(compared["scenario"])) == ["Now", "Wider", "Bigger"]
    children = compared[compared["outcome"] == "children_working"].set_index("scenario")
    # the same numbers as running each one alone: same draws, same baseline
    alone = summaries.headlines(model.simulate(
        Scenario(), demo_baseline(), resolve(REGISTRY, demo_baseline()), draws=300))
    assert children.at["Now", "median"] == pytest.approx(
        alone.set_index("outcome").at["children_working", "median"])
    assert children.at["Wider", "median"] < children.at["Now", "median"]  # 10 children left
    assert children.at["Bigger", "median"] > children.at["Now", "median"]
