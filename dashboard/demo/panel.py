"""The latent monthly state of every site, and the small fact tables sampled from it.

A site's state moves for three reasons: the programme (after enrolment, improvements build up
as 1 - exp(-months / tau), scaled by the site's efficacy), a slow sector-wide drift, and, at a
few planted sites, a deterioration. The rainy season (November to March) brings fewer workers,
more flooding and collapses, and more missed visits. These are modelling assumptions.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.demo.config import (
    CASE_RESOLUTION_MEDIAN_DAYS,
    COBALT_PRICE_USD_PER_T,
    DIGGERS_PER_PIT,
    REFERENCE_PAYABLE,
    Scale,
)

RAINY_MONTHS = (11, 12, 1, 2, 3)
# incidents per 1,000 workers per year before the programme: assumptions of the order of the
# Amnesty (2016) count of at least 80 deaths a year among 100,000-200,000 artisanal miners
FATAL_PER_1000_YEAR = 0.45
INJURY_PER_1000_YEAR = 6.0


def month_starts(start: dt.date, until: dt.date) -> pd.DatetimeIndex:
    return pd.date_range(start, until, freq="MS")


def _months_between(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later.dt.year - earlier.dt.year) * 12 + (later.dt.month - earlier.dt.month)


def site_month_panel(sites: pd.DataFrame, start: dt.date, until: dt.date) -> pd.DataFrame:
    """One row per site and month with the expected value of every measured quantity."""
    months = month_starts(start, until)
    panel = sites.loc[:, sites.columns.str.startswith("z_") | sites.columns.isin(
        ["site_id", "enrolled_on", "programme_status"])].merge(
        pd.DataFrame({"month": months}), how="cross")
    enrolled = pd.to_datetime(panel["enrolled_on"])
    since_enrol = _months_between(panel["month"], enrolled).fillna(-1)
    effect = np.where(since_enrol >= 0,
                      panel["z_efficacy"] * (1 - np.exp(-since_enrol / panel["z_tau_months"])), 0.0)
    lagged = np.where(since_enrol >= 6,
                      panel["z_efficacy"]
                      * (1 - np.exp(-(since_enrol - 6) / panel["z_tau_months"])),
                      0.0)
    worse_since = _months_between(panel["month"], pd.to_datetime(panel["z_worsening_from"]))
    worsening = np.clip(worse_since.fillna(-1) / 4.0, 0, 1)
    years = (panel["month"].dt.year - start.year) + (panel["month"].dt.month - 1) / 12
    rainy = panel["month"].dt.month.isin(RAINY_MONTHS)
    price = metal_price(panel["month"])

    panel = panel.assign(
        effect=effect,
        worsening=worsening,
        rainy=rainy,
        workers=panel["z_workers"] * np.where(rainy, 0.85, 1.0) * (1 + 0.1 * effect),
        child_per_1000=panel["z_child_per_1000"] * (1 - 0.75 * effect) * (1 - 0.03 * years)
        * (1 + 2.5 * worsening),
        covered=np.clip(panel["z_covered0"] + (0.88 - panel["z_covered0"]) * effect
                        - 0.3 * worsening, 0.01, 0.99),
        deep=np.clip(panel["z_deep0"] * (1 - 0.7 * effect) + 0.25 * worsening, 0.0, 0.95),
        ppe=np.clip(panel["z_ppe0"] + (0.85 - panel["z_ppe0"]) * effect - 0.3 * worsening,
                    0.02, 0.98),
        captain=np.clip(0.1 + 0.85 * effect - 0.5 * worsening, 0.0, 1.0),
        graded=np.clip(0.02 + 0.9 * lagged - 0.5 * worsening, 0.0, 1.0),
        traced=np.clip(0.05 + 0.85 * effect - 0.4 * worsening, 0.0, 1.0),
        fair=np.clip(0.92 * lagged * (1 - worsening), 0.0, 1.0),
        reference_price=price * REFERENCE_PAYABLE,
        income_median=panel["z_income0"] * (1 + 0.025 * years) * (1 + 0.35 * effect)
        * (1 - 0.3 * worsening) * (price / 40_000.0) ** 0.3,
        nonmining=np.clip(panel["z_nonmining0"] + 0.15 * effect, 0, 0.9),
        vsla=np.clip(panel["z_vsla0"] + 0.5 * effect, 0, 0.95),
        school=np.clip(panel["z_school0"] + 0.2 * effect + 0.01 * years - 0.1 * worsening,
                       0, 0.98),
        child_mining=np.clip(panel["z_child_mining0"] * (1 - 0.6 * effect)
                             * (1 + 1.5 * worsening), 0, 0.9),
        food=np.clip(panel["z_food0"] - 0.15 * effect + 0.1 * worsening, 0.05, 0.95),
        incident_factor=(1 - 0.45 * effect) * (1 + 1.5 * worsening) * np.where(rainy, 1.5, 1.0),
    )
    return panel


def metal_price(months: pd.Series) -> np.ndarray:
    half = np.where(months.dt.month <= 6, 1, 2)
    return np.array([COBALT_PRICE_USD_PER_T[(y, h)] for y, h in zip(months.dt.year, half)],
                    dtype=float)


def visits(panel: pd.DataFrame, scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    """Monitoring visits: some months are missed, more in the rainy season."""
    chance = scale.visit_probability * np.where(panel["rainy"], 0.9, 1.0)
    stopped = panel["z_visits_stop"].notna() & (
        panel["month"] >= pd.to_datetime(panel["z_visits_stop"]))
    p = panel[(rng.random(len(panel)) < chance) & ~stopped].reset_index(drop=True)
    n = len(p)
    workers = rng.poisson(p["workers"] * rng.lognormal(0, 0.1, n))
    pits = np.maximum(np.where(workers > 0, 1, 0), rng.poisson(workers / DIGGERS_PER_PIT))
    over_30 = rng.binomial(pits, p["deep"])
    ppe_a = p["ppe"] * 20
    return pd.DataFrame(
        {
            "visit_id": np.arange(1, n + 1),
            "site_id": p["site_id"],
            "visited_on": (p["month"] + pd.to_timedelta(rng.integers(0, 28, n), unit="D")).dt.date,
            "workers": workers,
            "women": rng.binomial(workers, p["z_women_share"]),
            "children_under_15": rng.poisson(workers / 1000 * p["child_per_1000"]),
            "children_15_17": rng.poisson(workers / 1000 * p["child_per_1000"] * 1.6),
            "active_pits": pits,
            "covered_pits": rng.binomial(pits, p["covered"]),
            "pits_over_30m": over_30,
            "deepest_pit_m": np.where(over_30 > 0, 30.5 + rng.exponential(12, n),
                                      rng.uniform(8, 30, n)).round(1),
            "ppe_use_share": rng.beta(ppe_a, 20 - ppe_a).round(3),
            "safety_captain_present": rng.random(n) < p["captain"],
            "independent_grading": rng.random(n) < p["graded"],
            "source": np.where(rng.random(n) < 0.05, "IPIS", "programme monitoring"),
        }
    )


INCIDENT_KINDS = ("pit_collapse", "fall", "flooding", "electrocution", "violence", "other")
INCIDENT_KIND_P = (0.35, 0.25, 0.10, 0.05, 0.10, 0.15)


def incidents(panel: pd.DataFrame, until: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    per_month = (FATAL_PER_1000_YEAR + INJURY_PER_1000_YEAR) / 12
    counts = rng.poisson(panel["workers"] / 1000 * per_month * panel["incident_factor"])
    rows = panel.loc[panel.index.repeat(counts)].reset_index(drop=True)
    n = len(rows)
    fatal = rng.random(n) < FATAL_PER_1000_YEAR / (FATAL_PER_1000_YEAR + INJURY_PER_1000_YEAR)
    table = pd.DataFrame(
        {
            "site_id": rows["site_id"],
            "occurred_on": (rows["month"]
                            + pd.to_timedelta(rng.integers(0, 28, n), unit="D")).dt.date,
            "kind": rng.choice(INCIDENT_KINDS, n, p=INCIDENT_KIND_P),
            "fatalities": np.where(fatal, 1 + rng.poisson(0.3, n), 0),
            "injuries": rng.poisson(0.8, n) + np.where(fatal, 0, 1),
        }
    )
    table = pd.concat([table, _planted_fatal_incidents(panel, until)], ignore_index=True)
    table = table.sort_values(["occurred_on", "site_id"], kind="stable").reset_index(drop=True)
    table.insert(0, "incident_id", np.arange(1, len(table) + 1))
    return table


def _planted_fatal_incidents(panel: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """A pit collapse 40 days before the end at the first two deteriorating sites (the named
    ones, Luilu and Kawama, come first), so "a fatal incident in the last 90 days" is true."""
    worsening = panel.loc[panel["z_worsening_from"].notna(), "site_id"].unique()[:2]
    day = until - dt.timedelta(days=40)
    return pd.DataFrame({"site_id": worsening, "occurred_on": day, "kind": "pit_collapse",
                         "fatalities": 2, "injuries": 3})


AGE_BANDS = ("5-11", "12-14", "15-17")
ACTIVITIES = ("digging", "washing", "sorting", "carrying", "trading", "other")


def child_cases(panel: pd.DataFrame, until: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    """Referral cases at programme sites: identified, remediated, resolved, some relapse."""
    active = panel[panel["enrolled_on"].notna()
                   & (panel["month"] >= pd.to_datetime(panel["enrolled_on"]))]
    expected_children = active["workers"] / 1000 * active["child_per_1000"] * 2.6
    counts = rng.poisson(0.35 * expected_children + 0.3)
    rows = active.loc[active.index.repeat(counts)].reset_index(drop=True)
    n = len(rows)
    identified = rows["month"] + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    age = rng.choice(AGE_BANDS, n, p=(0.25, 0.35, 0.40))
    slow = rows["z_slow_cases"].to_numpy(bool)
    started = identified + pd.to_timedelta(rng.exponential(25, n).round(), unit="D")
    median_days = np.where(slow, 2.2, 1.0) * CASE_RESOLUTION_MEDIAN_DAYS
    duration = rng.lognormal(np.log(median_days), 0.45, n)
    outcome = rng.random(n)
    resolves = outcome < np.where(slow, 0.45, 0.82)
    lost = ~resolves & (outcome < np.where(slow, 0.5, 0.88))
    resolved = started + pd.to_timedelta(duration.round(), unit="D")
    lost_on = identified + pd.to_timedelta(rng.uniform(60, 300, n).round(), unit="D")
    relapsed = resolved + pd.to_timedelta(rng.uniform(30, 270, n).round(), unit="D")
    relapses = resolves & (rng.random(n) < 0.09)
    end = pd.Timestamp(until)

    is_resolved = resolves & (resolved <= end)
    is_relapsed = is_resolved & relapses & (relapsed <= end)
    is_lost = lost & (lost_on <= end)
    status = np.select(
        [is_relapsed, is_resolved, is_lost, started <= end],
        ["relapsed", "resolved", "lost", "in_remediation"], "identified")
    last_event = np.where(is_relapsed, relapsed, np.where(is_resolved, resolved, identified))
    follow_up = np.minimum(pd.to_datetime(last_event) + pd.to_timedelta(
        rng.uniform(0, 180, n).round(), unit="D"), end)
    remediation = np.where(age == "15-17",
                           rng.choice(["vocational_training", "family_support", "cash_transfer"],
                                      n, p=(0.6, 0.25, 0.15)),
                           rng.choice(["school", "family_support", "cash_transfer"], n,
                                      p=(0.65, 0.2, 0.15)))
    table = pd.DataFrame(
        {
            "site_id": rows["site_id"],
            "identified_on": identified.dt.date,
            "age_band": age,
            "sex": np.where(rng.random(n) < 0.45, "female", "male"),
            "activity": rng.choice(ACTIVITIES, n, p=(0.2, 0.3, 0.2, 0.15, 0.1, 0.05)),
            "status": status,
            "remediation_type": np.where(started <= end, remediation, None),
            "remediation_started_on": np.where(started <= end, started.dt.date, None),
            "resolved_on": np.where(is_resolved, resolved.dt.date, None),
            "relapsed_on": np.where(is_relapsed, relapsed.dt.date, None),
            "last_follow_up_on": pd.to_datetime(pd.Series(follow_up)).dt.date,
        }
    )
    table = table.sort_values(["identified_on", "site_id"], kind="stable").reset_index(drop=True)
    table.insert(0, "case_id", [f"C{i + 1:07d}" for i in range(len(table))])
    return table
