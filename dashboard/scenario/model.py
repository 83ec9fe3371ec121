"""Funding scenarios: what more (or differently allocated) money would do, with its uncertainty.

Pure numpy (no Streamlit). The page builds a ``Baseline`` from the database (baseline), reads a
``Scenario`` from its widgets or its URL (url_codec), samples the ``Assumption`` ranges once
(assumptions) and calls ``project`` here; summaries and tables turn the ``Projection`` into
what it shows.

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from dashboard.scenario.assumptions import DRAWS, SEED, WORKSTREAMS, Assumption, sample
from dashboard.scenario.baseline import Baseline

SITE_SCOPES = ("programme", "comparison", "all")
MAX_HORIZON = 5
MAX_BUDGET_USD = 10_000_000  # per year: about three times the programme's largest yearly budget
BUDGET_STEP_USD = 10_000


# -- the scenario ---------------------------------------------------------------------------

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
    money: bool = False  # written as US dollars
    decimals: int = 0    # decimals its values are written with

    @property
    def d3_format(self) -> str:
        """How plotly writes its values (thousands separated, its decimals)."""
        return f",.{self.decimals}f"


OUTCOMES = (
    Outcome("children_working", "lower", "stock", ("child_labour", "education")),
    Outcome("children_in_school", "higher", "stock", ("education",)),
    Outcome("households_above_living_income", "higher", "stock", ("livelihoods",)),
    Outcome("mean_income_usd", "higher", "stock", money=True, decimals=2),
    Outcome("incidents", "lower", "flow", ("safety",), decimals=1),
    Outcome("fair_cobalt_tonnes", "higher", "flow", ("formalisation",), decimals=1),
    Outcome("credits_usd", "higher", "flow", money=True),
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
