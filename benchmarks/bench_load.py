"""Many viewers at once against a real server (`python -m benchmarks.bench_load`).

Starts `streamlit run dashboard/server.py` on a free port (dashboard/app.py in a checkout
without it; on the sector-scale database by default, read-only; --root serves another checkout
of the app, to compare before and after on the same machine with the same script) and then:

1. the first viewer after the start: the time from the server's start, and from the
   viewer's request, to the Overview's finished run (server.py warms up by itself: the
   benchmark waits until its log says so, and reports when);
2. --sessions viewers (20 by default) opening the app at once, each one going through
   --pages (Overview, Trends, Sites map, Problem sites) in turn, as a Steering Committee would
   at the start of a meeting: per page the median, 95th percentile and longest time from the
   viewer's request to the finished run with everything sent, the errors, the bytes sent;
3. --views page views (500 by default) by the same viewers, page after page, with the
   server's memory after each hundred: flat memory means nothing grows per view.

The server's peak memory (resident set, read from /proc every 0.2 s) is reported throughout.
With --browser, one viewer's pages are also timed in Debian's chromium first (to a drawn page).

How the load is generated: each viewer is a lightweight client of Streamlit's own websocket
protocol (the messages a browser sends: open a session, run a page; and the server's answers,
decoded with Streamlit's protobuf classes until the run's "script finished"), all of them in
one asyncio loop in this process. Each keeps the browser's message cache (a large element
received unchanged in the last two runs is sent as a hash), so "sent" is what a browser gets.
No browser: the two cores stay with the server, and a viewer's time is the server's time to
run and send the page, not a browser's drawing (the charts and maps draw in the browser after
that).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "trends", "sites_map", "problem_sites")
FINISHED = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY}


# -- the server -----------------------------------------------------------------------------

class Server:
    """`streamlit run` of the app in ``root`` on a free port; its memory sampled in a thread."""

    def __init__(self, root: Path, database: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.started = time.perf_counter()
        self.log: list[str] = []
        env = {**os.environ, "FCA_DB": str(database), "PYTHONUNBUFFERED": "1"}
        env.pop("FCA_ROLE", None)
        # the server that warms at its start where the checkout has one (an older one: app.py)
        self.script = next(path for path in (root / "dashboard" / "server.py",
                                             root / "dashboard" / "app.py") if path.exists())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.script),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--logger.level", "info"],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read_output, daemon=True).start()
        self.peak_kb = 0
        self._sampling = True
        threading.Thread(target=self._sample, daemon=True).start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health",
                                            timeout=2) as answer:
                    if answer.read() == b"ok":
                        self.ready = time.perf_counter()
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start:\n" + "\n".join(self.log[-30:]))

    def wait_for_log(self, text: str, timeout: float) -> float | None:
        """Seconds from the server's start to its first log line containing ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.log):
                return time.perf_counter() - self.started
            time.sleep(0.1)
        return None

    def _read_output(self) -> None:
        for line in self.process.stdout:
            self.log.append(line.rstrip())

    def rss_kb(self) -> int:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0
        return next((int(line.split()[1]) for line in status.splitlines()
                     if line.startswith("VmRSS:")), 0)

    def _sample(self) -> None:
        while self._sampling:
            self.peak_kb = max(self.peak_kb, self.rss_kb())
            time.sleep(0.2)

    def stop(self) -> None:
        self._sampling = False
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# -- a viewer -------------------------------------------------------------------------------

@dataclass
class View:
    page: str
    seconds: float
    sent: int
    problem: str = ""


@dataclass
class Viewer:
    """One browser tab's session, speaking Streamlit's websocket protocol, with the browser's
    message cache: a large element (10 kB or more) received unchanged within the last two runs
    is not sent again, only its hash (Streamlit's ForwardMsg cache, as its frontend keeps it)."""

    url: str
    timeout: float
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page script hash
    views: list[View] = field(default_factory=list)
    cached: dict[str, int] = field(default_factory=dict)  # message hash -> run last used
    runs: int = 0
    max_age: int = 2  # the server says (new_session.config.max_cached_message_age)

    async def __aenter__(self):
        self.socket = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout,
            ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def open(self, page: str) -> View:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        state.page_script_hash = self.pages.get(page, "")
        state.page_name = "" if page == "overview" else page
        state.context_info.locale = "en-GB"
        state.context_info.timezone = "UTC"
        state.cached_message_hashes.extend(self.cached)
        state.context_info.url = self.url.replace("ws://", "http://").replace(
            "/_stcore/stream", f"/{page}")
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        sent, problem = 0, ""
        try:
            while True:
                data = await asyncio.wait_for(self.socket.recv(), self.timeout)
                sent += len(data)
                answer = ForwardMsg()
                answer.ParseFromString(data)
                kind = answer.WhichOneof("type")
                if kind == "ref_hash":
                    self.cached[answer.ref_hash] = self.runs
                elif answer.metadata.cacheable:
                    self.cached[answer.hash] = self.runs
                if kind == "new_session":
                    self.max_age = answer.new_session.config.max_cached_message_age
                elif kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash
                                  for p in answer.navigation.app_pages}
                elif kind == "delta" and answer.delta.WhichOneof("type") == "new_element":
                    element = answer.delta.new_element
                    if element.WhichOneof("type") == "exception":
                        problem = problem or f"exception: {element.exception.message[:120]}"
                    elif (element.WhichOneof("type") == "alert"
                          and element.alert.format == element.alert.ERROR):
                        problem = problem or f"error: {element.alert.body[:120]}"
                elif kind == "page_not_found":
                    problem = problem or "page not found"
                elif kind == "script_finished":
                    if answer.script_finished not in FINISHED:
                        problem = problem or f"finished: {answer.script_finished}"
                    self.runs += 1
                    self.cached = {hash_: run for hash_, run in self.cached.items()
                                   if self.runs - run <= self.max_age}
                    break
        except TimeoutError:
            problem = f"no answer within {self.timeout:.0f} s"
        except websockets.ConnectionClosed as closed:
            problem = f"connection closed: {closed}"
        view = View(page, time.perf_counter() - started, sent, problem)
        self.views.append(view)
        return view


async def first_viewer(url: str, timeout: float) -> View:
    async with Viewer(url, timeout) as viewer:
        return await viewer.open("overview")


async def committee(url: str, sessions: int, pages: list[str], timeout: float,
                    ramp: float) -> list[View]:
    """``sessions`` viewers at once (started over ``ramp`` seconds), each opening ``pages``."""
    async def one(index: int) -> list[View]:
        await asyncio.sleep(ramp * index / max(sessions, 1))
        try:
            async with Viewer(url, timeout) as viewer:
                for page in pages:
                    await viewer.open(page)
                return viewer.views
        except (OSError, websockets.WebSocketException) as error:
            return [View(pages[0], 0.0, 0, f"could not connect: {error}")]

    results = await asyncio.gather(*(one(i) for i in range(sessions)))
    return [view for views in results for view in views]


async def endurance(url: str, sessions: int, pages: list[str], views: int, timeout: float,
                    server: Server) -> list[tuple[int, int, int]]:
    """``views`` page views by ``sessions`` viewers going round ``pages``; the server's memory
    after each hundred (views done, resident kB, errors so far)."""
    done, errors, marks = 0, 0, []
    lock = asyncio.Lock()

    async def one(index: int) -> None:
        nonlocal done, errors
        async with Viewer(url, timeout) as viewer:
            step = index
            while True:
                async with lock:
                    if done >= views:
                        return
                    done += 1
                    number = done
                view = await viewer.open(pages[step % len(pages)])
                step += 1
                async with lock:
                    errors += bool(view.problem)
                    if number % 100 == 0:
                        marks.append((number, server.rss_kb(), errors))

    await asyncio.gather(*(one(i) for i in range(sessions)))
    return marks


def browser_views(base: str, pages: list[str], chromium: str, rounds: int) -> list[View]:
    """One viewer in Debian's chromium (Playwright): each page opened from its address, timed
    until the app has connected, finished its run and drawn it (nothing loading, nothing
    stale), as tests/e2e/browser.py waits; ``rounds`` + 1 times, the first (which warms the
    browser's cache) not counted."""
    from playwright.sync_api import sync_playwright

    views = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--enable-unsafe-swiftshader"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for round_ in range(rounds + 1):
            for name in pages:
                started = time.perf_counter()
                page.goto(f"{base}/{'' if name == 'overview' else name}")
                for state in ("[data-testid='stApp'][data-test-connection-state='CONNECTED']",
                              "[data-testid='stApp'][data-test-script-state='notRunning']"):
                    page.locator(state).wait_for(state="attached", timeout=600_000)
                page.get_by_test_id("stSkeleton").first.wait_for(state="detached",
                                                                timeout=600_000)
                page.locator("[data-stale='true']").first.wait_for(state="detached",
                                                                  timeout=600_000)
                if round_:
                    views.append(View(name, time.perf_counter() - started, 0))
        browser.close()
    return views


# -- report ---------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def report(views: list[View], pages: list[str]) -> None:
    print(f"  {'page':16s}{'views':>6s}{'median (s)':>12s}{'p95 (s)':>9s}{'max (s)':>9s}"
          f"{'errors':>8s}{'sent (KB)':>11s}")
    for page in pages:
        chosen = [v for v in views if v.page == page]
        if not chosen:
            continue
        times = [v.seconds for v in chosen if not v.problem] or [0.0]
        print(f"  {page:16s}{len(chosen):6d}{statistics.median(times):12.2f}"
              f"{percentile(times, 0.95):9.2f}{max(times):9.2f}"
              f"{sum(bool(v.problem) for v in chosen):8d}"
              f"{max(v.sent for v in chosen) / 1024:11.0f}")
    problems = sorted({v.problem for v in views if v.problem})
    for problem in problems[:5]:
        print(f"    problem: {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose app is served (default: this one)")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "sector.duckdb")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--views", type=int, default=500,
                        help="page views of the memory run (0: none)")
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="seconds over which the viewers arrive (0: all at once)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds a page may take before it counts as an error")
    parser.add_argument("--browser", metavar="CHROMIUM", nargs="?", const="/usr/bin/chromium",
                        help="also time one viewer in a real browser (before the load)")
    parser.add_argument("--browser-rounds", type=int, default=3,
                        help="times the browser goes through the pages (after a first one)")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"(no database at {args.db}: `make sector` builds the sector-scale one)")
        return
    print(f"load on {args.root} serving {args.db} ({args.db.stat().st_size / 1e6:,.0f} MB); "
          f"{os.cpu_count()} cores")
    print("load generated by lightweight clients of Streamlit's websocket protocol (one asyncio "
          "loop in this process, no browser): a viewer's time is from its request to the "
          "run's last message received\n")
    server = Server(args.root, args.db)
    url = f"ws://127.0.0.1:{server.port}/_stcore/stream"
    try:
        print(f"server ({server.script.relative_to(args.root)}) ready "
              f"{server.ready - server.started:.1f} s after its start, "
              f"{server.rss_kb() / 1024:,.0f} MB")
        if server.script.name == "server.py":
            warm = server.wait_for_log("Warmed up", args.timeout)
            print("server warmed up by itself " + (f"{warm:.1f} s after its start, "
                  f"{server.rss_kb() / 1024:,.0f} MB" if warm else "(not within the timeout)"))
        first = asyncio.run(first_viewer(url, args.timeout))
        print(f"first viewer after the start: Overview in {first.seconds:.2f} s "
              f"({time.perf_counter() - server.started:.1f} s after the server's start)"
              + (f", {first.problem}" if first.problem else ""))
        if args.browser:
            shown = browser_views(f"http://127.0.0.1:{server.port}", args.pages, args.browser,
                                  args.browser_rounds)
            print(f"\none viewer in chromium, each page opened from its address, "
                  f"{args.browser_rounds} times after a first round (time to a finished, "
                  "drawn page; a page's time includes leaving the one before):")
            print(f"  {'page':16s}{'median (s)':>12s}{'max (s)':>9s}")
            for page in args.pages:
                times = [view.seconds for view in shown if view.page == page]
                print(f"  {page:16s}{statistics.median(times):12.2f}{max(times):9.2f}")
        started = time.perf_counter()
        views = asyncio.run(committee(url, args.sessions, args.pages, args.timeout, args.ramp))
        print(f"\n{args.sessions} viewers at once, each opening {', '.join(args.pages)} "
              f"({time.perf_counter() - started:.0f} s in all):")
        report(views, args.pages)
        print(f"  server peak memory so far: {server.peak_kb / 1024:,.0f} MB")
        if args.views:
            started = time.perf_counter()
            marks = asyncio.run(endurance(url, args.sessions, args.pages, args.views,
                                          args.timeout, server))
            print(f"\n{args.views} page views by {args.sessions} viewers "
                  f"({time.perf_counter() - started:.0f} s): server memory after each hundred")
            for number, rss, errors in marks:
                print(f"  {number:5d} views: {rss / 1024:7,.0f} MB  ({errors} errors)")
        print(f"\nserver peak memory: {server.peak_kb / 1024:,.0f} MB")
        warm = [line for line in server.log if "Warmed up" in line or "Warm-up" in line]
        for line in warm[:3]:
            print(f"server log: {line[-120:]}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
