"""Funding-scenario benchmarks (`python -m benchmarks.bench_scenario`).

Prints, in one run and side by side: the baseline queries at demo and sector scale; the
Monte Carlo itself (10,000 draws over 5 years, all workstreams) split into sampling (cold and
cached), projection, summaries, tornado and figures; what a slider move costs the page, both
as the package's work alone and as a whole page rerun in Streamlit's AppTest; and how the
projection scales with the number of draws, as ratios to the 10,000 the page uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.timing import timed
from dashboard import db
from dashboard.build import write_database
from dashboard.demo import generate
from dashboard.scenario import assumptions, model, summaries
from dashboard.scenario import baseline as scenario_baseline
from dashboard.scenario import charts as scenario_charts

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ("scenario_sites", "scenario_trend", "scenario_incomes")
NAMES = {"baseline": "without", "scenario": "with", "measured": "measured", "interval": "90%"}


def once(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def load_baseline(database: Path,
                  end: dt.date) -> tuple[scenario_baseline.Baseline, dict[str, float]]:
    os.environ["FCA_DB"] = str(database)
    db.reset()
    params = dict(province=None, site_id=None, programme_status=None, end=end)
    times = {name: timed(lambda name=name: db.run(name, **params), repeat=5) for name in QUERIES}
    frames = [db.run(name, **params) for name in QUERIES]
    living_income = db.run("reference_values").set_index("key").loc["living_income_usd", "value"]
    return scenario_baseline.baseline_from(*frames, living_income), times


def slider_move(chosen: model.Scenario, baseline: scenario_baseline.Baseline, drawn,
                resolved) -> None:
    """What the page computes after a slider move, once queries and draws are cached."""
    projection = model.project(chosen, baseline, drawn)
    rows = summaries.summary(projection)
    summaries.headlines(projection)
    summaries.cost_per_outcome(projection)
    summaries.tornado(chosen, baseline, resolved)
    measured = summaries.measured(baseline)
    for outcome in model.OUTCOMES:
        scenario_charts.fan_chart(
            rows[(rows["outcome"] == outcome.id) & (rows["series"] != "added")],
            measured[measured["outcome"] == outcome.id], title=outcome.id, y_title="",
            names=NAMES, x_labels={k: str(k) for k in range(-2, 6)})


def page_rerun(database: Path) -> tuple[float, float]:
    """The scenario page's first run and a rerun after a budget slider move, through the
    entrypoint (AppTest: no browser, no network), on ``database``. Median ms of 5 moves."""
    from streamlit.testing.v1 import AppTest

    os.environ["FCA_DB"] = str(database)
    db.reset()
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120).run()
    first = once(lambda: at.switch_page(str(ROOT / "pages" / "scenarios.py")).run())
    budgets = iter(range(1_000_000, 9_000_000, 500_000))
    moves = timed(lambda: at.slider(key="scn_budget").set_value(next(budgets)).run(), repeat=5)
    assert not at.exception, at.exception
    return first, moves


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scenario")
    parser.add_argument("--sector-db", type=Path, default=ROOT / "data" / "sector.duckdb")
    args = parser.parse_args()

    end = dt.date(2026, 10, 31)
    with tempfile.TemporaryDirectory() as scratch:
        demo_db = Path(scratch) / "demo.duckdb"
        write_database(demo_db, lambda con: generate(con, "demo"))
        demo, demo_times = load_baseline(demo_db, end)
        first_run, rerun = page_rerun(demo_db)
    sector_times = None
    if args.sector_db.exists():
        sector, sector_times = load_baseline(args.sector_db, end)
    print("baseline queries, warm, median of 5 (ms):")
    print(f"  {'query':22s} {'demo (40 sites)':>16s} {'sector (3,000)':>16s}")
    for name in QUERIES:
        sector_text = f"{sector_times[name]:16.1f}" if sector_times else f"{'not built':>16s}"
        print(f"  {name:22s} {demo_times[name]:16.1f} {sector_text}")
    if not sector_times:
        print(f"  (no sector database at {args.sector_db}: `make sector` builds it)")
    baseline = sector if sector_times else demo

    registry = assumptions.load_registry()
    resolved = scenario_baseline.resolve(registry, baseline)
    chosen = model.Scenario(budget_usd=2_000_000, years=3, sites="all")
    assumptions._column.cache_clear()
    assumptions.beta_parameters.cache_clear()
    cold = once(lambda: assumptions.sample(resolved, assumptions.DRAWS))
    drawn = assumptions.sample(resolved, assumptions.DRAWS)
    tracemalloc.start()
    projection = model.project(chosen, baseline, drawn)
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"\nMonte Carlo, {assumptions.DRAWS:,} draws x {projection.horizon} years x "
          f"{len(assumptions.WORKSTREAMS)} workstreams, {len(resolved)} assumptions (ms):")
    steps = {
        "sample, cold (fits betas, draws all)": cold,
        "sample, cached columns": timed(lambda: assumptions.sample(resolved, assumptions.DRAWS)),
        "project": timed(lambda: model.project(chosen, baseline, drawn)),
        "summary (percentiles per year)": timed(lambda: summaries.summary(projection)),
        "headlines + cost per outcome": timed(lambda: (summaries.headlines(projection),
                                                       summaries.cost_per_outcome(projection))),
        f"tornado (1 + 2 x {sum(a.uncertain for a in resolved)} runs)": timed(
            lambda: summaries.tornado(chosen, baseline, resolved)),
        "simulate (sample cached + project)": timed(
            lambda: model.simulate(chosen, baseline, resolved)),
    }
    for label, ms in steps.items():
        print(f"  {label:40s} {ms:8.1f}")
    print(f"  {'peak memory of one projection':40s} {peak_mb:8.1f} MB")

    move = timed(lambda: slider_move(chosen, baseline, drawn, resolved), repeat=5)
    print(f"\na slider move (projection, summaries, tornado, 7 fan figures): {move:.0f} ms")
    print(f"the whole page in AppTest, demo data: first run {first_run:.0f} ms, "
          f"rerun after a slider move {rerun:.0f} ms")

    print("\nprojection time by number of draws (ratio to 10,000):")
    reference = steps["project"]
    for draws in (1_000, 5_000, 10_000, 50_000):
        sample = assumptions.sample(resolved, draws)
        ms = timed(lambda sample=sample: model.project(chosen, baseline, sample), repeat=5)
        print(f"  {draws:>7,} draws {ms:8.1f} ms  {ms / reference:5.2f}x")


if __name__ == "__main__":
    main()
