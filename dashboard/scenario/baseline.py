"""The no-new-funding baseline (pure): the chosen sites today and their recent past.

``baseline_from`` builds a ``Baseline`` from the ``scenario_sites``, ``scenario_trend`` and
``scenario_incomes`` queries and the living income benchmark; ``resolve`` fills the
assumptions whose range the data give (``derived``: the baseline trends, the credit uptake).
The programme's own records give the recorded cost per unit shown beside the cost
assumptions and the funding to date that sets the default allocation and the overhead share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.scenario.assumptions import TRENDS, Assumption, Registry, load_registry

# Levels read from the database for each 12-month window (the scenario_trend query).
LEVELS = ("children_working", "children_5_17", "children_in_school", "households",
          "households_above_living_income", "income_usd", "incidents", "cobalt_tonnes",
          "fair_cobalt_tonnes", "credit_tonnes", "credit_usd")


@dataclass(frozen=True)
class Baseline:
    """The chosen sites today (the 12 months to the end of the period) and their recent past.

    ``history`` holds, for 0, 1 and 2 years before, the LEVELS measured in that 12-month
    window; the last one (0 years before) is today's level the projection starts from.
    ``living_income_usd`` is the benchmark households are counted against (the database's
    reference value), so it has no default.
    """

    living_income_usd: float

    sites: int = 0
    visits: int = 0
    interviews: int = 0
    workers: float = 0.0
    children_working: float = 0.0
    children_5_17: float = 0.0
    children_in_school: float = 0.0
    households: float = 0.0
    households_in_vsla: float = 0.0
    households_above_living_income: float = 0.0
    income_usd: float = 0.0
    active_pits: float = 0.0
    uncovered_pits: float = 0.0
    incidents: float = 0.0
    cobalt_tonnes: float = 0.0
    fair_cobalt_tonnes: float = 0.0
    credit_tonnes: float = 0.0
    credit_usd: float = 0.0
    unformalised_sites: int = 0
    unformalised_tonnes: float = 0.0
    # monthly household income, USD: band edges and the share of households below each edge
    income_edges: tuple[float, ...] = (0.0,)
    income_below: tuple[float, ...] = (0.0,)
    history: tuple[tuple[int, tuple[float | None, ...]], ...] = ()

    def eligible(self) -> dict[str, float]:
        """Who each workstream can still reach: the pool reach saturates at."""
        return {
            "child_labour": self.children_working,
            "education": max(self.children_5_17 - self.children_in_school, 0.0),
            "livelihoods": max(self.households - self.households_in_vsla, 0.0),
            "safety": self.uncovered_pits,
            "formalisation": float(self.unformalised_sites),
        }

    def level(self, years_before: int, name: str) -> float | None:
        for years, values in self.history:
            if years == years_before:
                return values[LEVELS.index(name)]
        return None

    def share_below(self, income_usd: np.ndarray) -> np.ndarray:
        """Share of households whose monthly income is below ``income_usd``."""
        return np.interp(income_usd, self.income_edges, self.income_below)


def recorded_cost_per_unit(activities: pd.DataFrame) -> dict[tuple[str, str], float]:
    """The programme's own cost per unit, by (workstream, unit), from ``activity_summary``
    rows: the cost of all activities counted in that unit over their units."""
    totals = activities.groupby(["workstream", "unit"])[["cost_usd", "units"]].sum()
    return {key: row.cost_usd / row.units for key, row in totals.iterrows() if row.units > 0}


def _total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].fillna(0).sum()) if column in frame and len(frame) else 0.0


def baseline_from(sites: pd.DataFrame, trend: pd.DataFrame, incomes: pd.DataFrame,
                  living_income_usd: float, registry: Registry | None = None) -> Baseline:
    """The baseline from the scenario_sites, scenario_trend and scenario_incomes queries and
    the living income benchmark (the database's reference_values, which the survey rollups
    also count households against); the registry says what counts as a formalised site."""
    registry = registry or load_registry()
    tonnes = sites["cobalt_tonnes"].fillna(0) if len(sites) else pd.Series(dtype=float)
    fair = sites["fair_cobalt_tonnes"].fillna(0) if len(sites) else pd.Series(dtype=float)
    unformalised = (tonnes > 0) & (fair < registry.formalised_fair_share * tonnes)
    edges, below = _income_distribution(incomes)
    history = tuple(
        (int(row["years_before"]),
         tuple(None if pd.isna(row[name]) else float(row[name]) for name in LEVELS))
        for _, row in trend.iterrows())
    return Baseline(
        sites=len(sites),
        visits=int(_total(sites, "visits")),
        interviews=int(_total(sites, "n_households")),
        workers=_total(sites, "workers"),
        children_working=_total(sites, "children_working"),
        children_5_17=_total(sites, "children_5_17"),
        children_in_school=_total(sites, "children_in_school"),
        households=_total(sites, "households"),
        households_in_vsla=_total(sites, "households_in_vsla"),
        households_above_living_income=_total(sites, "households_above_living_income"),
        income_usd=_total(sites, "income_usd"),
        active_pits=_total(sites, "active_pits"),
        uncovered_pits=_total(sites, "uncovered_pits"),
        incidents=_total(sites, "incidents"),
        cobalt_tonnes=float(tonnes.sum()),
        fair_cobalt_tonnes=float(fair.sum()),
        credit_tonnes=_total(sites, "credit_tonnes"),
        credit_usd=_total(sites, "credit_usd"),
        unformalised_sites=int(unformalised.sum()),
        unformalised_tonnes=float((tonnes - fair)[unformalised].sum()),
        living_income_usd=living_income_usd,
        income_edges=edges,
        income_below=below,
        history=history,
    )


def _income_distribution(incomes: pd.DataFrame) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Band edges and the cumulative share of households below each (uniform within a band).

    A row's band is [income_from_usd, income_from_usd + band width); the last row is the open
    band of the highest incomes, taken as one band wide.
    """
    if incomes.empty or incomes["households"].sum() <= 0:
        return (0.0,), (0.0,)
    incomes = incomes.sort_values("income_from_usd")
    starts = incomes["income_from_usd"].to_numpy(float)
    width = float(np.min(np.diff(starts))) if len(starts) > 1 else 10.0
    weights = incomes["households"].to_numpy(float)
    edges = np.append(starts, starts[-1] + width)
    below = np.append(0.0, np.cumsum(weights)) / weights.sum()
    return tuple(edges.tolist()), tuple(below.tolist())


def derived_ranges(baseline: Baseline, registry: Registry) -> dict[str, tuple[float, float]]:
    """The ranges the data give to ``derived`` assumptions (missing when the data cannot)."""
    limits = dict(registry.trend_limits)
    centres = {name: _trend(baseline, limits, *spec) for name, spec in TRENDS.items()}
    fair, credited = baseline.fair_cobalt_tonnes, baseline.credit_tonnes
    centres["credit_uptake"] = credited / fair if fair > 0 and credited > 0 else None
    ranges = {}
    for assumption in registry.assumptions:
        centre = centres.get(assumption.derived) if assumption.derived else None
        if centre is None:
            continue
        if assumption.role == "trend":
            half = (assumption.high - assumption.low) / 2
            ranges[assumption.id] = (round(centre - half, 4), round(centre + half, 4))
        else:  # a share measured in the data: from half to one and a half times it
            centre = min(centre, 0.99 / 1.5)  # so that the high end stays a share
            ranges[assumption.id] = (round(centre / 2, 4), round(centre * 1.5, 4))
    return ranges


def _trend(baseline: Baseline, limits: Mapping[str, float], kind: str, numerator: str,
           denominator: str | None) -> float | None:
    """Yearly change over the oldest and newest windows with data, clamped."""
    points = []
    for years_before, _ in baseline.history:
        top = baseline.level(years_before, numerator)
        bottom = baseline.level(years_before, denominator) if denominator else 1.0
        if top is not None and bottom:
            points.append((years_before, top / bottom))
    points = [(y, v) for y, v in points if v > 0 or kind == "points"]
    if len(points) < 2:
        return None
    (newest_years, newest), (oldest_years, oldest) = min(points), max(points)
    span = oldest_years - newest_years
    if kind == "relative":
        change = (newest / oldest) ** (1 / span) - 1
    else:
        change = (newest - oldest) / span
    limit = limits[kind]
    return float(np.clip(change, -limit, limit))


def resolve(registry: Registry, baseline: Baseline) -> tuple[Assumption, ...]:
    """The registry's assumptions with the data-derived ranges filled in."""
    ranges = derived_ranges(baseline, registry)
    return tuple(a.with_range(*ranges[a.id]) if a.id in ranges else a
                 for a in registry.assumptions)


def committed_by_workstream(funding: pd.DataFrame) -> pd.Series:
    """USD committed per workstream (management included) from ``funding_by_year`` rows."""
    return funding.groupby("workstream")["committed_usd"].sum()


def overhead_share(committed: pd.Series) -> float | None:
    """The share of the funding committed to date that went to programme management (the
    overhead the assumptions table shows beside its assumption); None without funding."""
    total = committed.sum()
    return float(committed.get("management", 0.0) / total) if total > 0 else None


def with_observed_costs(registry: Registry, observed: Mapping) -> Registry:
    """The registry with each cost assumption ``observed`` names (id -> an object with low,
    high, first_year, last_year and output: dashboard.funding.costs.ObservedCost) replaced by
    the range the programme's own records give: the lowest to the highest yearly spending of
    the workstream per output delivered. The other assumptions are left as they were."""
    def observed_range(assumption: Assumption) -> Assumption:
        seen = observed.get(assumption.id)
        if seen is None or assumption.role != "cost":
            return assumption
        notes = {language: i18n.translate(
            language, "scenarios.observed_cost_note", first=seen.first_year,
            last=seen.last_year, output=i18n.translate(language, f"funding.output.{seen.output}"))
            for language in i18n.LANGUAGES}
        return replace(assumption, low=float(seen.low), high=float(seen.high), sourced=True,
                       source=i18n.translate("en", "scenarios.observed_cost_source",
                                             first=seen.first_year, last=seen.last_year),
                       url="", note_en=notes["en"], note_fr=notes["fr"])

    return replace(registry, assumptions=tuple(observed_range(a)
                                               for a in registry.assumptions))
