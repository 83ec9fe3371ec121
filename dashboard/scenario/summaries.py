"""What the page shows of a projection (pure): percentiles, headlines, cost per outcome,
sensitivity, the measured past, saved scenarios side by side, and the CSV export.

Intervals are the 5th to 95th percentiles over the Monte Carlo draws. Every function takes
model results (``Projection``, ``Baseline``) and returns a tidy frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from dashboard.scenario.assumptions import DRAWS, SEED, Assumption, Registry, medians
from dashboard.scenario.baseline import Baseline, resolve
from dashboard.scenario.model import (
    MAX_HORIZON,
    OUTCOMES,
    Projection,
    Scenario,
    project,
    simulate,
)

PERCENTILES = (5, 50, 95)


def _percentiles(values: np.ndarray, method: str = "linear") -> tuple[float, float, float]:
    p5, p50, p95 = np.percentile(values, PERCENTILES, axis=0, method=method)
    return p5, p50, p95


def summary(projection: Projection) -> pd.DataFrame:
    """One row per outcome, year (0 = today) and series (baseline, scenario, added) with the
    5th, 50th and 95th percentiles and the mean over draws."""
    rows = []
    for outcome in OUTCOMES:
        start = projection.start.get(outcome.id, 0.0)
        for series in ("baseline", "scenario", "added"):
            rows.append({"outcome": outcome.id, "series": series, "year": 0,
                         "p5": start if series != "added" else 0.0,
                         "median": start if series != "added" else 0.0,
                         "p95": start if series != "added" else 0.0,
                         "mean": start if series != "added" else 0.0})
            values = getattr(projection, series)[outcome.id]
            p5, p50, p95 = _percentiles(values)
            means = values.mean(axis=0)
            for year in range(projection.horizon):
                rows.append({"outcome": outcome.id, "series": series, "year": year + 1,
                             "p5": p5[year], "median": p50[year], "p95": p95[year],
                             "mean": means[year]})
    return pd.DataFrame(rows)


def headlines(projection: Projection) -> pd.DataFrame:
    """Per outcome: the added impact at the horizon (stocks) or summed over it (flows)."""
    rows = []
    for outcome in OUTCOMES:
        values = projection.headline(outcome.id)
        p5, p50, p95 = _percentiles(values)
        rows.append({"outcome": outcome.id, "kind": outcome.kind, "p5": p5, "median": p50,
                     "p95": p95, "mean": float(values.mean())})
    return pd.DataFrame(rows)


def cost_per_outcome(projection: Projection) -> pd.DataFrame:
    """USD spent by the workstreams that buy each outcome (management and reinvested credits
    included) per unit of added outcome, per draw. A draw with no added outcome costs
    infinitely much per unit; ``achieved`` is the share of draws with some outcome."""
    rows = []
    for outcome in OUTCOMES:
        if not outcome.paid_by:
            continue
        gained = projection.headline(outcome.id)
        spent = projection.spent(outcome.paid_by)
        with np.errstate(divide="ignore", invalid="ignore"):
            cost = np.where(gained > 0, spent / np.where(gained > 0, gained, 1), np.inf)
        p5, p50, p95 = _percentiles(cost, method="nearest")  # inf stays inf
        rows.append({"outcome": outcome.id, "spent_usd": float(np.median(spent)), "p5": p5,
                     "median": p50, "p95": p95, "achieved": float((gained > 0).mean())})
    return pd.DataFrame(rows, columns=["outcome", "spent_usd", "p5", "median", "p95", "achieved"])


def tornado(scenario: Scenario, baseline: Baseline, assumptions: Sequence[Assumption],
            horizon: int = MAX_HORIZON) -> pd.DataFrame:
    """One-at-a-time sensitivity: each headline outcome with every assumption at its median,
    then with one assumption at its 5th and at its 95th percentile. One row per outcome and
    uncertain assumption, sorted by swing (largest first)."""
    assumptions = scenario.apply(assumptions)
    centre = medians(assumptions)
    varied = [a for a in assumptions if a.uncertain]
    rows = 1 + 2 * len(varied)
    drawn = {key: np.full(rows, value) for key, value in centre.items()}
    for index, assumption in enumerate(varied):
        drawn[assumption.id][1 + 2 * index] = assumption.low
        drawn[assumption.id][2 + 2 * index] = assumption.high
    projection = project(scenario, baseline, drawn, horizon)
    frames = []
    for outcome in OUTCOMES:
        values = projection.headline(outcome.id)
        frame = pd.DataFrame({
            "outcome": outcome.id,
            "assumption": [a.id for a in varied],
            "at_low": values[1::2],
            "at_high": values[2::2],
            "centre": values[0],
        })
        frame["swing"] = (frame["at_high"] - frame["at_low"]).abs()
        frames.append(frame.sort_values("swing", ascending=False, kind="stable"))
    return pd.concat(frames, ignore_index=True)


# how each outcome's level is read from a window of the baseline's history
def _level_at(baseline: Baseline, years_before: int, outcome: str) -> float | None:
    def level(name):
        return baseline.level(years_before, name)

    if outcome == "mean_income_usd":
        income, households = level("income_usd"), level("households")
        return income / households if income is not None and households else None
    return level({"credits_usd": "credit_usd"}.get(outcome, outcome))


def measured(baseline: Baseline) -> pd.DataFrame:
    """Each outcome's measured level in the 12-month windows before today (year -2, -1, 0),
    as the baseline defines it: the past the fan charts start from."""
    rows = [{"outcome": o.id, "year": -years_before, "value": value}
            for o in OUTCOMES for years_before, _ in baseline.history
            if (value := _level_at(baseline, years_before, o.id)) is not None]
    return pd.DataFrame(rows, columns=["outcome", "year", "value"])


def yearly_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The CSV export of ``summary`` rows: one row per outcome and year (0 = today), with the
    median, 5th and 95th percentiles of each series as columns (``median_added``,
    ``p5_baseline``...)."""
    yearly = rows.pivot_table(index=["outcome", "year"], columns="series",
                              values=["median", "p5", "p95"]).reset_index()
    yearly.columns = ["_".join(c).strip("_") for c in yearly.columns]
    return yearly


def compare(entries: Sequence[tuple[str, Scenario]], baseline_for: Callable[[str], Baseline],
            registry: Registry, draws: int = DRAWS, seed: int = SEED) -> pd.DataFrame:
    """Saved scenarios side by side: the ``headlines`` of each (label, scenario), with a
    ``scenario`` column holding its label, in the order given.

    Each scenario is run again on the baseline of its own sites (``baseline_for(sites)``,
    asked once per choice of sites), with the ranges that baseline derives and the scenario's
    own edits, and the same random numbers: differences are the scenarios', not noise.
    """
    baselines: dict[str, Baseline] = {}
    frames = []
    for label, chosen in entries:
        if chosen.sites not in baselines:
            baselines[chosen.sites] = baseline_for(chosen.sites)
        baseline = baselines[chosen.sites]
        result = simulate(chosen, baseline, resolve(registry, baseline), draws, seed)
        frames.append(headlines(result).assign(scenario=label))
    return pd.concat(frames, ignore_index=True)
