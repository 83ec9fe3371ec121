"""Survey rounds, funding and activities, and the per-site plans that DuckDB expands into the
large tables (household interviews and supply lots, see demo/sql/)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.demo.config import (
    BUDGET_SHARES,
    BUDGET_USD_BY_YEAR,
    CDF_PER_USD,
    DONORS,
    Scale,
)


def survey_rounds(start: dt.date, until: dt.date) -> pd.DataFrame:
    """Two household survey rounds a year: March-April and September-October."""
    rows = []
    for year in range(start.year, until.year + 1):
        for number, (month_from, month_to) in enumerate(((3, 4), (9, 10)), start=1):
            fielded_to = dt.date(year, month_to, 15)
            if fielded_to <= until:
                rows.append({"round_id": f"{year}-R{number}", "label": f"{year} round {number}",
                             "fielded_from": dt.date(year, month_from, 1),
                             "fielded_to": fielded_to})
    return pd.DataFrame(rows)


def site_round_plan(panel: pd.DataFrame, rounds: pd.DataFrame, scale: Scale,
                    rng: np.random.Generator) -> pd.DataFrame:
    """How many households to interview per site and round, and the site's state then."""
    at_round = pd.to_datetime(rounds["fielded_from"])
    plan = panel[panel["month"].isin(at_round)].merge(
        rounds.assign(month=at_round), on="month")
    size = plan["z_workers"].to_numpy(float)
    if scale.name == "demo":
        expected = 4 + np.sqrt(size) / 4
    else:
        expected = scale.households_per_round * np.sqrt(size) / np.sqrt(size).mean()
    plan["n_households"] = np.maximum(3, rng.poisson(expected))
    # a rotating panel: each site has a pool of households, revisited across rounds
    plan["pool"] = plan.groupby("site_id")["n_households"].transform("max") * 2
    # roughly one household per 1.25 workers lives off the site
    plan["weight"] = size / 1.25 / plan["n_households"]
    plan["fx"] = plan["month"].dt.year.map(CDF_PER_USD).astype(float)
    plan["site_index"] = plan["site_id"].str[4:].astype(int)
    plan["round_index"] = plan["round_id"].rank(method="dense").astype(int)
    return plan[["site_id", "site_index", "round_id", "round_index", "fielded_from",
                 "n_households", "pool", "weight", "fx", "income_median", "nonmining", "vsla",
                 "school",
                 "child_mining", "food", "effect"]]


def site_month_supply_plan(panel: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """Expected number of lots per site and month, with the month's trading conditions."""
    plan = panel.assign(
        n_lots=np.round(panel["workers"] * scale.lots_per_worker_month).astype(int),
        site_index=panel["site_id"].str[4:].astype(int),
        month_index=(panel["month"].dt.year - 2000) * 12 + panel["month"].dt.month,
        is_programme=panel["enrolled_on"].notna()
        & (panel["month"] >= pd.to_datetime(panel["enrolled_on"])),
    )
    return plan.loc[plan["n_lots"] > 0, [
        "site_id", "site_index", "month", "month_index", "n_lots", "graded", "traced", "fair",
        "reference_price", "is_programme"]].assign(lot_ore_median=scale.lot_ore_median_t)


def funding(sites: pd.DataFrame, until: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    programme = sites[sites["enrolled_on"].notna()]
    for year, budget in BUDGET_USD_BY_YEAR.items():
        if year > until.year:
            continue
        for workstream, share in BUDGET_SHARES.items():
            amount = budget * share * rng.uniform(0.85, 1.15)
            donors = rng.choice(DONORS, size=rng.integers(1, 4), replace=False)
            parts = rng.dirichlet(np.ones(len(donors))) * amount
            enrolled = programme[pd.to_datetime(programme["enrolled_on"]).dt.year <= year]
            for donor, part in zip(donors, parts):
                site = (rng.choice(enrolled["site_id"]) if len(enrolled) and rng.random() < 0.25
                        and workstream != "management" else None)
                paid = rng.uniform(0.9, 1.0) if year < until.year else rng.uniform(0.5, 0.8)
                rows.append({"donor": str(donor), "workstream": workstream, "year": year,
                             "committed_usd": round(part, 2),
                             "disbursed_usd": round(part * paid, 2), "site_id": site})
    table = pd.DataFrame(rows)
    table.insert(0, "funding_id", np.arange(1, len(table) + 1))
    return table


# (workstream, activity, unit, units per 1,000 workers per quarter, USD per unit,
#  beneficiaries per unit). Costs are assumptions except VSLA (USD 20 per member, Saving for
# Change, Mali) and pits (FCA H1 2024: 6 pits covered benefited 480 miners, i.e. 80 per pit).
ACTIVITY_TEMPLATES = (
    ("safety", "pits covered", "pit", 1.2, 1_800.0, 80),
    ("safety", "PPE kits distributed", "kit", 40.0, 14.0, 1),
    ("safety", "safety captains trained", "person", 1.5, 120.0, 1),
    ("livelihoods", "VSLA members enrolled", "member", 12.0, 20.0, 1),
    ("livelihoods", "non-mining livelihood starter kits", "household", 3.0, 180.0, 5),
    ("education", "school fees and kits", "child", 8.0, 95.0, 1),
    ("formalisation", "independent grading sessions", "session", 2.0, 250.0, 40),
    ("child_labour", "community awareness sessions", "session", 1.0, 150.0, 60),
)


# The programme output each activity's units count towards (activities.output); the others
# support their workstream without delivering one of the outputs the Funding page reports.
ACTIVITY_OUTPUTS = {
    "school fees and kits": "children_in_school",
    "VSLA members enrolled": "households_in_savings_groups",
    "pits covered": "pits_made_safe",
    "safety captains trained": "safety_captains_trained",
}


def activities(panel: pd.DataFrame, until: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    """Quarterly programme activities at enrolled sites, more as the programme matures."""
    last_quarter = pd.Timestamp(until) - pd.Timedelta(days=45)
    quarters = panel[(panel["effect"] > 0) & panel["month"].dt.month.isin((1, 4, 7, 10))
                     & (panel["month"] <= last_quarter)]
    frames = []
    for workstream, activity, unit, per_1000, cost, beneficiaries in ACTIVITY_TEMPLATES:
        units = rng.poisson(quarters["workers"] / 1000 * per_1000 * (0.5 + quarters["effect"]))
        done = quarters.assign(units=units)[units > 0]
        frames.append(pd.DataFrame({
            "site_id": done["site_id"],
            "workstream": workstream,
            "activity": activity,
            "happened_on": (done["month"] + pd.to_timedelta(45, unit="D")).dt.date,
            "units": done["units"],
            "unit": unit,
            "beneficiaries": done["units"] * beneficiaries,
            "cost_usd": (done["units"] * cost * rng.uniform(0.8, 1.2, len(done))).round(2),
        }))
    table = pd.concat(frames, ignore_index=True).sort_values(
        ["happened_on", "site_id", "activity"], kind="stable").reset_index(drop=True)
    table.insert(0, "activity_id", np.arange(1, len(table) + 1))
    table["output"] = table["activity"].map(ACTIVITY_OUTPUTS)
    return table
