"""Build and query benchmarks (`python -m benchmarks.bench_queries`).

Prints, in one run and side by side: demo and sector build times and sizes, then the time of
the pages' queries at sector scale (reading rollups) next to the same figures computed from the
fact tables, so the ratio shows what the rollups buy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path

import duckdb

from benchmarks.timing import timed
from dashboard import db
from dashboard.build import write_database
from dashboard.demo import generate
from dashboard.indicators.registry import FAMILIES

ROOT = Path(__file__).resolve().parents[1]
FILTERS = {"province": None, "site_id": None, "start": dt.date(2020, 1, 1),
           "end": dt.date(2026, 10, 31)}
# the same figure two ways: from the rollup (what pages read) and from the fact table
SIDE_BY_SIDE = {
    "fair cobalt share by month": (
        "indicator_supply_share",
        {"numerator": "fair_cobalt_tonnes", "denominator": "cobalt_tonnes"},
        """SELECT date_trunc('month', sold_on) AS period,
                  sum(cobalt_tonnes) FILTER (WHERE meets_fair_criteria) / sum(cobalt_tonnes)
           FROM supply GROUP BY 1 ORDER BY 1"""),
    "share above living income by round": (
        "indicator_survey_ratio",
        {"numerator": "w_above_living_income", "denominator": "w_households"},
        """SELECT round_id, sum(sampling_weight) FILTER (WHERE income_mining_usd
                  + income_non_mining_usd >= 193) / sum(sampling_weight)
           FROM household_survey GROUP BY 1 ORDER BY 1"""),
}


def build(path: Path, scale: str) -> float:
    started = time.perf_counter()
    write_database(path, lambda con: generate(con, scale))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_queries")
    parser.add_argument("--sector-db", type=Path, default=ROOT / "data" / "sector.duckdb")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the sector database")
    args = parser.parse_args()

    demo = ROOT / "benchmarks" / "out" / "demo.duckdb"
    print(f"demo build: {build(demo, 'demo'):.1f} s, {demo.stat().st_size / 1e6:.1f} MB")
    if args.rebuild or not args.sector_db.exists():
        print(f"sector build: {build(args.sector_db, 'sector'):.1f} s, "
              f"{args.sector_db.stat().st_size / 1e6:.0f} MB")

    os.environ["FCA_DB"] = str(args.sector_db)
    db.reset()
    print("\nsector scale, warm, median of 5 (ms):")
    for name in db.query_names():
        query = db.load_query(name)
        # a family query with the first measure it knows
        measure = {part: names[0] for part, names in FAMILIES.get(name, {}).items()}
        params = {k: FILTERS.get(k) for k in query.parameters} | measure
        print(f"  {name:45s} {timed(lambda: db.run(name, **params)):8.1f}")

    print("\nrollup vs fact table (ms):")
    with duckdb.connect(str(args.sector_db), read_only=True) as con:
        for label, (query, measure, fact_sql) in SIDE_BY_SIDE.items():
            params = {k: FILTERS.get(k) for k in db.load_query(query).parameters} | measure
            rollup = timed(lambda: db.run(query, **params))
            facts = timed(lambda: con.execute(fact_sql).fetchall())
            print(f"  {label:38s} rollup {rollup:7.1f}  facts {facts:8.1f}  "
                  f"ratio {facts / rollup:6.1f}x")


if __name__ == "__main__":
    main()
