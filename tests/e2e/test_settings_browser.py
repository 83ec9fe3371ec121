"""A server started from another working directory still uses the project's own settings
(login included), or opens no data.

Streamlit looks for .streamlit/ in the working directory and beside the entrypoint
(dashboard/.streamlit, a link to the project's .streamlit/). Each test copies the project
to a temporary directory, writes a secrets.toml with login there, and starts
`streamlit run <copy>/dashboard/server.py` from `/`, as `streamlit run /srv/fca/dashboard/server.py`
would be.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import wait_for_app
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
SECRETS = """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef"
client_id = "id"
client_secret = "secret"
server_metadata_url = "https://accounts.example.org/.well-known/openid-configuration"

[roles]
programme = ["*@example.org"]
"""


def project_copy(destination: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "secrets.toml")
    for folder in ("dashboard", "pages", "queries", ".streamlit"):
        shutil.copytree(ROOT / folder, destination / folder, symlinks=True, ignore=ignore)
    (destination / ".streamlit" / "secrets.toml").write_text(SECRETS)
    return destination


class ServerElsewhere:
    """`streamlit run <project>/dashboard/server.py`, started from `/`, with no settings flags."""

    def __init__(self, project: Path, database: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log = ARTIFACTS / f"server-elsewhere-{self.port}.log"
        env = {**os.environ, "FCA_DB": str(database), "FCA_BASEMAP": "none",
               "PYTHONPATH": str(project)}
        env.pop("FCA_ROLE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(project / "dashboard" / "server.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd="/", env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def start_elsewhere(demo_db):
    servers = []

    def start(project: Path) -> ServerElsewhere:
        servers.append(ServerElsewhere(project, demo_db))
        return servers[-1]
    yield start
    for server in servers:
        server.stop()


def test_started_from_another_directory_the_login_still_applies(page, tmp_path,
                                                               start_elsewhere, screenshot):
    server = start_elsewhere(project_copy(tmp_path))
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    screenshot("started-elsewhere-sign-in")


def test_without_the_link_to_its_settings_the_server_opens_no_data(page, tmp_path,
                                                                  start_elsewhere, screenshot):
    project = project_copy(tmp_path)
    (project / "dashboard" / ".streamlit").unlink(missing_ok=True)
    server = start_elsewhere(project)
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text(
        "did not read the dashboard's own settings")
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    screenshot("started-elsewhere-without-settings")
