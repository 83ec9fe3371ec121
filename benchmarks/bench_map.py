"""Sites map at sector scale (`python -m benchmarks.bench_map`): payload and time, side by side.

Reads the sector database (3,000 sites; `make sector`) read-only and prints, in one run:

1. the map query's time;
2. the queries of a site profile, and building the map's points (few columns, rounded
   coordinates, tooltips) for every site;
3. the payload Streamlit sends on each rerun, and its serialisation time: every column the
   query returns at full precision in pydeck's indented JSON, against the trimmed points in
   compact JSON; points against density mode; with the mining-permit layer when --permits
   gives one to load;
4. the whole page (entrypoint + sites map) run by AppTest, cold and warm, on a copy of the
   tables it reads (the sector file itself is never written);
5. with --browser, the page in Debian's chromium: first draw, and a change of colour.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import duckdb
import pydeck as pdk

from benchmarks.timing import timed
from dashboard import build, db
from dashboard.ingest.store import import_layer
from dashboard.sites import basemap, maps

ROOT = Path(__file__).resolve().parents[1]
STATUS = {"programme": "Programme site", "comparison": "Comparison site"}
# the tables the entrypoint's sidebar and the map page read
MAP_TABLES = ("sites", "site_visits", "incidents", "survey_rounds", "site_month", "site_round",
              "programme_month")


def kb(text: str) -> str:
    raw = len(text.encode())
    return f"{raw / 1000:8.0f} KB (gzip {len(gzip.compress(text.encode())) / 1000:5.0f} KB)"


def map_sites(con: duckdb.DuckDBPyConnection, end: dt.date):
    sql = db.load_query("map_sites").sql
    params = {"province": None, "site_id": None, "start": dt.date(2020, 1, 1), "end": end}
    return sql, params, con.execute(sql, params).df()


def payloads(sites, end: dt.date, permits=None) -> None:
    print("\npayload per rerun, and serialisation time (median of 5):")
    naive = pdk.Deck(layers=[pdk.Layer("ScatterplotLayer", data=sites, id="sites",
                                       get_position="[lon, lat]")])
    points = maps.site_points(sites, "children_last_visit", "en", end, STATUS)
    cases = {
        "every column, full precision, pydeck JSON": naive,
        "map points, pydeck's indented JSON": maps.sites_deck(points),
        "map points, compact JSON (what is sent)": maps.sites_deck(points),
        "density mode, compact JSON": maps.sites_deck(points, mode="density"),
    }
    if permits is not None:
        cases[f"map points + {len(permits):,} permits, compact JSON"] = maps.sites_deck(
            points, permits=permits)
    for label, deck in cases.items():
        serialise = (super(maps.CompactDeck, deck).to_json if "indented" in label
                     else deck.to_json)
        text = serialise()
        print(f"  {label:48s} {kb(text)}  {timed(serialise):7.1f} ms")
    for layer in basemap.base_layers():
        text = json.dumps(json.loads(layer.to_json()), separators=(",", ":"))
        print(f"  {f'of which the base layer {layer.id}':48s} {kb(text)}")


def profile_queries(con: duckdb.DuckDBPyConnection, end: dt.date) -> None:
    """What a site profile reads at sector scale: its own rows, and its province's comparison
    sites for each trend (the median income reads the 2 million household interviews)."""
    site = con.execute("SELECT site_id, province FROM sites WHERE programme_status = "
                       "'programme' ORDER BY site_id LIMIT 1").fetchone()
    common = {"start": dt.date(2020, 1, 1), "end": end}
    calls = [("site_visits_recent", {"site_id": site[0], "end": end}),
             ("site_incidents", {"site_id": site[0], **common}),
             ("site_supply", {"site_id": site[0], **common})]
    for name in ("indicator_fair_cobalt_share", "indicator_children_seen_per_1000",
                 "indicator_share_above_living_income", "indicator_median_household_income"):
        calls.append((name, {"province": None, "site_id": site[0], "programme_status": None,
                             **common}))
        calls.append((name, {"province": site[1], "site_id": None,
                             "programme_status": "comparison", **common}))
    total = 0.0
    print(f"\nsite profile queries for {site[0]}, warm, median of 3 (ms):")
    for name, given in calls:
        query = db.load_query(name)
        sql = query.sql
        params = {parameter: None for parameter in query.parameters} | given
        elapsed = timed(lambda: con.execute(sql, params).df(), repeat=3)
        total += elapsed
        group = "site" if params.get("site_id") else "comparison"
        print(f"  {name:40s} {group:10s} {elapsed:7.1f}")
    print(f"  {'all of them':51s} {total:7.1f}")


def subset_database(sector: Path, out: Path, permits: Path | None) -> Path:
    """A database of this schema version with the sector's map tables (and the permits)."""
    out.unlink(missing_ok=True)
    with duckdb.connect(str(out)) as con:
        con.execute(build.SCHEMA_SQL.read_text())
        build.load_registry(con)
        build.load_reference_values(con)
        con.execute("ATTACH $path AS sector (READ_ONLY)", {"path": str(sector)})
        for table in MAP_TABLES:
            if table in build.ROLLUPS:
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM sector.{table}")
            else:
                con.execute(f"INSERT INTO {table} SELECT * FROM sector.{table}")
        con.execute("INSERT INTO metadata SELECT * FROM sector.metadata "
                    "WHERE key <> 'schema_version'")
        con.execute("INSERT INTO metadata VALUES ('schema_version', $v)",
                    {"v": build.SCHEMA_VERSION})
        con.execute("DETACH sector")
    if permits is not None:
        import_layer(out, permits, "permits", repair=True)
    return out


def page_times(database: Path) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["FCA_DB"] = str(database)
    db.reset()
    app, page = str(ROOT / "dashboard" / "app.py"), str(ROOT / "pages" / "sites_map.py")
    print("\nthe page in AppTest (entrypoint, sidebar, map, legend, table), ms:")
    for mode in ("density", "points"):
        at = AppTest.from_file(app, default_timeout=120)
        at.query_params["mode"] = mode
        started = time.perf_counter()
        at.run().switch_page(page).run()
        cold = (time.perf_counter() - started) * 1000
        assert not at.exception, at.exception
        size = len(at.get("deck_gl_json_chart")[0].proto.json)
        warm = timed(lambda: at.run(), repeat=3)
        print(f"  {mode:8s} first run {cold:7.0f}   rerun {warm:7.0f}   deck {size / 1000:6.0f} KB")
    at.selectbox(key="map_colour").select("fatal_incidents_12m")
    recolour = timed(lambda: at.run(), repeat=3)
    print(f"  {'points   recolour':26s} {recolour:7.0f}")


def browser_times(database: Path) -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        print(f"\nbrowser: skipped, no chromium at {chromium}")
        return
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "FCA_DB": str(database)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium,
                                        args=["--no-sandbox", "--enable-unsafe-swiftshader"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/sites_map?mode=density")  # warm the server
            _wait_drawn(page)
            print("\nin chromium, seconds (wall time, software WebGL with SwiftShader):")
            for mode in ("density", "points"):
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/sites_map?mode={mode}")
                _wait_drawn(page)
                print(f"  {mode:8s} page load to map drawn {time.perf_counter() - started:5.2f}")
            # (points mode is on screen) from choosing another colour to its legend drawn
            page.get_by_test_id("stSelectbox").filter(has_text="Colour by").click()
            started = time.perf_counter()
            page.get_by_role("option", name="Fatal incidents, 12 months").click()
            page.get_by_text("Fatal incidents in the last 12 months").first.wait_for(
                timeout=120_000)
            _wait_drawn(page)
            print(f"  points   recolour               {time.perf_counter() - started:5.2f}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the streamlit server did not start")


def _wait_drawn(page) -> None:
    page.wait_for_timeout(250)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=120_000)
    page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first.wait_for(timeout=120_000)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_map")
    parser.add_argument("--sector-db", type=Path, default=ROOT / "data" / "sector.duckdb")
    parser.add_argument("--permits", type=Path, default=None,
                        help="a permit layer to load into the copy (e.g. the CAMI shapefile)")
    parser.add_argument("--browser", action="store_true", help="also time the page in chromium")
    args = parser.parse_args()
    if not args.sector_db.exists():
        print(f"no sector database at {args.sector_db}: build it with `make sector`")
        return

    with duckdb.connect(str(args.sector_db), read_only=True) as con:
        end = dt.date.fromisoformat(con.execute(
            "SELECT value FROM metadata WHERE key = 'data_until'").fetchone()[0])
        sql, params, sites = map_sites(con, end)
        print(f"sector database: {len(sites):,} sites, data until {end}")
        print(f"\nmap query (map_sites), warm, median of 5: "
              f"{timed(lambda: con.execute(sql, params).df()):7.1f} ms")
        profile_queries(con, end)
    for measure in ("programme_status", "children_last_visit", "fair_share_12m"):
        build_ms = timed(lambda: maps.site_points(sites, measure, "fr", end, STATUS))
        print(f"site points for {len(sites):,} sites ({measure}): {build_ms:7.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        database = subset_database(args.sector_db, Path(folder) / "map.duckdb", args.permits)
        permits = None
        if args.permits is not None:
            with duckdb.connect(str(database), read_only=True) as con:
                permits = con.execute(db.load_query("map_permits").sql,
                                      {"province": None, "site_id": None}).df()
        payloads(sites, end, permits)
        page_times(database)
        if args.browser:
            browser_times(database)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
