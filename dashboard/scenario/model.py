"""Funding scenarios: what more (or differently allocated) money would do, with its uncertainty.

Pure numpy (no Streamlit). The page builds a ``Baseline`` from the database, reads a
``Scenario`` from its widgets or its URL, samples the ``Assumption`` ranges once and calls
``project``; everything it shows comes from the functions below.

The model, per delivery workstream (child labour, education, livelihoods, safety,
formalisation), one year at a time, each quantity an array over Monte Carlo draws:

- Money: the year's budget (for the funded years) plus the Cobalt Credits earned by the added
  fair cobalt of the previous year that are reinvested; a share goes to programme management
  (overhead) and the rest is split by the allocation shares. Units bought = money / unit cost.
- Reach saturates: units go to the part of the eligible population not yet reached,
  ``new = pool * (1 - exp(-units / pool))``. While units are few, each buys one person (or pit,
  or site); as the pool empties, each reaches fewer (the last cases are the hardest: ICI reports
  ~95% of cases simple and ~5% complex). Reach never exceeds the eligible population.
- Decay: each year a share of those reached is lost without follow-up and returns to the pool.
- Ramp-up: the effect builds as ``1 - exp(-t / ramp)`` t years after enrolment (enrolment is
  counted from mid-year); the achieved effect follows the reached population with that lag.
- Outcomes: stocks (children out of child labour, children in school, households above the
  living income, mean income) are read at the end of each year; flows (incidents averted, fair
  cobalt tonnes, credits) use the mean of the start- and end-of-year state.
- The no-new-funding baseline continues the chosen sites' recent trend (counts by a yearly
  rate, shares at so many points a year, slowing near 0% and 100%); added impact is the
  scenario minus the baseline, capped so that no more than everyone can be helped.

The same random numbers drive the baseline and every scenario (common random numbers), so
differences between scenarios are not sampling noise.
"""

from __future__ import annotations

import functools
import math
import tomllib
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, special

ASSUMPTIONS_FILE = Path(__file__).parents[1] / "registry" / "scenario_assumptions.toml"

# Workstreams that receive a share of the budget; "management" is the overhead assumption.
WORKSTREAMS = ("child_labour", "education", "livelihoods", "safety", "formalisation")
SITE_SCOPES = ("programme", "comparison", "all")
DISTRIBUTIONS = ("lognormal", "beta", "normal", "fixed")
ROLES = ("cost", "effect", "ramp", "decay", "trend", "revenue", "overhead")

DRAWS = 10_000
SEED = 20_200_801  # the FCA's launch, August 2020: any fixed number would do
MAX_HORIZON = 5
MAX_BUDGET_USD = 10_000_000  # per year: about three times the programme's largest yearly budget
BUDGET_STEP_USD = 10_000
MAX_VALUE = 1e9  # bound on any assumption value
Z95 = 1.6448536269514722  # standard normal 95th percentile: a 90% interval is +-Z95 sd


# -- assumptions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Assumption:
    """One uncertain input: a 90% interval [low, high] with a distribution and its source."""

    id: str
    workstream: str
    role: str
    distribution: str
    low: float
    high: float
    name_en: str
    name_fr: str
    unit_en: str
    unit_fr: str
    sourced: bool
    source: str
    url: str
    note_en: str
    note_fr: str
    recorded_unit: str = ""
    derived: str = ""

    @property
    def uncertain(self) -> bool:
        return self.low != self.high

    def with_range(self, low: float, high: float) -> Assumption:
        return replace(self, low=float(low), high=float(high))


class AssumptionError(ValueError):
    """The assumptions file breaks a rule; the message names the entry, field, value and rule."""


@dataclass(frozen=True)
class Registry:
    """The assumptions file: the assumptions and the model's thresholds."""

    assumptions: tuple[Assumption, ...]
    formalised_fair_share: float = 0.5
    trend_limits: tuple[tuple[str, float], ...] = (("relative", 0.3), ("points", 0.1))

    def by_id(self) -> dict[str, Assumption]:
        return {a.id: a for a in self.assumptions}


REQUIRED_FIELDS = ("id", "workstream", "role", "distribution", "low", "high", "name_en",
                   "name_fr", "unit_en", "unit_fr", "sourced", "source", "url", "note_en",
                   "note_fr")


@functools.cache
def load_registry(path: Path = ASSUMPTIONS_FILE) -> Registry:
    raw = tomllib.loads(Path(path).read_text())
    assumptions = [
        _assumption(entry, f"{Path(path).name}, assumption {index} ({entry.get('id', '?')})")
        for index, entry in enumerate(raw.get("assumption", []), start=1)]
    ids = [a.id for a in assumptions]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise AssumptionError(f"{Path(path).name}: duplicated id(s) {', '.join(duplicated)}.")
    needed = {f"{w}.{r}" for w in WORKSTREAMS for r in ("cost", "effect", "ramp", "decay")}
    needed |= {"education.work_effect", "credits.price", "credits.uptake", "credits.reinvested",
               "programme.overhead", *(f"baseline.{t}" for t in TRENDS)}
    absent = sorted(needed - set(ids))
    if absent:
        raise AssumptionError(f"{Path(path).name}: the model needs {', '.join(absent)}.")
    return Registry(tuple(assumptions), float(raw["formalised_fair_share"]),
                    (("relative", float(raw["trend_limit_relative"])),
                     ("points", float(raw["trend_limit_points"]))))


def _assumption(entry: dict, where: str) -> Assumption:
    """One [[assumption]] entry, checked; ``where`` names it in error messages."""
    missing = [name for name in REQUIRED_FIELDS if name not in entry]
    if missing:
        raise AssumptionError(f"{where}: missing field(s) {', '.join(missing)}.")
    for name, allowed in (("role", ROLES), ("distribution", DISTRIBUTIONS)):
        if entry[name] not in allowed:
            raise AssumptionError(f"{where}: {name} '{entry[name]}' is not one of "
                                  f"{', '.join(allowed)}.")
    for name in ("low", "high"):
        if isinstance(entry[name], bool) or not isinstance(entry[name], (int, float)):
            raise AssumptionError(f"{where}: {name} = {entry[name]!r} is not a number.")
    if bool(entry["sourced"]) != bool(entry["source"]):
        raise AssumptionError(f"{where}: sourced = {str(entry['sourced']).lower()} but the "
                              f"source is {'given' if entry['source'] else 'empty'}: a sourced "
                              "range names its source, an unsourced one leaves it empty.")
    fields = {name: entry.get(name, "") for name in Assumption.__annotations__}
    assumption = Assumption(**{**fields, "low": float(entry["low"]), "high": float(entry["high"])})
    rule = range_rule(assumption, assumption.low, assumption.high)
    if rule:
        raise AssumptionError(f"{where}: low = {assumption.low}, high = {assumption.high} "
                              f"breaks the rule '{RULE_TEXT[rule]}'.")
    return assumption


# Rules for a range, shared by the file, the URL and the assumptions editor. The page shows
# the translated text (locale key scenarios.rule_<code>); RULE_TEXT is for developers.
RULE_TEXT = {
    "low_above_high": "low must not be above high",
    "not_positive": "a lognormal range must be above 0",
    "not_a_share": "a share lies between 0 and 1 (a range strictly inside)",
    "not_fixed": "a fixed value needs low = high",
    "out_of_bounds": f"values must lie within +-{MAX_VALUE:.0e}",
    "no_fit": "no beta distribution has these 5th and 95th percentiles",
}


def range_rule(assumption: Assumption, low: float, high: float) -> str | None:
    """The rule a [low, high] range breaks for this assumption, or None when it is valid."""
    if not (abs(low) <= MAX_VALUE and abs(high) <= MAX_VALUE):  # also catches NaN
        return "out_of_bounds"
    if low > high:
        return "low_above_high"
    kind = assumption.distribution
    if kind == "fixed" and low != high:
        return "not_fixed"
    if kind == "lognormal" and low <= 0:
        return "not_positive"
    if kind == "beta":
        if low == high:
            return None if 0 <= low <= 1 else "not_a_share"
        if not 0 < low < high < 1:
            return "not_a_share"
        if beta_parameters(low, high) is None:
            return "no_fit"
    return None


@functools.lru_cache(maxsize=1024)
def beta_parameters(low: float, high: float) -> tuple[float, float] | None:
    """Beta(a, b) whose 5th and 95th percentiles are low and high (None if none is found)."""
    mean, sd = (low + high) / 2, (high - low) / (2 * Z95)
    concentration = max(mean * (1 - mean) / sd**2 - 1, 0.5)
    start = np.log([mean * concentration, (1 - mean) * concentration])

    def miss(log_ab):
        a, b = np.exp(log_ab)
        return [special.betaincinv(a, b, 0.05) - low, special.betaincinv(a, b, 0.95) - high]

    solution = optimize.root(miss, start, method="hybr")
    if not solution.success or max(abs(v) for v in miss(solution.x)) > 1e-6 * max(high, 1e-3):
        return None
    a, b = np.exp(solution.x)
    return float(a), float(b)


def quantile(assumption: Assumption, q: np.ndarray | float) -> np.ndarray:
    """The assumption's value at probability q (0 < q < 1): 0.05 gives low, 0.95 high."""
    return _quantile(assumption.distribution, assumption.low, assumption.high,
                     np.asarray(q, dtype=float))


def _quantile(distribution: str, low: float, high: float, q: np.ndarray) -> np.ndarray:
    if low == high:
        return np.full(q.shape, low)
    z = special.ndtri(q)
    if distribution == "lognormal":
        mu, sigma = (math.log(low) + math.log(high)) / 2, math.log(high / low) / (2 * Z95)
        return np.exp(mu + sigma * z)
    if distribution == "normal":
        return (low + high) / 2 + (high - low) / (2 * Z95) * z
    a, b = beta_parameters(low, high)
    return special.betaincinv(a, b, q)


def sample(assumptions: Sequence[Assumption], draws: int = DRAWS,
           seed: int = SEED) -> dict[str, np.ndarray]:
    """``draws`` values of every assumption (read-only arrays).

    Values come from the inverse distribution function of uniform draws. Each assumption has
    its own random stream, seeded from ``seed`` and its id: editing one range moves only that
    assumption's draws (each keeps its rank), so comparisons between assumption sets are not
    blurred by fresh noise, and a column once drawn is reused from a cache.
    """
    return {a.id: _column(a.id, a.distribution, a.low, a.high, draws, seed)
            for a in assumptions}


@functools.lru_cache(maxsize=256)
def _column(key: str, distribution: str, low: float, high: float, draws: int,
            seed: int) -> np.ndarray:
    stream = np.random.default_rng([seed, zlib.crc32(key.encode())])
    values = _quantile(distribution, low, high, stream.random(draws))
    values.flags.writeable = False
    return values


def medians(assumptions: Sequence[Assumption]) -> dict[str, float]:
    return {a.id: float(quantile(a, 0.5)) for a in assumptions}


# -- baseline -------------------------------------------------------------------------------

# Levels read from the database for each 12-month window (the scenario_trend query).
LEVELS = ("children_working", "children_5_17", "children_in_school", "households",
          "households_above_living_income", "income_usd", "incidents", "cobalt_tonnes",
          "fair_cobalt_tonnes", "credit_tonnes", "credit_usd")
# baseline trend -> (kind, numerator, denominator): relative change of a level or of a ratio,
# or a change in points of a share
TRENDS = {
    "children_trend": ("relative", "children_working", None),
    "school_trend": ("points", "children_in_school", "children_5_17"),
    "income_trend": ("relative", "income_usd", "households"),
    "incident_trend": ("relative", "incidents", None),
    "fair_share_trend": ("points", "fair_cobalt_tonnes", "cobalt_tonnes"),
}


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


# -- the scenario and its URL ---------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    """What the user chose: added budget per year, for how many years, where, split how.

    ``allocation`` holds a weight in percent per workstream (in WORKSTREAMS order); the
    budget is split in proportion to the weights. ``overrides`` are assumption ranges edited
    for this scenario: (id, low, high), sorted by id.
    """

    budget_usd: int = 1_000_000
    years: int = 3
    sites: str = "programme"
    allocation: tuple[int, ...] = (20, 20, 20, 20, 20)
    overrides: tuple[tuple[str, float, float], ...] = ()

    def shares(self) -> dict[str, float]:
        total = sum(self.allocation)
        return {w: (weight / total if total else 0.0)
                for w, weight in zip(WORKSTREAMS, self.allocation)}

    def apply(self, assumptions: Sequence[Assumption]) -> tuple[Assumption, ...]:
        edited = {key: (low, high) for key, low, high in self.overrides}
        return tuple(a.with_range(*edited[a.id]) if a.id in edited else a for a in assumptions)


BUDGET, YEARS, SITES = "budget", "years", "sites"
ALLOCATION_PREFIX, ASSUMPTION_PREFIX = "alloc_", "a_"
RANGE_SEPARATOR = "~"


@dataclass(frozen=True)
class Problem:
    """A URL parameter that was not used: its name, its value and the rule it broke."""

    parameter: str
    value: str
    rule: str
    minimum: float | None = None
    maximum: float | None = None


def is_scenario_parameter(name: str) -> bool:
    return name in (BUDGET, YEARS, SITES) or name.startswith((ALLOCATION_PREFIX,
                                                               ASSUMPTION_PREFIX))


def to_query(scenario: Scenario) -> dict[str, str]:
    """The scenario as URL parameters (plain, language-independent values)."""
    query = {BUDGET: str(scenario.budget_usd), YEARS: str(scenario.years), SITES: scenario.sites}
    for workstream, weight in zip(WORKSTREAMS, scenario.allocation):
        query[ALLOCATION_PREFIX + workstream] = str(weight)
    for key, low, high in scenario.overrides:
        query[ASSUMPTION_PREFIX + key] = f"{_number_text(low)}{RANGE_SEPARATOR}{_number_text(high)}"
    return query


def _number_text(value: float) -> str:
    """The shortest text that reads back as exactly this float: 300.0 -> '300'."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def from_query(params: Mapping[str, str], default: Scenario,
               assumptions: Sequence[Assumption]) -> tuple[Scenario, tuple[Problem, ...]]:
    """Read a scenario from URL parameters. A missing parameter takes the default's value; an
    invalid one is reported as a Problem and the default's value is used instead."""
    problems: list[Problem] = []
    params = {k: v for k, v in params.items() if is_scenario_parameter(k)}

    def whole(name: str, fallback: int, minimum: int, maximum: int) -> int:
        if name not in params:
            return fallback
        value, rule = _whole_number(params[name], minimum, maximum)
        if rule:
            problems.append(Problem(name, params[name], rule, minimum, maximum))
            return fallback
        return value

    budget = whole(BUDGET, default.budget_usd, 0, MAX_BUDGET_USD)
    years = whole(YEARS, default.years, 1, MAX_HORIZON)
    sites = params.get(SITES, default.sites)
    if sites not in SITE_SCOPES:
        problems.append(Problem(SITES, sites, "unknown_option"))
        sites = default.sites
    allocation = [whole(ALLOCATION_PREFIX + w, fallback, 0, 100)
                  for w, fallback in zip(WORKSTREAMS, default.allocation)]
    for name in sorted(params):
        if name.startswith(ALLOCATION_PREFIX) and name[len(ALLOCATION_PREFIX):] not in WORKSTREAMS:
            problems.append(Problem(name, params[name], "unknown_workstream"))
    if sum(allocation) == 0:
        problems.append(Problem("alloc", "0", "allocation_zero"))
        allocation = list(default.allocation)
    overrides = _overrides(params, {a.id: a for a in assumptions}, problems)
    return Scenario(budget, years, sites, tuple(allocation), overrides), tuple(problems)


def _whole_number(text: str, minimum: int, maximum: int) -> tuple[int, str | None]:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return 0, "not_a_number"
    if not math.isfinite(value):
        return 0, "not_a_number"
    if value < minimum:
        return 0, "negative" if value < 0 else "too_small"
    if value > maximum:
        return 0, "too_large"
    if value != int(value):
        return 0, "not_whole"
    return int(value), None


def _overrides(params: Mapping[str, str], known: Mapping[str, Assumption],
               problems: list[Problem]) -> tuple[tuple[str, float, float], ...]:
    overrides = []
    for name in sorted(params):
        if not name.startswith(ASSUMPTION_PREFIX):
            continue
        key, text = name[len(ASSUMPTION_PREFIX):], params[name]
        if key not in known:
            problems.append(Problem(name, text, "unknown_assumption"))
            continue
        parts = text.split(RANGE_SEPARATOR)
        try:
            low, high = (float(p) for p in parts) if len(parts) == 2 else (None, None)
        except ValueError:
            low = high = None
        if low is None or not (math.isfinite(low) and math.isfinite(high)):
            problems.append(Problem(name, text, "not_a_range"))
            continue
        rule = range_rule(known[key], low, high)
        if rule:
            problems.append(Problem(name, text, rule))
            continue
        overrides.append((key, low, high))
    return tuple(overrides)


def edited_overrides(edits: Sequence[tuple[str, float, float]],
                     assumptions: Sequence[Assumption],
                     previous: Sequence[tuple[str, float, float]] = ()
                     ) -> tuple[tuple[tuple[str, float, float], ...],
                                tuple[tuple[str, float, float, str], ...]]:
    """The ranges edited in the assumptions table that differ from the assumptions' own,
    checked. A broken edit comes back as (id, low, high, rule) and the previous override of
    that assumption, if any, is kept in its place."""
    by_id = {a.id: a for a in assumptions}
    kept = {key: (low, high) for key, low, high in previous}
    overrides, problems = [], []
    for key, low, high in edits:
        low, high = float(low), float(high)
        assumption = by_id[key]
        if (low, high) == (assumption.low, assumption.high):
            continue
        rule = ("not_a_number" if low != low or high != high
                else range_rule(assumption, low, high))
        if rule:
            problems.append((key, low, high, rule))
            if key in kept:
                overrides.append((key, *kept[key]))
            continue
        overrides.append((key, low, high))
    return tuple(sorted(overrides)), tuple(problems)


def default_allocation(committed_by_workstream: Mapping[str, float]) -> tuple[int, ...]:
    """Weights in percent that split the budget as the funding to date was split (equal
    shares when there is none), rounded so that they add up to 100."""
    amounts = np.array([max(committed_by_workstream.get(w, 0.0), 0.0) for w in WORKSTREAMS])
    if amounts.sum() <= 0:
        amounts = np.ones(len(WORKSTREAMS))
    exact = amounts / amounts.sum() * 100
    weights = np.floor(exact).astype(int)
    for index in np.argsort(-(exact - weights))[:100 - weights.sum()]:
        weights[index] += 1  # largest remainders first
    return tuple(int(w) for w in weights)


# -- the projection -------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    id: str
    direction: str       # "higher" or "lower" is better
    kind: str            # "stock": read at the horizon; "flow": summed over the years
    paid_by: tuple[str, ...] = ()  # workstreams whose spending buys it (cost per outcome)


OUTCOMES = (
    Outcome("children_working", "lower", "stock", ("child_labour", "education")),
    Outcome("children_in_school", "higher", "stock", ("education",)),
    Outcome("households_above_living_income", "higher", "stock", ("livelihoods",)),
    Outcome("mean_income_usd", "higher", "stock"),
    Outcome("incidents", "lower", "flow", ("safety",)),
    Outcome("fair_cobalt_tonnes", "higher", "flow", ("formalisation",)),
    Outcome("credits_usd", "higher", "flow"),
)
OUTCOME = {o.id: o for o in OUTCOMES}


@dataclass
class Projection:
    """Arrays of shape (draws, horizon): year 1 is column 0.

    ``baseline`` and ``scenario`` hold each outcome's level; ``added`` the improvement
    (positive is better: children out of child labour, incidents averted...). ``reached`` is
    how many of each workstream's eligible population are reached at the end of each year.
    """

    horizon: int
    baseline: dict[str, np.ndarray]
    scenario: dict[str, np.ndarray]
    added: dict[str, np.ndarray]
    reached: dict[str, np.ndarray]
    eligible: dict[str, float]
    spend: dict[str, np.ndarray]
    reinvested: np.ndarray
    start: dict[str, float] = field(default_factory=dict)

    @property
    def draws(self) -> int:
        return len(self.reinvested)

    def headline(self, outcome: str) -> np.ndarray:
        """Per draw: the added impact at the horizon (stocks) or over the horizon (flows)."""
        added = self.added[outcome]
        return added[:, -1] if OUTCOME[outcome].kind == "stock" else added.sum(axis=1)

    def spent(self, workstreams: Sequence[str]) -> np.ndarray:
        return sum((self.spend[w].sum(axis=1) for w in workstreams), np.zeros(self.draws))


def project(scenario: Scenario, baseline: Baseline, drawn: Mapping[str, np.ndarray],
            horizon: int = MAX_HORIZON) -> Projection:
    """Project the scenario against the no-new-funding baseline, draw by draw."""
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be 1 to {MAX_HORIZON} years, not {horizon}")
    draws = len(drawn["programme.overhead"])
    shares = scenario.shares()
    eligible = baseline.eligible()
    states = {w: _Workstream(eligible[w], drawn[f"{w}.ramp"], drawn[f"{w}.decay"], draws)
              for w in WORKSTREAMS}
    spend = {w: np.zeros((draws, horizon)) for w in WORKSTREAMS}
    reached = {w: np.zeros((draws, horizon)) for w in WORKSTREAMS}
    effective = {w: np.zeros((draws, horizon)) for w in WORKSTREAMS}
    exposure = {w: np.zeros((draws, horizon)) for w in WORKSTREAMS}
    reinvested = np.zeros((draws, horizon))
    fair_added = np.zeros((draws, horizon))
    years = np.arange(1, horizon + 1)
    # incomes move with the income trend: every household's income is multiplied by this
    income_growth = np.maximum(1 + drawn["baseline.income_trend"], 0.1)[:, None] ** years
    base = _baseline_levels(baseline, drawn, years, income_growth)

    tonnes_per_site = (baseline.unformalised_tonnes / baseline.unformalised_sites
                       if baseline.unformalised_sites else 0.0)
    credit_per_tonne = drawn["credits.uptake"] * drawn["credits.price"]
    carried = np.zeros(draws)
    for t in range(horizon):
        money = (scenario.budget_usd if t < scenario.years else 0.0) + carried
        reinvested[:, t] = carried
        for w in WORKSTREAMS:
            spend[w][:, t] = money * shares[w]
            units = spend[w][:, t] * (1 - drawn["programme.overhead"]) / drawn[f"{w}.cost"]
            state = states[w]
            state.advance(units)
            reached[w][:, t] = state.reached
            effective[w][:, t] = state.effective
            exposure[w][:, t] = state.exposure
        headroom = np.maximum(baseline.cobalt_tonnes - base["fair_cobalt_tonnes"][:, t], 0)
        fair_added[:, t] = np.minimum(
            exposure["formalisation"][:, t] * tonnes_per_site * drawn["formalisation.effect"],
            headroom)
        carried = fair_added[:, t] * credit_per_tonne * drawn["credits.reinvested"]

    added = _added(baseline, drawn, base, effective, exposure, fair_added, credit_per_tonne,
                   income_growth)
    scenario_levels = {o.id: base[o.id] + (added[o.id] if o.direction == "higher"
                                           else -added[o.id]) for o in OUTCOMES}
    return Projection(horizon, base, scenario_levels, added, reached, eligible, spend,
                      reinvested, start=_start_levels(baseline))


class _Workstream:
    """Reach, decay and ramp-up of one workstream, advanced one year at a time."""

    def __init__(self, eligible: float, ramp: np.ndarray, decay: np.ndarray, draws: int):
        self.eligible = eligible
        self.keep = 1 - decay
        ramp = np.maximum(ramp, 1e-9)
        self.build_full_year = -np.expm1(-1 / ramp)
        self.build_half_year = -np.expm1(-0.5 / ramp)
        self.reached = np.zeros(draws)
        self.effective = np.zeros(draws)
        self.exposure = np.zeros(draws)

    def advance(self, units: np.ndarray) -> None:
        kept = self.reached * self.keep
        kept_effect = self.effective * self.keep
        pool = np.maximum(self.eligible - kept, 0)
        new = np.where(pool > 0, pool * -np.expm1(-units / np.where(pool > 0, pool, 1)), 0)
        start_of_year = self.effective
        self.reached = kept + new
        self.effective = (kept_effect + (kept - kept_effect) * self.build_full_year
                          + new * self.build_half_year)
        self.exposure = (start_of_year + self.effective) / 2


def _baseline_levels(baseline: Baseline, drawn: Mapping[str, np.ndarray], years: np.ndarray,
                     income_growth: np.ndarray) -> dict[str, np.ndarray]:
    """Each outcome's level without new funding: today's level moved by the recent trend.

    Households above the living income follow the income trend: when every income is
    multiplied by m, the households below the line are those once below line / m.
    """
    def grow(level: float, trend: np.ndarray) -> np.ndarray:
        return level * np.maximum(1 + trend[:, None], 0) ** years

    def shift(count: float, total: float, trend: np.ndarray) -> np.ndarray:
        return share_path(count / total if total else 0.0, trend, years) * total

    b = baseline
    households = b.households
    income = (b.income_usd / households if households else 0.0) * income_growth
    line = b.living_income_usd
    crossed = b.share_below(np.array([line]))[0] - b.share_below(line / income_growth)
    above = np.clip(b.households_above_living_income + households * crossed, 0, households)
    fair = shift(b.fair_cobalt_tonnes, b.cobalt_tonnes, drawn["baseline.fair_share_trend"])
    return {
        "children_working": grow(b.children_working, drawn["baseline.children_trend"]),
        "children_in_school": shift(b.children_in_school, b.children_5_17,
                                    drawn["baseline.school_trend"]),
        "households_above_living_income": above,
        "mean_income_usd": income,
        "incidents": grow(b.incidents, drawn["baseline.incident_trend"]),
        "fair_cobalt_tonnes": fair,
        "credits_usd": fair * (drawn["credits.uptake"] * drawn["credits.price"])[:, None],
    }


def share_path(share: float, trend: np.ndarray, years: np.ndarray) -> np.ndarray:
    """A share moving at ``trend`` points per year from ``share``, slowing as it nears 100%
    (or 0% when falling) so that it never crosses it: 1 - (1 - s) exp(-trend t / (1 - s)),
    or s exp(trend t / s). Its slope today is ``trend``. Shape (draws, years)."""
    trend, t = trend[:, None], years[None, :]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rising = 1 - (1 - share) * np.exp(-np.maximum(trend, 0) * t / (1 - share))
        falling = share * np.exp(np.minimum(trend, 0) * t / share)
    rising = rising if share < 1 else np.ones_like(rising)
    falling = falling if share > 0 else np.zeros_like(falling)
    return np.where(trend >= 0, rising, falling)


def _added(baseline: Baseline, drawn: Mapping[str, np.ndarray], base: dict[str, np.ndarray],
           effective: dict[str, np.ndarray], exposure: dict[str, np.ndarray],
           fair_added: np.ndarray, credit_per_tonne: np.ndarray,
           income_growth: np.ndarray) -> dict[str, np.ndarray]:
    """The improvement over the baseline per outcome, never more than everyone."""
    b = baseline

    def column(name: str) -> np.ndarray:
        return drawn[name][:, None]

    def fraction(count: np.ndarray, total: float) -> np.ndarray:
        return np.minimum(count / total, 1) if total > 0 else np.zeros_like(count)

    # children leave child labour through case management or school support; the two act on
    # the same children independently, so together they never exceed all of them
    by_cases = fraction(effective["child_labour"] * column("child_labour.effect"),
                        b.children_working)
    by_school = fraction(effective["education"] * column("education.work_effect"),
                         b.children_working)
    children_out = base["children_working"] * (1 - (1 - by_cases) * (1 - by_school))

    in_school = np.minimum(effective["education"] * column("education.effect"),
                           np.maximum(b.children_5_17 - base["children_in_school"], 0))

    # enrolled households gain the income effect; those within that gain below the living
    # income (in that year's income distribution) cross it, or fall below it if it is negative
    gain = column("livelihoods.effect")
    line = b.living_income_usd
    crossing = (b.share_below(line / income_growth)
                - b.share_below((line - gain) / income_growth))
    households = effective["livelihoods"]
    above = base["households_above_living_income"]
    lifted = np.clip(households * crossing, -above, b.households - above)
    income = households * gain / b.households if b.households else 0 * households

    safe_share = fraction(exposure["safety"], b.active_pits)
    averted = base["incidents"] * safe_share * column("safety.effect")

    return {
        "children_working": children_out,
        "children_in_school": in_school,
        "households_above_living_income": lifted,
        "mean_income_usd": income,
        "incidents": averted,
        "fair_cobalt_tonnes": fair_added,
        "credits_usd": fair_added * credit_per_tonne[:, None],
    }


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


def _start_levels(baseline: Baseline) -> dict[str, float]:
    """Today's level of each outcome: year 0 of the charts."""
    b = baseline
    return {
        "children_working": b.children_working,
        "children_in_school": b.children_in_school,
        "households_above_living_income": b.households_above_living_income,
        "mean_income_usd": b.income_usd / b.households if b.households else 0.0,
        "incidents": b.incidents,
        "fair_cobalt_tonnes": b.fair_cobalt_tonnes,
        "credits_usd": b.credit_usd,
    }


def simulate(scenario: Scenario, baseline: Baseline, assumptions: Sequence[Assumption],
             draws: int = DRAWS, seed: int = SEED, horizon: int = MAX_HORIZON) -> Projection:
    """Sample the scenario's assumptions and project: the whole Monte Carlo in one call."""
    return project(scenario, baseline, sample(scenario.apply(assumptions), draws, seed), horizon)


# -- summaries ------------------------------------------------------------------------------

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
