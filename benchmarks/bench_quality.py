"""Data quality page at sector scale (`python -m benchmarks.bench_quality`).

Prints the time of each query the page reads and of each computation on its result (warm,
median of 3), on the sector database, for all sites over the whole period (the page's
heaviest view).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from benchmarks.timing import timed
from dashboard import db
from dashboard.quality import completeness, duplicates, outliers

ROOT = Path(__file__).resolve().parents[1]
MEASURES = ("workers", "women", "children_under_15", "children_15_17", "active_pits",
            "covered_pits", "deepest_pit_m", "ppe_use_share")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_quality")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "sector.duckdb")
    args = parser.parse_args()
    os.environ["FCA_DB"] = str(args.db)
    db.reset()
    params = {"province": None, "site_id": None}
    start, end = dt.date(2020, 1, 1), dt.date(2026, 10, 31)
    print(f"data quality page, {args.db.name}, warm, median of 3 (ms):")
    frames = {}
    for name, extra in (("quality_sites", {"end": end}),
                        ("quality_visit_months", {"start": start, "end": end}),
                        ("quality_missing", {"start": start, "end": end}),
                        ("quality_duplicates", {}), ("data_sources", {})):
        values = params | extra if name != "data_sources" else {}
        frames[name] = db.run(name, **values)
        ms = timed(lambda name=name, values=values: db.run(name, **values), repeat=3)
        print(f"  query {name:32s} {ms:9.1f}  ({len(frames[name]):,} rows)")
    sites, months = frames["quality_sites"], frames["quality_visit_months"]
    steps = {
        "visit completeness": lambda: completeness.visit_completeness(sites, months, start, end),
        "missing by field": lambda: completeness.missing_by_field(frames["quality_missing"]),
        "missing by site": lambda: completeness.missing_by_site(frames["quality_missing"], sites),
        "freshness": lambda: completeness.freshness(sites, end),
        "outliers (8 measures)": lambda: outliers.outliers(months, MEASURES),
        "duplicates by site": lambda: duplicates.by_site(frames["quality_duplicates"], sites),
    }
    for label, step in steps.items():
        print(f"  compute {label:30s} {timed(step, repeat=3):9.1f}")


if __name__ == "__main__":
    main()
