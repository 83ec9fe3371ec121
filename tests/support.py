"""Helpers shared by the tests: paths, and the demo database built by the project's code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.build import write_database
from dashboard.demo import generate

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ("overview", "sites_map", "trends", "supply", "problem_sites", "funding", "scenarios",
         "methods", "data_quality")
# a short period keeps the fixture small; the full demo is built by the generator tests
FIXTURE_UNTIL = dt.date(2022, 6, 30)


def build_demo(path: Path, seed: int = 42, until: dt.date = FIXTURE_UNTIL, scale="demo") -> Path:
    write_database(path, lambda con: generate(con, scale, seed, until))
    return path


def shown(markdown_text: str) -> str:
    """What a reader sees of Markdown that dashboard.markdown escaped: backslash escapes read
    as their character, word joiners are invisible."""
    return re.sub(r"\\(.)", r"\1", markdown_text).replace("\u2060", "")


def open_app(query_params: dict | None = None) -> AppTest:
    """The entrypoint run once with ``query_params`` in its URL (the Overview opens)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    return at.run()
