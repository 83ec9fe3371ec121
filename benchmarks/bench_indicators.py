"""Indicator benchmarks (`python -m benchmarks.bench_indicators [--sector-db PATH]`).

At sector scale (3,000 sites, 2 M interviews, 20 M lots), prints in one run:

- each indicator query as the Objective trends page runs it (programme sites, the whole
  period, unsplit), and the page's cost for each objective's key indicators and for all of
  them (the Overview runs the key ones);
- side by side, what the rollups and choices of this issue cost or buy: a survey share from
  the site_round_head_gender rollup against the same share from the interviews, the Supply
  view's buyer-month table from site_buyer_month against the lots, and the weighted median
  income against an unweighted one; and (issue 14) the survey queries with their design-based
  variance against the point estimates alone.

Issue 14 (design-based survey intervals), sector database (2 M interviews), warm, median of
5, on the shared 2-core machine under load from other work (non-survey queries, unchanged by
issue 14, ran up to 2x slower in the second run, so compare the side-by-side lines, which run
together). Before: main at 75220f6; after: this branch, schema 7. ms:

                                           before    after
  children_working_in_mining                  7.6     27.4
  food_insecurity                             7.4     18.2
  mean_household_income                       7.3     26.7
  median_household_income                   199.7    292.2
  fair_cobalt_share (not survey: the load)    8.9     16.0
  income tab, key indicators                214.5    325.6
  child_labour tab, key indicators           26.8     66.1
  overview (14 key indicators)              314.8    528.7
  side by side in the after run: children in mining, design-based 15.4 vs share only 4.4;
  median income with Woodruff's interval 292.1 vs the median only 192.5 (after the median's
  one-pass rewrite, on a heavier load: 784.8 vs 552.9, 1.4x).
  Building the site_round_design rollup at sector scale: 140-185 s (1.68 M rows: one per site,
  round and measure), on top of the other rollups; 13-23 s since its rewrite
  (benchmarks/bench_design_rollup.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import duckdb

from benchmarks.timing import timed
from dashboard import db
from dashboard.indicators import statistics, views

ROOT = Path(__file__).resolve().parents[1]
START, END = dt.date(2020, 1, 1), dt.date(2026, 10, 31)
# an indicator (by id) or a query (by name), and the alternative
SIDE_BY_SIDE = {
    "households above living income, by round": (
        "share_above_living_income",
        """SELECT r.fielded_from, sum(sampling_weight) FILTER (WHERE income_mining_usd
                  + income_non_mining_usd >= 193) / sum(sampling_weight), count(*)
           FROM household_survey JOIN survey_rounds AS r USING (round_id)
           WHERE site_id IN (SELECT site_id FROM sites WHERE programme_status = 'programme')
           GROUP BY 1 ORDER BY 1"""),
    "supply by buyer and month": (
        "supply_by_buyer_month",
        """SELECT date_trunc('month', sold_on), buyer, count(*), sum(cobalt_tonnes),
                  sum(cobalt_tonnes) FILTER (WHERE meets_fair_criteria),
                  sum(cobalt_tonnes * price_usd_per_t)
           FROM supply
           WHERE site_id IN (SELECT site_id FROM sites WHERE programme_status = 'programme')
           GROUP BY ALL"""),
    # issue 14: the design-based variance against the point estimate alone (before it)
    "children in mining, design-based vs share only": (
        "children_working_in_mining",
        """SELECT r.fielded_from, sum(x.w_children_in_mining) / sum(x.w_children_5_17),
                  sum(x.n_children_5_17)
           FROM site_round_head_gender AS x JOIN survey_rounds AS r USING (round_id)
           WHERE x.site_id IN (SELECT site_id FROM sites WHERE programme_status = 'programme')
           GROUP BY 1 ORDER BY 1"""),
    "median income, Woodruff interval vs median only": (
        "median_household_income",
        """WITH h AS (SELECT r.fielded_from AS period,
                             income_mining_usd + income_non_mining_usd AS income,
                             sampling_weight AS weight
                      FROM household_survey JOIN survey_rounds AS r USING (round_id)
                      WHERE site_id IN (SELECT site_id FROM sites
                                        WHERE programme_status = 'programme')),
                c AS (SELECT period, income,
                             sum(weight) OVER (PARTITION BY period ORDER BY income ROWS
                                 BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS up_to,
                             sum(weight) OVER (PARTITION BY period) AS total FROM h)
           SELECT period, min(income) FILTER (WHERE up_to >= total / 2), count(*)
           FROM c GROUP BY period ORDER BY period"""),
    "median household income (weighted vs not)": (
        "median_household_income",
        """SELECT r.fielded_from, median(income_mining_usd + income_non_mining_usd), count(*)
           FROM household_survey JOIN survey_rounds AS r USING (round_id)
           WHERE site_id IN (SELECT site_id FROM sites WHERE programme_status = 'programme')
           GROUP BY 1 ORDER BY 1"""),
}


def page_parameters(spec: views.Spec) -> dict:
    start = statistics.load_start(spec.periodicity, spec.grain, START, START)
    return views.query_parameters(spec, {"province": None, "site_id": None,
                                                   "end": END}, start, "programme")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_indicators")
    parser.add_argument("--sector-db", type=Path, default=ROOT / "data" / "sector.duckdb",
                        help="a sector-scale database of this schema version (`make sector`)")
    args = parser.parse_args()
    os.environ["FCA_DB"] = str(args.sector_db)
    db.reset()
    try:
        registry = db.run("indicator_registry")
    except db.DatabaseUnavailable as error:
        print(f"skipped: {error}")
        return
    specs = [views.spec_from_row(row) for row in registry.itertuples()]

    print("sector scale, each indicator query as the trends page runs it, warm, median of 5 (ms):")
    cost: dict[str, float] = {}
    for spec in specs:
        params = page_parameters(spec)
        cost[spec.id] = timed(lambda: db.run(spec.query, **params))
        print(f"  {spec.id:32s} {cost[spec.id]:8.1f}")

    print("\nper objective: key indicators (what a tab opens with) and all its indicators (ms):")
    for objective in views.OBJECTIVES:
        ids = [s.id for s in specs if s.objective == objective]
        key = sum(cost[s.id] for s in specs if s.objective == objective and s.headline)
        print(f"  {objective:14s} key {key:8.1f}   all {sum(cost[i] for i in ids):8.1f}")
    overview = sum(cost[s.id] for s in specs if s.headline)
    print(f"  overview (every key indicator): {overview:.1f} ms, "
          f"{sum(s.headline for s in specs)} queries")

    print("\nrollup or choice of this issue vs the alternative (ms):")
    with duckdb.connect(str(args.sector_db), read_only=True) as con:
        for label, (key, other_sql) in SIDE_BY_SIDE.items():
            spec = next((s for s in specs if s.id == key), None)
            query = spec.query if spec else key
            params = page_parameters(spec) if spec else {
                "province": None, "site_id": None, "programme_status": "programme",
                "start": START, "end": END}
            ours = timed(lambda: db.run(query, **params))
            other = timed(lambda: con.execute(other_sql).fetchall())
            print(f"  {label:44s} ours {ours:8.1f}  other {other:8.1f}  "
                  f"ratio {other / ours:6.2f}x")


if __name__ == "__main__":
    main()
