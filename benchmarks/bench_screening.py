"""Problem-site screening at demo and sector scale (`python -m benchmarks.bench_screening`).

Prints, side by side for the demo (40 sites) and the sector-scale database (3,000 sites): the
time of the screening queries, of one evaluation of every rule and measure, of the page's whole
screening (two evaluation dates), of ranking the list, and how many sites are flagged. Times
are medians of warm runs; the machine is shared, so read the ratios more than the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path

from benchmarks.bench_queries import ROOT, build, timed
from dashboard import db
from dashboard.screening import watchlist
from dashboard.screening.config import load_config


def measure(database: Path, as_of: dt.date) -> dict[str, float]:
    os.environ["FCA_DB"] = str(database)
    db.reset()
    config = load_config()
    lookback = config.lookback_days()
    data = watchlist.load_data(db.run, as_of, lookback)
    result = watchlist.screen(db.run, as_of, config)
    rules = time.perf_counter()
    for _, rule in config.rules.values():
        rule.check(data, as_of)
    rules = (time.perf_counter() - rules) * 1000
    return {
        "sites": len(data.sites),
        "queries (ms)": timed(lambda: watchlist.load_data(db.run, as_of, lookback), repeat=3),
        "rules, one pass (ms)": rules,
        "evaluation, one date (ms)": timed(lambda: watchlist.evaluate(data, as_of, config),
                                           repeat=3),
        "screen, two dates (ms)": timed(lambda: watchlist.screen(db.run, as_of, config),
                                        repeat=3),
        "ranked list (ms)": timed(lambda: watchlist.ranked(result, "en"), repeat=3),
        "sites flagged": watchlist.counts(result).sites,
        "flags": len(result.now.flags),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_screening")
    parser.add_argument("--sector-db", type=Path, default=ROOT / "data" / "sector.duckdb")
    args = parser.parse_args()
    as_of = dt.date(2026, 10, 31)
    demo = ROOT / "benchmarks" / "out" / "demo.duckdb"
    if not demo.exists():
        build(demo, "demo")
    columns = {"demo": measure(demo, as_of)}
    if args.sector_db.exists():
        columns["sector"] = measure(args.sector_db, as_of)
    else:
        print(f"(no sector database at {args.sector_db}: `make sector` builds it)")
    print(f"\nscreening as of {as_of}, warm, median of 3")
    print(f"  {'':28s}" + "".join(f"{name:>12s}" for name in columns)
          + ("       ratio" if len(columns) == 2 else ""))
    for key in columns["demo"]:
        values = [columns[name][key] for name in columns]
        ratio = f"{values[1] / values[0]:11.1f}x" if len(values) == 2 and values[0] else ""
        print(f"  {key:28s}" + "".join(f"{v:12,.0f}" for v in values) + ratio)


if __name__ == "__main__":
    main()
