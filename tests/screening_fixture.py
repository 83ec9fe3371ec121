"""A small database with one planted problem site and one small site high by chance.

Thirty ordinary sites of 150 to 2,000 workers are visited monthly for two years; at every visit
the children under 15 seen are Poisson with the same rate, 4 per 1,000 workers. Then:

- the planted site (FCA-0031, 1,500 workers) sees 12 per 1,000 over the last twelve months,
  and a pit collapse killed two miners 30 days before the end of the data (other incidents
  are non-fatal, 6 per 1,000 workers a year at every site);
- the chance site (FCA-0032, 20 workers) saw 4 children in its last twelve visits: 17 per
  1,000, the highest raw rate of all, from 240 workers counted, where 1 child was expected.
  Its last visit saw none, so no rule about the last visit fires.

Everything is seeded: the same file every time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.build import write_database

AS_OF = dt.date(2024, 6, 30)
FIRST_MONTH = dt.date(2022, 7, 1)
BASE_RATE = 4 / 1000
PLANTED, CHANCE = "FCA-0031", "FCA-0032"
PLANTED_RATE = 12 / 1000
CHANCE_CHILDREN = (0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0)  # last twelve visits, 4 in all


def _sites() -> pd.DataFrame:
    workers = np.linspace(150, 2000, 30).round().astype(int).tolist() + [1500, 20]
    ids = [f"FCA-{i + 1:04d}" for i in range(32)]
    names = [f"Site {i + 1:02d}" for i in range(30)] + ["Planted", "Chance"]
    return pd.DataFrame({
        "site_id": ids, "name": names,
        "province": ["Lualaba" if i % 2 else "Haut-Katanga" for i in range(32)],
        "lat": -10.7 - np.arange(32) * 0.01, "lon": 25.4 + np.arange(32) * 0.01,
        "site_type": "concession",
        "programme_status": "comparison", "source": "test fixture", "workers": workers,
    })


def _visits(sites: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    months = pd.date_range(FIRST_MONTH, AS_OF, freq="MS")
    rows = []
    for site in sites.itertuples():
        for index, month in enumerate(months):
            recent = index >= len(months) - 12
            rate = PLANTED_RATE if site.site_id == PLANTED and recent else BASE_RATE
            children = int(rng.poisson(site.workers * rate))
            if site.site_id == CHANCE:
                children = CHANCE_CHILDREN[index - (len(months) - 12)] if recent else 0
            pits = max(1, site.workers // 6)
            rows.append({"site_id": site.site_id,
                         "visited_on": (month + pd.Timedelta(days=9)).date(),
                         "workers": site.workers, "women": site.workers // 5,
                         "children_under_15": children, "children_15_17": 0,
                         "active_pits": pits, "covered_pits": pits // 2,
                         "pits_over_30m": 0, "deepest_pit_m": 20.0, "ppe_use_share": 0.5,
                         "safety_captain_present": True, "independent_grading": False,
                         "source": "test fixture"})
    visits = pd.DataFrame(rows)
    visits.insert(0, "visit_id", np.arange(1, len(visits) + 1))
    return visits


def _incidents(sites: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Non-fatal incidents at 6 per 1,000 workers a year everywhere, and the planted collapse."""
    days = (AS_OF - FIRST_MONTH).days
    rows = [{"site_id": PLANTED, "occurred_on": AS_OF - dt.timedelta(days=30),
             "kind": "pit_collapse", "fatalities": 2, "injuries": 3}]
    for site in sites.itertuples():
        for _ in range(rng.poisson(site.workers * 6 / 1000 * days / 365)):
            rows.append({"site_id": site.site_id,
                         "occurred_on": FIRST_MONTH + dt.timedelta(days=int(rng.integers(days))),
                         "kind": "fall", "fatalities": 0, "injuries": 1})
    incidents = pd.DataFrame(rows)
    incidents.insert(0, "incident_id", np.arange(1, len(incidents) + 1))
    return incidents


def fill(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rng = np.random.default_rng(7)
    sites = _sites()
    visits = _visits(sites, rng)
    for table, frame in (("sites", sites.drop(columns="workers")), ("site_visits", visits),
                         ("incidents", _incidents(sites, rng))):
        con.register("incoming", frame)
        columns = ", ".join(frame.columns)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
        con.unregister("incoming")
    return {"synthetic": "true", "generator": "tests.screening_fixture",
            "data_from": FIRST_MONTH.isoformat(), "data_until": AS_OF.isoformat()}


def build(path: Path) -> Path:
    write_database(path, fill)
    return path
