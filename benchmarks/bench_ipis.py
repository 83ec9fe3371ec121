"""IPIS import benchmark (`python -m benchmarks.bench_ipis [--mines N] [--visits-per-mine K]`):
an IPIS-format CSV the size of the real file (about 3,400 mines and 7,000 visits, by default)
into a copy of the demo database: time, CPU and peak memory of the run, then of the same file
again (recognised by its hash) and of the same rows in another file (every row compared).

The mines are spread over eastern DRC (Sud-Kivu, Nord-Kivu, Maniema, Ituri, Tanganyika...),
a tenth of their fields left empty, one visit in twenty not on site; the names are all new, so
every mine is added as a comparison site.

Measured 2026-12-01 on the shared 2-core development machine (load average 17): 6,800 rows
(1.0 MB, 3,400 mines) loaded in 34 s wall, 5.6 s CPU (3,400 sites and 6,469 visits added; 331
rows not visited on site and 1,360 provinces filled across an approximate border reported as
warnings); the same file again 6.5 s wall (0.7 s CPU, recognised by its hash); the same rows
in another file 19 s wall, 2.1 s CPU (every row found unchanged); peak RSS 673 MB, the demo
build included. Compare CPU time between runs on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ipis_fixture import HEADER, ipis_row  # noqa: E402
from support import build_demo  # noqa: E402

from dashboard.ingest import pipeline  # noqa: E402
from dashboard.ingest.ipis import import_ipis  # noqa: E402

# (lon, lat) boxes in eastern DRC where IPIS's mines are
AREAS = [((28.2, 28.7), (-3.4, -1.8)), ((28.6, 29.1), (-1.2, -0.2)), ((26.0, 27.2), (-3.5, -2.4)),
         ((29.6, 30.4), (1.3, 2.2)), ((27.2, 28.8), (-7.0, -5.8))]
MINERALS = ["Or", "Cassitérite", "Coltan", "Wolframite", "Cuivre", "Cobalt"]


def write_file(path: Path, mines: int, visits_per_mine: int, seed: int = 7) -> int:
    rng = np.random.default_rng(seed)
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for mine in range(mines):
            (lon0, lon1), (lat0, lat1) = AREAS[mine % len(AREAS)]
            lon, lat = rng.uniform(lon0, lon1), rng.uniform(lat0, lat1)
            for _ in range(visits_per_mine):
                day = dt.date(2012, 1, 1) + dt.timedelta(days=int(rng.integers(0, 4500)))

                def blank(value: str) -> str:
                    return "" if rng.random() < 0.1 else value

                writer.writerow(ipis_row(
                    f"codmine{mine:05d}", f"Mine {mine}", day.isoformat(), f"{lon:.5f}",
                    f"{lat:.5f}", onsite="no" if rng.random() < 0.05 else "yes",
                    workers=blank(str(int(rng.integers(5, 2000)))),
                    minerals=(MINERALS[mine % 4], "", ""),
                    child=blank(str(rng.choice(["yes", "no", "-1"]))),
                    women=blank(str(rng.choice(["yes", "no"]))),
                    interference=blank(str(rng.choice(["yes", "no"])))))
                rows += 1
    return rows


def timed(label: str, target: Path, path: Path) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    outcome = import_ipis(target, path, pipeline.Options(user="bench", report=path.with_suffix(
        f".{label}.report.csv")))
    counts = {k: (c.rows_read, c.rows_new, c.rows_unchanged) for k, c in outcome.counts.items()}
    print(f"{label}: {outcome.result} in {time.perf_counter() - started:.1f} s wall, "
          f"{time.process_time() - cpu:.1f} s CPU; (read, new, unchanged) {counts}; "
          f"{outcome.warnings} warning(s), {outcome.errors} error(s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mines", type=int, default=3400)
    parser.add_argument("--visits-per-mine", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        target = build_demo(folder / "fca.duckdb")
        path = folder / "ipis.csv"
        rows = write_file(path, args.mines, args.visits_per_mine)
        print(f"{rows:,} IPIS rows ({path.stat().st_size / 1e6:.1f} MB), {args.mines:,} mines")
        timed("first import", target, path)
        timed("same file again", target, path)
        copy = folder / "ipis-copy.csv"
        copy.write_bytes(path.read_bytes() + b"\r\n")
        timed("same rows, other file", target, copy)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process (demo build included): {peak:.0f} MB")


if __name__ == "__main__":
    main()
