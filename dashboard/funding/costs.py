"""Cost per output (pure): what the programme spent on a workstream over what it delivered.

Definitions (stated on the Funding page):

- spending of a workstream = what contributors disbursed to it (cash, and in kind at its
  stated value), in the years of the period;
- direct cost per output = spending of the output's workstream / the output delivered in the
  same years. Each output carries its whole workstream's spending (as GiveWell's cost per
  outcome does), so the costs of two outputs of one workstream do not add up;
- overheads = spending on programme management. They are shown apart, and allocated to the
  workstreams in proportion to their direct spending for the cost per output with overheads:
  overhead(w) = overheads x spending(w) / the spending of all workstreams but management.

Money spent in one year often delivers outputs in the next; yearly figures move for that
reason too. The scenario page's costs are direct costs (it takes the overhead apart), so
``observed_ranges`` gives it the direct cost per output of each year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.funding.outputs import OUTPUT, OUTPUTS, OVERHEAD

SINGLE_YEAR_SPREAD = 0.25  # a range around the one year observed: +-25%


def spending(contributions: pd.DataFrame) -> pd.DataFrame:
    """Disbursed USD per workstream and year (``funding_contributions`` rows summed)."""
    return contributions.groupby(["workstream", "year"], as_index=False)["disbursed_usd"].sum()


def overhead_rate(contributions: pd.DataFrame) -> float | None:
    """Overheads over direct spending (the allocation rate); None without direct spending."""
    by_workstream = contributions.groupby("workstream")["disbursed_usd"].sum()
    direct = by_workstream.drop(OVERHEAD, errors="ignore").sum()
    return float(by_workstream.get(OVERHEAD, 0.0) / direct) if direct > 0 else None


def cost_per_output(contributions: pd.DataFrame, outputs: pd.DataFrame) -> pd.DataFrame:
    """Over the whole period, per costed output: output, workstream, delivered, spending_usd,
    overhead_usd (allocated), direct_cost, full_cost (None when nothing was delivered)."""
    spent = contributions.groupby("workstream")["disbursed_usd"].sum()
    rate = overhead_rate(contributions) or 0.0
    delivered = outputs.groupby("output")["value"].sum()
    rows = []
    for output in OUTPUTS:
        if not output.costed:
            continue
        amount = float(spent.get(output.workstream, 0.0))
        count = float(delivered.get(output.id, 0.0))
        rows.append({"output": output.id, "workstream": output.workstream, "delivered": count,
                     "spending_usd": amount, "overhead_usd": amount * rate,
                     "direct_cost": amount / count if count > 0 else None,
                     "full_cost": amount * (1 + rate) / count if count > 0 else None})
    return pd.DataFrame(rows)


def yearly_costs(contributions: pd.DataFrame, outputs: pd.DataFrame) -> pd.DataFrame:
    """Per costed output and year with something delivered: output, year, delivered,
    spending_usd, direct_cost (None when the workstream had no spending that year)."""
    spent = spending(contributions)
    costed = outputs[outputs["output"].map(lambda o: OUTPUT[o].costed) & (outputs["value"] > 0)]
    table = costed.assign(workstream=costed["output"].map(lambda o: OUTPUT[o].workstream)).merge(
        spent, on=["workstream", "year"], how="left").rename(
        columns={"value": "delivered", "disbursed_usd": "spending_usd"})
    table["spending_usd"] = table["spending_usd"].fillna(0.0)
    table["direct_cost"] = (table["spending_usd"] / table["delivered"]).where(
        table["spending_usd"] > 0)
    return table[["output", "workstream", "year", "delivered", "spending_usd",
                  "direct_cost"]].reset_index(drop=True)


@dataclass(frozen=True)
class ObservedCost:
    """The range of a scenario cost assumption, from the programme's records."""

    low: float
    high: float
    first_year: int
    last_year: int
    output: str


def observed_ranges(yearly: pd.DataFrame) -> dict[str, ObservedCost]:
    """By scenario cost assumption: from the lowest to the highest yearly direct cost per
    output observed (one year only: that cost +-25%)."""
    ranges = {}
    for output in OUTPUTS:
        if not output.scenario_cost:
            continue
        years = yearly[(yearly["output"] == output.id)].dropna(subset=["direct_cost"])
        if years.empty:
            continue
        low, high = float(years["direct_cost"].min()), float(years["direct_cost"].max())
        if low == high:
            low, high = low * (1 - SINGLE_YEAR_SPREAD), high * (1 + SINGLE_YEAR_SPREAD)
        ranges[output.scenario_cost] = ObservedCost(
            round(low, 2), round(high, 2), int(years["year"].min()), int(years["year"].max()),
            output.id)
    return ranges
