"""A scenario as URL parameters and back (pure): shared links that say what they got wrong.

The scenario lives in the URL as plain, language-independent parameters: ``budget``,
``years``, ``sites``, ``alloc_<workstream>`` and ``a_<assumption>=low~high``. ``to_query``
writes them; ``from_query`` reads them back, replacing every invalid value by the default's
and reporting it as a ``Problem`` (the parameter, its value and the rule it broke).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard.scenario.assumptions import WORKSTREAMS, Assumption, range_rule
from dashboard.scenario.model import MAX_BUDGET_USD, MAX_HORIZON, SITE_SCOPES, Scenario

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
