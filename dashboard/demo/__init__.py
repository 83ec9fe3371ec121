"""Deterministic synthetic data for the dashboard: same seed, same data.

Small tables are sampled with numpy from a latent monthly state per site (demo/panel.py); the
two large ones (household interviews, supply lots) are expanded by DuckDB itself from per-site
plans, with hash-based random numbers (demo/sql/), so the sector scale builds in minutes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np

from dashboard.demo import alliance, milestones, programme
from dashboard.demo import panel as panel_model
from dashboard.demo.config import (
    CREDIT_USD_PER_TONNE,
    CREDITS_START,
    DEMO_START,
    DEMO_UNTIL,
    SCALES,
    VSLA_SAVINGS_PER_MONTH_USD,
)
from dashboard.demo.sites import SITE_COLUMNS, site_frame

SQL_DIR = Path(__file__).parent / "sql"


def generate(con: duckdb.DuckDBPyConnection, scale: str = "demo", seed: int = 42,
             until: dt.date = DEMO_UNTIL, log=lambda message: None) -> dict[str, str]:
    """Fill the (empty) tables of ``con`` with synthetic data; return metadata entries."""
    plan = SCALES[scale]
    rng = np.random.default_rng(seed)
    sites = site_frame(plan, rng)
    panel = panel_model.site_month_panel(sites, DEMO_START, until)
    rounds = programme.survey_rounds(DEMO_START, until)
    organisations, memberships = alliance.memberships(seed, until)

    small_tables = {
        "sites": sites[list(SITE_COLUMNS)],
        "site_visits": panel_model.visits(panel, plan, rng),
        "incidents": panel_model.incidents(panel, until, rng),
        "child_cases": panel_model.child_cases(panel, until, rng),
        "survey_rounds": rounds,
        # cash as before, then in kind from its own random stream
        "funding": alliance.with_in_kind(programme.funding(sites, until, rng), seed, until),
        "activities": programme.activities(panel, until, rng),
        # its own random stream: adding it left every other table as it was
        "site_milestones": milestones.site_milestones(sites, seed, until),
        "organisations": organisations,
        "memberships": memberships,
    }
    for table, frame in small_tables.items():
        log(f"{table}: {len(frame):,} rows")
        _insert(con, table, frame)

    con.execute(_sql("random"))
    con.register("gen_site_rounds", programme.site_round_plan(panel, rounds, plan, rng))
    con.execute(_sql("households"), {"seed": seed, "vsla_saving": VSLA_SAVINGS_PER_MONTH_USD})
    log("household_survey: done")
    con.register("gen_site_months", programme.site_month_supply_plan(panel, plan))
    con.execute(_sql("supply"), {"seed": seed})
    log("supply: done")
    con.execute(_sql("credits"), {"seed": seed, "credits_start": CREDITS_START, "until": until,
                                  "usd_per_tonne": CREDIT_USD_PER_TONNE})
    con.unregister("gen_site_rounds")
    con.unregister("gen_site_months")
    return {"synthetic": "true", "generator": "dashboard.demo", "scale": scale,
            "seed": str(seed), "data_from": DEMO_START.isoformat(), "data_until": until.isoformat()}


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame) -> None:
    columns = ", ".join(frame.columns)
    con.register("incoming", frame)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    con.unregister("incoming")


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()
