"""The funding model's assumptions (pure): the reviewed file, its ranges, their distributions.

``dashboard/registry/scenario_assumptions.toml`` lists every uncertain input of the model
(costs, effects, ramp-up, decay, baseline trends, Cobalt Credits, overhead) as a 90% interval
[low, high] with a distribution and its source, and the plausibility bounds every range must
stay within, with their reason (by role, or the assumption's own). ``load_registry`` reads and
checks it, naming the entry, field, value and rule of any mistake. ``range_rule`` is the one
check of a range, shared by the file, the URL and the assumptions editor. ``sample`` draws
every assumption from its distribution (lognormal, a beta fitted to the interval, normal or
fixed); each assumption has its own random stream, so editing one range moves only its own
draws.
"""

from __future__ import annotations

import functools
import math
import tomllib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy import optimize, special

ASSUMPTIONS_FILE = Path(__file__).parents[1] / "registry" / "scenario_assumptions.toml"

# Workstreams that receive a share of the budget; "management" is the overhead assumption.
WORKSTREAMS = ("child_labour", "education", "livelihoods", "safety", "formalisation")
DISTRIBUTIONS = ("lognormal", "beta", "normal", "fixed")
ROLES = ("cost", "effect", "ramp", "decay", "trend", "revenue", "overhead")
# The trends the no-new-funding baseline continues, each the ``derived`` value of its
# assumption (baseline.<trend>): (kind, numerator, denominator) of the levels the data give
# (dashboard.scenario.baseline.LEVELS), a relative change of a level or of a ratio, or a
# change in points of a share.
TRENDS = {
    "children_trend": ("relative", "children_working", None),
    "school_trend": ("points", "children_in_school", "children_5_17"),
    "income_trend": ("relative", "income_usd", "households"),
    "incident_trend": ("relative", "incidents", None),
    "fair_share_trend": ("points", "fair_cobalt_tonnes", "cobalt_tonnes"),
}

DRAWS = 10_000
SEED = 20_200_801  # the FCA's launch, August 2020: any fixed number would do
# an assumption built without the file's bounds (tests, code) is bounded by this only
MAX_VALUE = 1e9
Z95 = 1.6448536269514722  # standard normal 95th percentile: a 90% interval is +-Z95 sd


@dataclass(frozen=True)
class Bounds:
    """Where an assumption's range must lie to be plausible, and why (both languages)."""

    low: float
    high: float
    reason_en: str = ""
    reason_fr: str = ""

    def reason(self, language: str) -> str:
        return getattr(self, f"reason_{language}")


UNBOUNDED = Bounds(-MAX_VALUE, MAX_VALUE)


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
    bounds: Bounds = UNBOUNDED

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
BOUNDS_FIELDS = ("low", "high", "reason_en", "reason_fr")


@functools.cache
def load_registry(path: Path = ASSUMPTIONS_FILE) -> Registry:
    """Read and check the assumptions file; raise ``AssumptionError`` naming what is wrong."""
    raw = tomllib.loads(Path(path).read_text())
    by_role = _role_bounds(raw.get("bounds"), Path(path).name)
    assumptions = [
        _assumption(entry, f"{Path(path).name}, assumption {index} ({entry.get('id', '?')})",
                    by_role)
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


def _role_bounds(table: object, name: str) -> dict[str, Bounds]:
    """The [bounds.<role>] tables: every role needs its bounds and their reason."""
    if not isinstance(table, dict):
        raise AssumptionError(f"{name}: the [bounds.<role>] tables are missing (one per role: "
                              f"{', '.join(ROLES)}).")
    absent = [role for role in ROLES if role not in table]
    if absent:
        raise AssumptionError(f"{name}: no [bounds.<role>] for {', '.join(absent)}.")
    unknown = sorted(set(table) - set(ROLES))
    if unknown:
        raise AssumptionError(f"{name}: [bounds.{unknown[0]}] is not a role "
                              f"({', '.join(ROLES)}).")
    return {role: _bounds(table[role], f"{name}, [bounds.{role}]") for role in ROLES}


def _bounds(entry: object, where: str) -> Bounds:
    if not isinstance(entry, dict):
        raise AssumptionError(f"{where}: bounds are a table ({', '.join(BOUNDS_FIELDS)}).")
    missing = [field for field in BOUNDS_FIELDS if field not in entry]
    if missing:
        raise AssumptionError(f"{where}: missing field(s) {', '.join(missing)}.")
    for field in ("low", "high"):
        value = entry[field]
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not abs(value) <= MAX_VALUE:
            raise AssumptionError(f"{where}: {field} = {value!r} is not a number within "
                                  f"+-{MAX_VALUE:.0e}.")
    if entry["low"] >= entry["high"]:
        raise AssumptionError(f"{where}: low = {entry['low']} must be below high = "
                              f"{entry['high']}.")
    for field in ("reason_en", "reason_fr"):
        if not str(entry[field]).strip():
            raise AssumptionError(f"{where}: {field} is empty: a bound states its reason.")
    return Bounds(float(entry["low"]), float(entry["high"]), entry["reason_en"],
                  entry["reason_fr"])


def _assumption(entry: dict, where: str, by_role: dict[str, Bounds] | None = None
                ) -> Assumption:
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
    fields = {name: entry.get(name, "") for name in Assumption.__annotations__
              if name != "bounds"}
    bounds = (_bounds(entry["bounds"], f"{where}, bounds") if "bounds" in entry
              else (by_role or {}).get(entry["role"], UNBOUNDED))
    assumption = Assumption(**{**fields, "low": float(entry["low"]), "high": float(entry["high"]),
                               "bounds": bounds})
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
    "implausible": "values must lie within the assumption's plausibility bounds",
    "no_fit": "no beta distribution has these 5th and 95th percentiles",
}


def range_rule(assumption: Assumption, low: float, high: float) -> str | None:
    """The rule a [low, high] range breaks for this assumption, or None when it is valid.

    The distribution's own rules come first (they say more), then the plausibility bounds
    (which also refuse NaN), then whether a beta distribution fits.
    """
    if low > high:
        return "low_above_high"
    kind = assumption.distribution
    if kind == "fixed" and low != high:
        return "not_fixed"
    if kind == "lognormal" and low <= 0:
        return "not_positive"
    if kind == "beta" and not (0 <= low == high <= 1 or 0 < low < high < 1):
        return "not_a_share"
    bounds = assumption.bounds
    if not (bounds.low <= low <= bounds.high and bounds.low <= high <= bounds.high):
        return "implausible"
    if kind == "beta" and low != high and beta_parameters(low, high) is None:
        return "no_fit"
    return None


@functools.lru_cache(maxsize=1024)
def beta_parameters(low: float, high: float) -> tuple[float, float] | None:
    """Beta(a, b) whose 5th and 95th percentiles are low and high (None if none is found).

    A fit is accepted when its percentiles match (within 1e-6 of the range), whatever the
    solver says of its own progress: at an exact fit such as [0.05, 0.95] = Beta(1, 1) the
    solver stops with "not making good progress" although it has nothing left to improve.
    """
    mean, sd = (low + high) / 2, (high - low) / (2 * Z95)
    concentration = max(mean * (1 - mean) / sd**2 - 1, 0.5)
    start = np.log([mean * concentration, (1 - mean) * concentration])

    def miss(log_ab):
        a, b = np.exp(log_ab)
        return [special.betaincinv(a, b, 0.05) - low, special.betaincinv(a, b, 0.95) - high]

    solution = optimize.root(miss, start, method="hybr")
    if not np.all(np.isfinite(solution.x)) or \
            max(abs(v) for v in miss(solution.x)) > 1e-6 * max(high, 1e-3):
        return None
    a, b = np.exp(solution.x)
    return float(a), float(b)


def share_below_zero(distribution: str, low: float, high: float) -> float:
    """The share of draws below zero: non-zero only for a normal range, whose tails are
    unbounded (a range of gains, 2 to 16, still gives a few draws a loss)."""
    if distribution != "normal" or low == high:
        return 0.0
    mean, sd = (low + high) / 2, (high - low) / (2 * Z95)
    return float(special.ndtr(-mean / sd))


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
    """Each assumption's median value."""
    return {a.id: float(quantile(a, 0.5)) for a in assumptions}


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
