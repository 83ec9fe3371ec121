"""Meeting pack benchmark (`python -m benchmarks.bench_pack [--db PATH] [--repeat N]`).

Prints, for the pack of the whole period on a database (default: FCA_DB or data/fca.duckdb),
the time to gather its content (the queries, the watchlist, the figures; no cache, as the
command line runs it), to render it as HTML, to print it as PDF with Chromium, and the sizes
of both files; then the same with a funding scenario (10,000-draw Monte Carlo).
"""

from __future__ import annotations

import argparse
import os

from benchmarks.timing import timed
from dashboard import data, db, pack
from dashboard.filters import Filters, month_end
from dashboard.pack import render

SCENARIO = {"budget": "2000000", "years": "3", "sites": "programme"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if args.db:
        os.environ["FCA_DB"] = args.db
    db.reset()
    viewer = data.Viewer("programme")

    def load(name, **params):
        return data.fetch(viewer, name, **params)

    period = load("data_period").iloc[0]
    filters = Filters(None, None, period["first_month"].date(),
                      month_end(period["last_month"].date()))
    for label, scenario in (("without scenario", {}), ("with scenario", SCENARIO)):
        request = pack.Request("programme", "en", filters, scenario)
        made = pack.gather(load, request)
        page = render.to_html(made)
        pdf = pack.to_bytes(made, "pdf")
        print(f"pack {label}: {pack.chart_count(made)} charts")
        print(f"  gather    {timed(lambda: pack.gather(load, request), args.repeat):8.0f} ms")
        print(f"  html      {timed(lambda: render.to_html(made), args.repeat):8.0f} ms"
              f"   {len(page.encode()) / 1e6:.1f} MB")
        print(f"  pdf       {timed(lambda: pack.to_bytes(made, 'pdf'), args.repeat):8.0f} ms"
              f"   {len(pdf) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
