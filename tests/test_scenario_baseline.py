"""The baseline read from the fixture database, the ranges it derives, the thresholds of the
assumptions file, the programme's recorded costs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scenario_fixture import ASSUMPTIONS, LIVING_INCOME, REGISTRY, levels

from dashboard import db
from dashboard.scenario import assumptions, model, summaries
from dashboard.scenario.baseline import (
    Baseline,
    baseline_from,
    committed_by_workstream,
    derived_ranges,
    overhead_share,
    recorded_cost_per_unit,
    resolve,
)
from dashboard.scenario.model import Scenario


def test_the_thresholds_come_from_the_file(tmp_path):
    path = tmp_path / "assumptions.toml"
    path.write_text(assumptions.ASSUMPTIONS_FILE.read_text().replace(
        "formalised_fair_share = 0.5", "formalised_fair_share = 0.9").replace(
        "trend_limit_points = 0.1", "trend_limit_points = 0.01"))
    registry = assumptions.load_registry(path)
    sites = pd.DataFrame({"cobalt_tonnes": [10.0, 10.0], "fair_cobalt_tonnes": [6.0, 9.5]})
    empty = pd.DataFrame(columns=["income_from_usd", "households"])
    assert baseline_from(sites, pd.DataFrame(columns=["years_before"]), empty,
                         LIVING_INCOME, registry).unformalised_sites == 1
    assert baseline_from(sites, pd.DataFrame(columns=["years_before"]), empty,
                         LIVING_INCOME, REGISTRY).unformalised_sites == 0
    history = ((1, levels(cobalt_tonnes=10.0, fair_cobalt_tonnes=1.0)),
               (0, levels(cobalt_tonnes=10.0, fair_cobalt_tonnes=5.0)))
    # the fair share rose 40 points in a year
    moving = Baseline(living_income_usd=LIVING_INCOME, history=history)
    assert derived_ranges(moving, registry)["baseline.fair_share_trend"] == (-0.04, 0.06)
    assert derived_ranges(moving, REGISTRY)["baseline.fair_share_trend"] == (0.05, 0.15)


# -- the baseline from the database -----------------------------------------------------------

@pytest.fixture
def fixture_baseline(use_db, small_db):
    use_db(small_db)
    params = dict(province=None, site_id=None, programme_status="programme",
                  end=dt.date(2022, 6, 30))
    frames = [db.run(name, **params) for name in ("scenario_sites", "scenario_trend",
                                                   "scenario_incomes")]
    living_income = db.run("reference_values").set_index("key").loc["living_income_usd", "value"]
    return frames, baseline_from(*frames, living_income, REGISTRY)


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
    ranges = derived_ranges(baseline, REGISTRY)
    low, high = ranges["baseline.children_trend"]
    assert high - low == pytest.approx(0.2)
    old = baseline.level(2, "children_working") or baseline.level(1, "children_working")
    years = 2 if baseline.level(2, "children_working") else 1
    expected = np.clip((baseline.children_working / old) ** (1 / years) - 1, -0.3, 0.3)
    assert (low + high) / 2 == pytest.approx(expected, abs=1e-3)
    resolved = {a.id: a for a in resolve(REGISTRY, baseline)}
    assert (resolved["baseline.children_trend"].low,
            resolved["baseline.children_trend"].high) == (low, high)


def test_measured_levels_end_today(fixture_baseline):
    _, baseline = fixture_baseline
    measured = summaries.measured(baseline)
    today = measured[measured["year"] == 0].set_index("outcome")["value"]
    assert today["children_working"] == pytest.approx(baseline.children_working)
    assert today["mean_income_usd"] == pytest.approx(baseline.income_usd / baseline.households)
    assert set(measured["year"]) <= {-2, -1, 0}


def test_no_site_gives_an_empty_baseline_and_no_impact(use_db, small_db):
    use_db(small_db)
    params = dict(province=None, site_id="FCA-0002", programme_status="comparison",
                  end=dt.date(2022, 6, 30))
    baseline = baseline_from(*(db.run(n, **params) for n in (
        "scenario_sites", "scenario_trend", "scenario_incomes")), LIVING_INCOME)
    assert baseline.sites == 0
    result = model.simulate(Scenario(budget_usd=5_000_000), baseline, ASSUMPTIONS, draws=100)
    assert all(np.all(result.added[o.id] == 0) for o in model.OUTCOMES)


def test_the_recorded_cost_per_unit_pools_activities_counted_in_the_same_unit():
    activities = pd.DataFrame({
        "workstream": ["safety", "safety", "livelihoods", "education"],
        "unit": ["pit", "pit", "member", "child"],
        "cost_usd": [1_800.0, 4_200.0, 400.0, 50.0],
        "units": [1, 2, 20, 0],
    })
    assert recorded_cost_per_unit(activities) == {("safety", "pit"): 2_000.0,
                                                   ("livelihoods", "member"): 20.0}


def test_the_overhead_share_is_managements_share_of_the_funding_committed():
    funding = pd.DataFrame({"year": [2024, 2024, 2025],
                            "workstream": ["management", "safety", "safety"],
                            "committed_usd": [100.0, 300.0, 600.0]})
    committed = committed_by_workstream(funding)
    assert committed.to_dict() == {"management": 100.0, "safety": 900.0}
    assert overhead_share(committed) == pytest.approx(0.1)
    assert overhead_share(committed.drop("management")) == 0.0
    assert overhead_share(committed_by_workstream(funding.iloc[:0])) is None


def test_observed_costs_replace_only_the_cost_assumptions_they_name():
    from dashboard.funding.costs import ObservedCost
    from dashboard.scenario.assumptions import load_registry
    from dashboard.scenario.baseline import with_observed_costs

    registry = load_registry()
    observed = {"safety.cost": ObservedCost(3000.0, 6500.0, 2021, 2025, "pits_made_safe"),
                "safety.effect": ObservedCost(1.0, 2.0, 2021, 2025, "pits_made_safe")}
    changed = with_observed_costs(registry, observed).by_id()
    before = registry.by_id()
    assert (changed["safety.cost"].low, changed["safety.cost"].high) == (3000.0, 6500.0)
    assert changed["safety.cost"].sourced and "2021-2025" in changed["safety.cost"].source
    assert "Pits made safe" in changed["safety.cost"].note_en
    assert "Puits sécurisés" in changed["safety.cost"].note_fr
    assert changed["safety.effect"] == before["safety.effect"]  # not a cost: left alone
    assert changed["education.cost"] == before["education.cost"]
