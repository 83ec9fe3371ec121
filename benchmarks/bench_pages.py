"""Every page's script time and what it sends, one viewer (`python -m benchmarks.bench_pages`).

Runs the app's pages through AppTest (the entrypoint, then the page) on a database (the
sector-scale one by default: `make sector`), read-only, and prints per page:

- "new viewer": the page opened by a new session once another session has opened it (the
  process's caches are warm, the session's own state is not), median of --repeat;
- "rerun": the same session running the page again (a widget change);
- "sent": the bytes of the messages the run sends to the browser (protobuf ForwardMsgs, as
  Streamlit serialises them; downloads are sent as links, not in these);
- with --cold, "first page after start": the Overview opened in a fresh process (the app's
  imports, the first queries and the first computations), what a first viewer waits for.

Times are wall times on a shared machine: compare runs of this script made side by side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ("overview", "sites_map", "site_profile", "trends", "supply", "problem_sites",
         "funding", "scenarios", "methods")
DEFAULT_DB = ROOT / "data" / "sector.duckdb"

_sent: list[int] = []


def _count_sent() -> None:
    """Record, per AppTest run, the serialised size of the messages it sent."""
    from streamlit.testing.v1 import local_script_runner

    runner = local_script_runner.LocalScriptRunner
    if getattr(runner, "_bench_counted", False):
        return
    original = runner.run

    def run(self, *args, **kwargs):
        tree = original(self, *args, **kwargs)
        _sent.append(sum(message.ByteSize() for message in self.forward_msgs()))
        return tree

    runner.run = run
    runner._bench_counted = True


def _open(page: str, site_id: str | None):
    """A new session on ``page``: (AppTest, seconds of the page's run, bytes sent)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=600)
    if page == "site_profile" and site_id:
        at.query_params["site_id"] = site_id
    started = time.perf_counter()
    at.run()  # the entrypoint opens the Overview, as a browser's first visit does
    if page != "overview":
        started = time.perf_counter()
        at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
    seconds = time.perf_counter() - started
    return at, seconds, _sent[-1]


def _problem(at) -> str:
    if at.exception:
        return f"exception: {at.exception[0].message[:200]}"
    if at.error:
        return f"error: {at.error[0].value[:200]}"
    return ""


def _flagged_site() -> str | None:
    from dashboard import db

    frame = db.run("screening_sites")
    return frame["site_id"].iloc[0] if len(frame) else None


def warm(pages: tuple[str, ...], repeat: int) -> None:
    _count_sent()
    site_id = _flagged_site()
    print(f"{'page':16s}{'first (s)':>11s}{'new viewer (s)':>16s}{'rerun (s)':>11s}"
          f"{'sent (KB)':>11s}  problems")
    for page in pages:
        at, first, _ = _open(page, site_id)  # warms the process's caches
        viewers, reruns = [], []
        for _ in range(repeat):
            at, seconds, _ = _open(page, site_id)
            viewers.append(seconds)
            started = time.perf_counter()
            at.run()
            reruns.append(time.perf_counter() - started)
        sent = _sent[-1]
        print(f"{page:16s}{first:11.2f}{statistics.median(viewers):16.2f}"
              f"{statistics.median(reruns):11.2f}{sent / 1024:11.0f}  {_problem(at)}",
              flush=True)


def cold() -> float:
    """Seconds from a fresh process (Streamlit imported, as a server has) to the Overview."""
    code = ("import time, streamlit, streamlit.testing.v1 as t; s = time.perf_counter(); "
            f"at = t.AppTest.from_file({APP!r}, default_timeout=600).run(); "
            "print(time.perf_counter() - s); "
            "print('problem' if at.exception or at.error else 'ok')")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=os.environ, check=True).stdout.split()
    if output[-1] != "ok":
        print("  (the cold Overview showed an error or exception)")
    return float(output[-2])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_pages")
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("FCA_DB", DEFAULT_DB)))
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=PAGES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true",
                        help="also time the first page in a fresh process")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"(no database at {args.db}: `make sector` builds the sector-scale one)")
        return
    os.environ["FCA_DB"] = str(args.db)
    print(f"pages on {args.db} ({args.db.stat().st_size / 1e6:,.0f} MB), one viewer, AppTest; "
          f"median of {args.repeat}")
    if args.cold:
        print(f"first page after start (fresh process, Overview): {cold():.2f} s", flush=True)
    warm(tuple(args.pages), args.repeat)


if __name__ == "__main__":
    main()
