"""A snapshot of every registry indicator's query results on the demo database.

For each indicator, its query runs as the pages run it (``views.query_parameters``) for every
sites scope, every split its registry entry allows (each province, each site, each sex, age
band or head's gender), and a shorter period; each result is kept as its row count and a hash
of its values (rounded to 12 significant digits), with the column types and the last rows of
the programme series in clear. ``tests/test_indicator_snapshot.py`` compares the queries with
the committed snapshot, so a refactoring of the queries is shown to change no figure.

Regenerate it (only when figures are meant to change, e.g. the demo model changed) with
``.venv/bin/python tests/indicator_snapshot.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import numbers
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

if __name__ == "__main__":  # run as a script: import the package and the test helpers
    sys.path[:0] = [str(Path(__file__).parents[1]), str(Path(__file__).parent)]

from dashboard import db
from dashboard.indicators import statistics, views

GOLDEN = Path(__file__).parent / "golden" / "indicator_results.json"
DEMO_UNTIL = dt.date(2026, 10, 31)  # the demo_db fixture's
WINDOW = (dt.date(2023, 1, 1), dt.date(2024, 6, 30))
CLEAR_ROWS = 3


def snapshot(run=db.run) -> dict:
    """Every indicator's results, keyed by indicator id, then by scope/period/split."""
    period = run("data_period").iloc[0]
    first, last = period["first_month"].date(), period["last_month"].date()
    end = min(DEMO_UNTIL, (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date())
    provinces = run("provinces")["province"].tolist()
    sites = run("sites_list", province=None)["site_id"].tolist()
    result = {}
    for row in run("indicator_registry").itertuples():
        spec = views.spec_from_row(row)
        entry = {"columns": None, "results": {}, "programme_tail": None}
        for key, params in parameter_sets(spec, first, end, provinces, sites):
            result_frame = run(spec.query, **params)
            frame = result_frame[statistics.SERIES_COLUMNS]
            entry["results"][key] = [len(frame), digest(frame)]
            design = result_frame.drop(columns=statistics.SERIES_COLUMNS)
            if not design.empty and len(design.columns):
                # the design-based variance's columns, kept apart: they may change when the
                # variance method does, while the figures above may not
                entry.setdefault("design", {})[key] = digest(design)
            if key == "programme|full|all":
                entry["columns"] = {c: str(t) for c, t in frame.dtypes.items()}
                entry["programme_tail"] = clear_rows(frame.tail(CLEAR_ROWS))
        result[spec.id] = entry
    return result


def parameter_sets(spec: views.Spec, first: dt.date, end: dt.date, provinces: list[str],
                   sites: list[str]):
    """(key, parameters) of each load the snapshot makes for ``spec``."""
    windows = {"full": (first, end), "window": WINDOW}
    for scope in views.SCOPES:
        for window, (start, until) in windows.items():
            load_from = statistics.load_start(spec.periodicity, spec.grain, start, first)
            base = views.query_parameters(spec, {"province": None, "site_id": None,
                                                 "end": until}, load_from, scope)
            yield f"{scope}|{window}|all", base
            if window == "window":
                continue
            for dimension in spec.disaggregations:
                if dimension == "site":
                    continue  # below, one set per site
                groups = views.split_groups(spec, dimension, provinces, [])
                for group, extra in groups:
                    yield f"{scope}|{window}|{dimension}={group}", {**base, **extra}
    if "site" in spec.disaggregations:
        load_from = statistics.load_start(spec.periodicity, spec.grain, first, first)
        for site_id in sites:
            params = views.query_parameters(spec, {"province": None, "site_id": site_id,
                                                   "end": end}, load_from, "all")
            yield f"all|full|site={site_id}", params


def digest(frame: pd.DataFrame) -> str:
    text = json.dumps(clear_rows(frame), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def clear_rows(frame: pd.DataFrame) -> list[list]:
    return [[_clear(value) for value in row] for row in frame.itertuples(index=False)]


def _clear(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, numbers.Number):
        return float(f"{float(value):.12g}")
    return str(value)


def as_text(data: dict) -> str:
    """The snapshot as JSON with one line per result, so a diff shows which ones changed."""
    def line(value) -> str:
        return json.dumps(value, separators=(", ", ": "))

    indicators = []
    for indicator_id in sorted(data):
        entry = data[indicator_id]
        results = ",\n".join(f"   {line(key)}: {line(value)}"
                             for key, value in sorted(entry["results"].items()))
        tail = ",\n".join(f"   {line(row)}" for row in entry["programme_tail"])
        design = ""
        if entry.get("design"):
            design = ",\n".join(f"   {line(key)}: {line(value)}"
                                 for key, value in sorted(entry["design"].items()))
            design = f',\n  "design": {{\n{design}\n  }}'
        indicators.append(f' {line(indicator_id)}: {{\n  "columns": {line(entry["columns"])},\n'
                          f'  "programme_tail": [\n{tail}\n  ],\n'
                          f'  "results": {{\n{results}\n  }}{design}\n }}')
    return "{\n" + ",\n".join(indicators) + "\n}\n"


def main() -> None:
    from support import build_demo

    with tempfile.TemporaryDirectory() as folder:
        os.environ["FCA_DB"] = str(build_demo(Path(folder) / "fca.duckdb", until=DEMO_UNTIL))
        db.reset()
        data = snapshot()
        db.reset()
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(as_text(data))
    print(f"wrote {GOLDEN} ({GOLDEN.stat().st_size // 1024} KB, {len(data)} indicators)")


if __name__ == "__main__":
    main()
