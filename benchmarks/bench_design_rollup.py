"""Build time of the site_round_design rollup, before and after its rewrite, in one run
(`python -m benchmarks.bench_design_rollup [--sector-db PATH] [--before REV]`).

Opens the sector database read-only (ATTACHed in an in-memory DuckDB, so nothing is written
and a database of an older schema serves: household_survey gets a NULL site_households where
it lacks one), builds the rollup with the SQL of git revision REV (before: one row per
household, numerator and denominator, joined) and with the current file (after: one row per
household and numerator, the four denominators as columns, one GROUP BY), prints both times
and whether the two tables are equal: exactly (EXCEPT both ways) and to a relative 1e-12
(parallel sums of doubles may add in another order: two builds with the same SQL differ
in their last bits on a few hundred rows too).

Sector database (2,015,084 interviews, 1.68 M rows out), one run on the shared 2-core machine
under load: before (UNPIVOT of 40 measures per household, then joins) 144.4 s, after 23.0 s
(6.3x; 12.5-22 s in other runs, the load varying); equal to 4.4e-15 relative, no row missing
or extra. The after build's time goes mostly to what the table is: folding the three head
genders into the total/female/male structs, sorting by measure and writing 1.68 M rows.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).parents[1]
ROLLUP = Path("dashboard/sql/rollups/site_round_design.sql")
BEFORE = "7eba153"  # the last commit with the UNPIVOT-and-join rollup
FIELDS = ("households", "n", "w", "y", "x", "wyy", "wxy", "wxx", "wwyy", "wwxy", "wwxx")


def _connect(sector_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"ATTACH '{sector_db}' AS sec (READ_ONLY)")
    columns = {row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_catalog = 'sec' AND table_name = 'household_survey'").fetchall()}
    extra = "" if "site_households" in columns else ", NULL::INTEGER AS site_households"
    con.execute(f"CREATE TEMP TABLE household_survey AS "
                f"SELECT *{extra} FROM sec.household_survey")
    for table in ("sites", "survey_rounds", "reference_values"):
        con.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM sec.{table}")
    return con


def _build(con: duckdb.DuckDBPyConnection, sql: str, name: str) -> float:
    sql = sql.replace("CREATE TABLE site_round_design AS", f"CREATE TEMP TABLE {name} AS", 1)
    started = time.perf_counter()
    con.execute(sql)
    return time.perf_counter() - started


def _compare(con: duckdb.DuckDBPyConnection) -> None:
    for a, b in (("before", "after"), ("after", "before")):
        only = con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT FROM {b})").fetchone()[0]
        print(f"  rows only in {a} (exact EXCEPT): {only}")
    differences = ", ".join(
        f"max(abs(b.{part}.{f} - a.{part}.{f}) / greatest(abs(b.{part}.{f}), 1e-300))"
        for part in ("total", "female", "male") for f in FIELDS)
    row = con.execute(f"""
        SELECT count(*), count(a.measure), greatest({differences}),
               count(*) FILTER (WHERE a.period IS DISTINCT FROM b.period
                                OR a.stratum IS DISTINCT FROM b.stratum
                                OR a.units IS DISTINCT FROM b.units
                                OR a.site_households IS DISTINCT FROM b.site_households)
        FROM before AS b
        LEFT JOIN after AS a USING (measure, site_id, round_id, numerator, denominator)
    """).fetchone()
    rows, matched, relative, other = row
    after_rows = con.execute("SELECT count(*) FROM after").fetchone()[0]
    print(f"  rows: before {rows}, after {after_rows}, matched {matched}; other columns "
          f"differing: {other}; largest relative difference of a sum: {relative:.3g}")
    print(f"  equal to 1e-12: {rows == matched == after_rows and other == 0 and relative <= 1e-12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sector-db", type=Path, default=ROOT / "data" / "sector.duckdb")
    parser.add_argument("--before", default=BEFORE, help="git revision of the old rollup")
    args = parser.parse_args()
    if not args.sector_db.exists():
        print(f"no sector database at {args.sector_db} (python -m dashboard.build --sector)")
        return
    old = subprocess.run(["git", "show", f"{args.before}:{ROLLUP}"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    new = (ROOT / ROLLUP).read_text()
    con = _connect(args.sector_db)
    interviews = con.execute("SELECT count(*) FROM household_survey").fetchone()[0]
    print(f"site_round_design over {interviews:,} interviews ({args.sector_db})")
    after = _build(con, new, "after")
    print(f"  after  (this file):        {after:8.1f} s", flush=True)
    before = _build(con, old, "before")
    print(f"  before ({args.before}):          {before:8.1f} s  ({before / after:.1f}x)")
    _compare(con)


if __name__ == "__main__":
    main()
