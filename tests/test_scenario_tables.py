"""The scenario page's tables: each outcome written in its format, cost, comparison, settings,
eligible-population and assumption tables in English and French."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scenario_fixture import ASSUMPTIONS, DRAWN, demo_baseline

from dashboard.scenario import model, tables
from dashboard.scenario.assumptions import WORKSTREAMS
from dashboard.scenario.model import Scenario


@pytest.mark.parametrize("outcome, value, language, written", [
    ("children_working", 1234.4, "en", "1,234"),
    ("incidents", 3.25, "en", "3.2"),
    ("fair_cobalt_tonnes", 1234.56, "fr", "1\u202f234,6"),
    ("mean_income_usd", 4.5, "en", "USD 4.50"),
    ("credits_usd", 25_000, "fr", "25\u202f000\u00a0USD"),
    ("children_working", math.inf, "en", "–"),
    ("mean_income_usd", math.nan, "fr", "–"),
])
def test_each_outcome_is_written_in_its_own_format(outcome, value, language, written):
    assert tables.value_text(outcome, value, language) == written


def test_every_outcome_draws_with_the_decimals_it_is_written_with():
    for outcome in model.OUTCOMES:
        assert outcome.d3_format == f",.{outcome.decimals}f"
    assert model.OUTCOME["mean_income_usd"].d3_format == ",.2f"


def test_an_outcome_never_reached_costs_a_dash_not_infinity():
    costs = pd.DataFrame({"outcome": ["children_working", "incidents"],
                          "spent_usd": [10_000.0, 0.0], "p5": [200.0, math.inf],
                          "median": [316.4, math.inf], "p95": [500.0, math.inf],
                          "achieved": [1.0, 0.0]})
    table = tables.cost_table(costs, "en")
    assert list(table.columns) == ["Outcome", "Spent (median)", "Cost per outcome (median)",
                                   "90% interval", "Draws with any effect"]
    assert table.iloc[0].tolist() == ["USD per child out of child labour", "USD 10,000",
                                      "USD 316", "USD 200 – USD 500", "100%"]
    assert table.iloc[1, 2:].tolist() == ["–", "– – –", "0%"]


def test_the_comparison_has_a_row_per_outcome_and_a_column_per_scenario_in_order():
    compared = pd.concat([
        pd.DataFrame({"outcome": [o.id for o in model.OUTCOMES], "p5": 1.0, "median": 2.0,
                      "p95": 3.0, "scenario": label})
        for label in ("Current", "Saved A")], ignore_index=True)
    compared.loc[(compared["scenario"] == "Saved A")
                 & (compared["outcome"] == "credits_usd"), "median"] = 1500.0
    table = tables.comparison_table(compared, ["Saved A", "Current"], "fr", horizon=3)
    assert list(table.columns) == ["Saved A", "Current"]
    assert len(table) == len(model.OUTCOMES)
    assert table.index[0].endswith("3") and "enfants" in table.index[0].lower()
    assert table.iloc[-1].tolist() == ["1\u202f500\u00a0USD (1\u00a0USD – 3\u00a0USD)",
                                       "2\u00a0USD (1\u00a0USD – 3\u00a0USD)"]


def test_the_settings_table_says_what_each_compared_scenario_chose():
    chosen = Scenario(budget_usd=2_000_000, years=4, sites="all", allocation=(50, 50, 0, 0, 0),
                      overrides=(("safety.cost", 1000.0, 3000.0),))
    row = tables.settings_table([("B", chosen)], "en").iloc[0]
    assert row["Scenario"] == "B" and row["Added budget per year (USD)"] == "USD 2,000,000"
    assert row["Years of added funding"] == 4 and row["Sites covered"] == "All sites"
    assert row["Child labour remediation"] == "50%" and row["Edited assumptions"] == 1


def test_the_eligible_table_shows_today_and_the_mean_reached_at_the_horizon():
    baseline = demo_baseline()
    projection = model.project(Scenario(), baseline, DRAWN)
    table = tables.eligible_table(baseline, projection, "fr").set_index("Aujourd'hui")
    assert list(table.columns)[:2] == ["Axe de travail", "Population éligible"]
    assert table.index.tolist() == [baseline.eligible()[w] for w in WORKSTREAMS]
    reached = table["Atteints à l'horizon (moyenne)"].to_numpy()
    assert reached[0] == pytest.approx(projection.reached["child_labour"][:, -1].mean())
    assert np.all(reached <= table.index.to_numpy() + 1e-9)


def test_the_assumption_table_shows_edits_and_the_programmes_own_figures():
    edited = {"safety.cost": (1000.0, 3000.0)}
    recorded = {("safety", "pit"): 2_000.0}
    table = tables.assumption_table(ASSUMPTIONS, edited, recorded, 0.125, "en").set_index("id")
    assert table.loc["safety.cost", ["low", "high", "recorded"]].tolist() == [
        1000.0, 3000.0, "USD 2,000"]
    assert table.loc["programme.overhead", "recorded"] == "12.5%"
    assert table.loc["child_labour.cost", "source"] == "No published source: an assumption"
    assert table.loc["child_labour.effect", "url"].startswith("http")
    assert pd.isna(table.loc["child_labour.cost", "url"])
    french = tables.assumption_table(ASSUMPTIONS, {}, {}, None, "fr").set_index("id")
    assert french.loc["programme.overhead", "recorded"] == ""
    assert french.loc["child_labour.cost", "workstream"] != table.loc["child_labour.cost",
                                                                      "workstream"]
