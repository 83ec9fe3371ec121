"""Shared fixtures: a demo database built by the project's own generator, once per session."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from hypothesis import settings
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from support import ROOT, build_demo

from dashboard import db

# no per-example deadline: a timing limit would fail tests on a loaded machine (speed targets
# belong in benchmarks/)
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The full demo database (what `make run` serves)."""
    return build_demo(tmp_path_factory.mktemp("demo") / "fca.duckdb",
                      until=dt.date(2026, 10, 31))


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> Path:
    """A small database: the demo model over 2020-2022 only."""
    return build_demo(tmp_path_factory.mktemp("small") / "fca.duckdb")


@pytest.fixture
def use_db(monkeypatch):
    """Point the app at a database file for one test."""
    def use(path: Path | str) -> None:
        monkeypatch.setenv("FCA_DB", str(path))
        db.reset()
    yield use
    db.reset()


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def read(demo_db):
    """A read-only connection to the demo database, for assertions about its content."""
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield lambda sql, params=None: connection.execute(sql, params or {}).fetchall()
    connection.close()


def pytest_configure(config):
    os.environ.setdefault("FCA_DB", str(ROOT / "data" / "does-not-exist.duckdb"))


@pytest.fixture
def downloads(monkeypatch):
    """The bytes behind every download button of a run, by media file id."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return files
