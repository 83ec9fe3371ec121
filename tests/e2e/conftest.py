"""Real-browser tests: a Streamlit server on a free port, driven by Debian's chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from browser import APP_TIMEOUT, RunCounter
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No chromium at {CHROMIUM}: `make test` installs Debian's chromium "
                    "(apt-get install chromium), or set CHROMIUM to its path.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--enable-unsafe-swiftshader"]}


# every wait ends when the app is ready; the limit only says when to give up on a loaded machine
expect.set_options(timeout=APP_TIMEOUT)


@pytest.fixture
def page(page):
    """pytest-playwright's page, counting the script runs its server finishes (browser.rerun)."""
    RunCounter(page)
    page.set_default_timeout(APP_TIMEOUT)
    page.set_default_navigation_timeout(APP_TIMEOUT)
    return page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run`` of the app on a free port; ready once it says where it listens."""

    def __init__(self, database: Path, timeout: float = APP_TIMEOUT / 1000):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = ARTIFACTS / f"server-{self.port}.log"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # unbuffered: its output reaches the pipe line by line, the URL line when it is said
        env = {**os.environ, "FCA_DB": str(database), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "server.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._listening = threading.Event()
        threading.Thread(target=self._copy_output, daemon=True).start()
        if not self._listening.wait(timeout) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"server did not start:\n{self.log.read_text()}")
        with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=timeout) as health:
            assert health.read() == b"ok"

    def _copy_output(self) -> None:
        """The server's output into its log; it announces its URL once it accepts requests."""
        with self.log.open("w") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                if line.strip().startswith("URL: "):
                    self._listening.set()
        self._listening.set()  # the process ended: stop waiting

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def server(demo_db):
    running = Server(demo_db)
    yield running
    running.stop()


@pytest.fixture
def fresh_server(demo_db):
    """A server no session has visited yet (the deep-link check needs a fresh one)."""
    running = Server(demo_db)
    yield running
    running.stop()


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return take
