"""Cost per output: definitions computed by hand, overheads allocated pro rata, the observed
ranges the scenario page can start from."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.funding import costs

CONTRIBUTIONS = pd.DataFrame({
    "contributor": ["A", "B", "A", "A", "B"],
    "year": [2023, 2023, 2024, 2023, 2024],
    "workstream": ["safety", "safety", "safety", "education", "management"],
    "disbursed_usd": [600.0, 400.0, 2000.0, 1000.0, 400.0],
})
OUTPUTS = pd.DataFrame({
    "output": ["pits_made_safe", "pits_made_safe", "safety_captains_trained",
               "children_in_school", "credits_raised_usd"],
    "year": [2023, 2024, 2024, 2023, 2024],
    "value": [4.0, 4.0, 10.0, 0.0, 9_000.0],
})


def test_direct_and_full_cost_per_output():
    table = costs.cost_per_output(CONTRIBUTIONS, OUTPUTS).set_index("output")
    # overheads 400 over direct spending 4,000: 10 cents per dollar
    assert costs.overhead_rate(CONTRIBUTIONS) == pytest.approx(0.1)
    pits = table.loc["pits_made_safe"]
    assert pits["spending_usd"] == 3000.0 and pits["delivered"] == 8.0
    assert pits["direct_cost"] == pytest.approx(375.0)  # 3,000 / 8
    assert pits["overhead_usd"] == pytest.approx(300.0)
    assert pits["full_cost"] == pytest.approx(412.5)  # 3,300 / 8
    # each output carries its whole workstream's spending
    assert table.loc["safety_captains_trained", "direct_cost"] == pytest.approx(300.0)
    # nothing delivered: no cost; money raised is not costed at all
    assert pd.isna(table.loc["children_in_school", "direct_cost"])
    assert "credits_raised_usd" not in table.index


def test_no_direct_spending_means_no_overhead_rate():
    assert costs.overhead_rate(CONTRIBUTIONS[CONTRIBUTIONS["workstream"] == "management"]) is None


def test_yearly_costs_and_the_observed_ranges():
    yearly = costs.yearly_costs(CONTRIBUTIONS, OUTPUTS).set_index(["output", "year"])
    assert yearly.loc[("pits_made_safe", 2023), "direct_cost"] == pytest.approx(250.0)
    assert yearly.loc[("pits_made_safe", 2024), "direct_cost"] == pytest.approx(500.0)
    ranges = costs.observed_ranges(yearly.reset_index())
    assert ranges["safety.cost"] == costs.ObservedCost(250.0, 500.0, 2023, 2024,
                                                       "pits_made_safe")
    assert "education.cost" not in ranges  # nothing delivered, nothing observed


def test_a_single_year_gives_a_range_around_it():
    yearly = costs.yearly_costs(CONTRIBUTIONS, OUTPUTS[OUTPUTS["year"] == 2023])
    observed = costs.observed_ranges(yearly)["safety.cost"]
    assert (observed.low, observed.high) == pytest.approx((250 * 0.75, 250 * 1.25))
