"""Import benchmark (`python -m benchmarks.bench_ingest [--rollups]`): a 2-million-row survey
CSV into a copy of the sector-scale database, with its time and peak memory (target: under 60 s
and 2 GB on 2 cores); `--rollups` then times, per import kind, the rollups an import builds
again now against those it built before (each in a transaction rolled back).

The CSV is the sector database's own household interviews written out as a new survey round
(so every row is new and the whole file is typed, checked, planned against the 2 million
interviews already there and written); each run is a child process, so its peak resident
memory is its own. Then the same file again (recognised by its hash: nothing to do) and a dry
run of a copy of it with other bytes (every row compared by key), side by side.

Measured 2026-12-01, before and after imports rebuilt only the rollups reading a table they
changed (a survey import only its rounds' rows of the survey rollups), load average 1.4 / 2.6:
- before, 12:55 UTC: 48.9 s wall, 78.6 s CPU (load 26.8 s wall, 46.1 s CPU, of which rollups
  21.3 s wall: the three survey rollups over all 4 million interviews), peak RSS 1.86 GB.
- after, 13:02 UTC: 30.4 s wall, 40.1 s CPU (load 8.9 s wall, 9.6 s CPU, of which rollups
  4.6 s wall: the new round's rows), peak RSS 1.26 GB. The lead measured 96.6 s wall, 79 s CPU,
  1.85 GB before, at a higher load.
- `--rollups` (13:07 UTC, s wall / s CPU, now vs before): survey 5.6 / 4.5 vs 26.4 / 26.8;
  visits 3.6 / 3.4 vs 15.7 / 27.4; supply 5.5 / 9.6 vs 21.5 / 39.2; cases 2.4 / 4.2 vs
  16.4 / 30.0 (before, every import also rebuilt site_round_design); sites the same three
  rollups, 15-19 s (the survey design's strata are the sites' provinces).

Measured 2026-12-01, before and after the import was sped up (the scratch database in memory,
spilling beyond 1 GB; cells trimmed only when they need it; accepted rows a view; only row
numbers and keys through the duplicates' window), each on 2,000,000 rows:
- after, 11:16 UTC, load average 4.1: 34.7 s wall, 31.7 s CPU (read and type 18.5, check 1.7,
  plan 1.5, plan written for the load 2.5, load 5.9: the copy, write and rollups), peak RSS
  1.27 GB; the same file again 1.5 s CPU; the same rows in another file, dry run, 25.4 s CPU.
  At 11:09 under a load of 14 to 16: 135 s wall for 34.3 s CPU.
- before (the same benchmark on the previous code), 11:18 UTC, load average 7.4: 190.6 s wall,
  71.6 s CPU (read and type 39.9, check 16.7, plan 3.5, load 6.2), peak RSS 1.28 GB; the dry
  run 67.6 s CPU.
With --rows 200000 back to back (load 15 to 18): import 9.4 -> 6.4 s CPU, dry run 7.3 -> 3.5.

An earlier record (2026-12-01, load average 4.6, an earlier version of the code): 2,000,000
rows (258 MB) in 119 s wall, 97 s CPU (read and type 58, check 20, plan 5, load 8: the copy,
write and rollups), peak RSS 1.28 GB, against the targets of 60 s and 2 GB; the same file again
2.7 s; the same rows in another file, dry run, 120 s wall, 88 s CPU (every row compared by key
with the 2 million already loaded). Earlier runs under a load of 13 to 16 took 504 s wall for
the same 110 s of CPU: compare CPU time between runs on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
TARGET_SECONDS, TARGET_GB = 60, 2.0
COLUMNS = ("round_id", "site_id", "household_id", "interviewed_on", "head_gender",
           "household_size", "income_mining_usd", "income_non_mining_usd", "income_women_usd",
           "reported_currency", "fx_cdf_per_usd", "fx_date", "vsla_member", "savings_usd",
           "food_insecure", "children_5_17", "children_in_school", "children_in_mining",
           "children_hazardous", "sampling_weight")


def write_survey_csv(sector: Path, out: Path, rows: int) -> int:
    con = duckdb.connect(str(sector), read_only=True)
    renamed = {"round_id": "'BENCH-R1' AS round_id",
               "household_id": "household_id || '-' || round_id AS household_id"}
    columns = ", ".join(renamed.get(c, c) for c in COLUMNS)
    con.execute(f"""COPY (SELECT {columns} FROM household_survey ORDER BY interview_id
                          LIMIT {int(rows)}) TO '{out}' (HEADER, DELIMITER ',')""")
    written = con.execute(f"SELECT count(*) FROM read_csv('{out}')").fetchall()[0][0]
    con.close()
    return written


def timed_child(args: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS (GB) and output of `python -m dashboard.ingest
    ARGS` (CPU time shows the work when other processes share the cores)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dashboard.ingest", *args], cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, after.ru_maxrss / 1024 / 1024, done.stdout


# the tables each import kind changes (a survey also widens its rounds)
CHANGES = {"survey": {"household_survey", "survey_rounds"}, "visits": {"site_visits"},
           "supply": {"supply"}, "sites": {"sites"}, "cases": {"child_cases"}}


def rollups_side_by_side(database: Path, round_id: str) -> None:
    """Per import kind, the seconds (wall, CPU) to build again the rollups an import of that
    kind builds now, next to those it built before (every rollup naming a changed table or
    survey_rounds, whole), each in a transaction rolled back, on the imported database."""
    from dashboard import build
    con = duckdb.connect(str(database))
    con.execute("SET memory_limit = '1GB'")  # as the load does
    con.execute("SET enable_progress_bar = false")
    print("rollups an import builds again, now vs before (s wall / s CPU):")
    for kind, changed in CHANGES.items():
        rounds = [round_id] if kind == "survey" else None
        timings = []
        for tables, by_round in ((changed, rounds), (changed | {"survey_rounds"}, None)):
            con.execute("BEGIN TRANSACTION")
            started, cpu = time.perf_counter(), time.process_time()
            names = build.build_rollups(con, tables, by_round)
            timings.append((time.perf_counter() - started, time.process_time() - cpu, names))
            con.execute("ROLLBACK")
        (now, now_cpu, names), (before, before_cpu, old) = timings
        print(f"  {kind:7s} now {now:5.1f} / {now_cpu:5.1f} "
              f"({', '.join(names) or 'none'}{' : its round only' if rounds else ''}); "
              f"before {before:5.1f} / {before_cpu:5.1f} ({', '.join(old)})")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_ingest")
    parser.add_argument("--sector-db", type=Path, default=ROOT / "data" / "sector.duckdb",
                        help="the sector-scale database (make sector); it is copied, not changed")
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--rollups", action="store_true",
                        help="then time the rollups each import kind builds again, now and "
                             "before imports rebuilt only those reading a changed table")
    args = parser.parse_args()
    if not args.sector_db.exists():
        raise SystemExit(f"No sector database at {args.sector_db}: run `make sector` first.")
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path, database = OUT / "survey_2m.csv", OUT / "ingest" / "sector.duckdb"
    database.parent.mkdir(parents=True, exist_ok=True)
    rows = write_survey_csv(args.sector_db, csv_path, args.rows)
    shutil.copyfile(args.sector_db, database)
    print(f"survey CSV: {rows:,} rows, {csv_path.stat().st_size / 1e6:.0f} MB; database "
          f"{database.stat().st_size / 1e6:.0f} MB")
    common = ["--db", str(database), "--report", str(OUT / "ingest" / "report.csv")]

    seconds, cpu, peak, output = timed_child(["survey", str(csv_path), *common, "--timings"])
    print(output.strip())
    print(f"import: {seconds:.1f} s wall (target {TARGET_SECONDS} s, ratio "
          f"{seconds / TARGET_SECONDS:.2f}), {cpu:.1f} s CPU, peak RSS {peak:.2f} GB (target "
          f"{TARGET_GB} GB, ratio {peak / TARGET_GB:.2f}), {rows / seconds:,.0f} rows/s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    seconds, cpu, _, _ = timed_child(["survey", str(csv_path), *common])
    print(f"same file again (by hash, nothing to do): {seconds:.1f} s wall, {cpu:.1f} s CPU")
    copy = OUT / "survey_2m_copy.csv"
    copy.write_bytes(csv_path.read_bytes() + b"\n")
    seconds, cpu, _, output = timed_child(["survey", str(copy), "--dry-run", *common])
    print(f"same rows in another file, dry run (every row compared by key): {seconds:.1f} s "
          f"wall, {cpu:.1f} s CPU")
    print(output.strip().splitlines()[-2])
    if args.rollups:
        rollups_side_by_side(database, "BENCH-R1")


if __name__ == "__main__":
    main()
