"""Shared pieces of the scenario tests: the assumptions file, one-draw inputs, a demo-sized
baseline and a hypothesis strategy of scenarios."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from dashboard.scenario import assumptions, model
from dashboard.scenario.assumptions import WORKSTREAMS
from dashboard.scenario.baseline import LEVELS, Baseline, resolve
from dashboard.scenario.model import Scenario

REGISTRY = assumptions.load_registry()
LIVING_INCOME = 193.0  # the demo's reference value (dashboard/registry/reference_values.toml)
ASSUMPTIONS = REGISTRY.assumptions
BY_ID = REGISTRY.by_id()


def point_draws(**values: float) -> dict[str, np.ndarray]:
    """One draw: every assumption at a neutral value unless given (dots become __)."""
    neutral = {a.id: 0.0 for a in ASSUMPTIONS if a.role in ("trend", "overhead")}
    base = {**assumptions.medians(ASSUMPTIONS), **neutral,
            **{f"{w}.ramp": 1e-9 for w in WORKSTREAMS},
            **{f"{w}.decay": 0.0 for w in WORKSTREAMS}}
    base.update({key.replace("__", "."): value for key, value in values.items()})
    return {key: np.array([value], dtype=float) for key, value in base.items()}


def levels(**values: float) -> tuple:
    """One window of a baseline's history: the given LEVELS, the others unknown."""
    return tuple(values.get(name) for name in LEVELS)


def only(workstream: str, budget: int, years: int = 1) -> Scenario:
    return Scenario(budget_usd=budget, years=years, sites="programme",
                    allocation=tuple(100 if w == workstream else 0 for w in WORKSTREAMS))


def uniform_incomes(low: float, high: float, households: float) -> tuple[tuple, tuple]:
    """Income bands for households spread evenly between low and high USD per month."""
    edges = tuple(float(x) for x in np.arange(low, high + 1, 10))
    below = tuple(float(x) for x in np.linspace(0, 1, len(edges)))
    return edges, below


def demo_baseline() -> Baseline:
    edges, below = uniform_incomes(40, 600, 1000)
    return Baseline(living_income_usd=LIVING_INCOME,
        sites=16, workers=27_000, children_working=3_800, children_5_17=49_000,
        children_in_school=38_600, households=21_500, households_in_vsla=10_000,
        households_above_living_income=12_800, income_usd=5_500_000, active_pits=4_600,
        uncovered_pits=1_450, incidents=140, cobalt_tonnes=826, fair_cobalt_tonnes=327,
        credit_tonnes=49, unformalised_sites=10, unformalised_tonnes=400,
        income_edges=edges, income_below=below)


DRAWN = assumptions.sample(resolve(REGISTRY, demo_baseline()), draws=400)
scenarios = st.builds(
    Scenario,
    budget_usd=st.integers(0, model.MAX_BUDGET_USD),
    years=st.integers(1, model.MAX_HORIZON),
    sites=st.sampled_from(model.SITE_SCOPES),
    allocation=st.tuples(*[st.integers(0, 100)] * len(WORKSTREAMS)).filter(any),
)
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
