"""python -m dashboard.demo --out PATH [--scale demo|sector] [--seed N] [--until YYYY-MM-DD]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from dashboard.build import DatabaseBusy, write_database
from dashboard.demo import generate
from dashboard.demo.config import DEMO_UNTIL, SCALES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.demo",
        description="Build a database of deterministic synthetic data (same seed, same data).")
    parser.add_argument("--out", type=Path, required=True, help="database file to (re)build")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--until", type=dt.date.fromisoformat, default=DEMO_UNTIL,
                        help=f"last day of data (default {DEMO_UNTIL})")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr)

    try:
        write_database(args.out,
                       lambda con: generate(con, args.scale, args.seed, args.until, log))
    except DatabaseBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size_mb = args.out.stat().st_size / 1e6
    log(f"wrote {args.out} ({args.scale}, seed {args.seed}, {size_mb:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
