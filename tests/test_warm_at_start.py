"""The server warms by itself (dashboard/server.py, ``ui.warm_now``): at its start, for the
roles its viewers get, and again once a new database file is swapped in, before any viewer."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil

import duckdb
import pytest

from dashboard import access, db, ui
from dashboard.screening import watchlist

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration"}


@pytest.fixture
def server_process(monkeypatch):
    """A process that has warmed nothing yet, without login or FCA_ROLE."""
    monkeypatch.setattr(ui, "_warmed", {})
    monkeypatch.delenv("FCA_ROLE", raising=False)
    monkeypatch.setattr(ui, "_secret", lambda name: None)


def login_with(monkeypatch, roles: dict) -> None:
    monkeypatch.setattr(ui, "_secret", {"auth": AUTH, "roles": roles}.get)


def marked_real(source, target):
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as con:
        con.execute("UPDATE metadata SET value = 'false' WHERE key = 'synthetic'")
    return target


def test_the_demo_is_warmed_for_the_role_every_viewer_gets(server_process, use_db, demo_db):
    use_db(demo_db)
    assert ui.warm_now() == ["programme"]
    assert ui._warmed == {"programme": db.identity()}
    assert ui.warm_now() == []  # warm already: nothing computed twice


def test_the_warm_results_are_the_ones_viewers_read(server_process, use_db, demo_db,
                                                    monkeypatch):
    use_db(demo_db)
    ui.warm_now()

    def recomputed(*args, **kwargs):
        raise AssertionError("computed again, not read from the server's warm-up")

    monkeypatch.setattr(watchlist, "screen", recomputed)
    as_of = watchlist_day()
    shared = ui._shared(db.identity(), "programme", "watchlist",
                        (as_of, ui.computations.rules_identity(), "fr"))
    assert len(shared) > 10


def watchlist_day():
    metadata = dict(ui._cached_fetch(db.identity(), "programme", "database_metadata",
                                     ()).itertuples(index=False))
    return dt.date.fromisoformat(metadata["data_until"])


def test_a_role_setting_is_warmed_for_that_role(server_process, use_db, demo_db, monkeypatch):
    use_db(demo_db)
    monkeypatch.setenv("FCA_ROLE", "donor")
    assert ui.warm_now() == ["donor"]


def test_a_mistyped_role_setting_warms_nothing(server_process, use_db, demo_db, monkeypatch):
    use_db(demo_db)
    monkeypatch.setenv("FCA_ROLE", "steerin")
    assert ui.warm_now() == []


def test_real_data_without_a_role_setting_is_not_warmed(server_process, use_db, small_db,
                                                        tmp_path):
    # nobody may read it (require_data_setting refuses it), so nothing is computed for it
    use_db(marked_real(small_db, tmp_path / "real.duckdb"))
    assert ui.warm_now() == []


def test_with_login_every_configured_role_is_warmed(server_process, use_db, small_db,
                                                    tmp_path, monkeypatch):
    use_db(marked_real(small_db, tmp_path / "real.duckdb"))
    login_with(monkeypatch, {"steering": ["*@example.org"], "admin": ["a@example.org"]})
    assert ui.warm_now() == ["steering", "admin"]


def test_bad_login_settings_warm_nothing(server_process, use_db, demo_db, monkeypatch):
    use_db(demo_db)
    login_with(monkeypatch, {"chair": ["a@example.org"]})
    with pytest.raises(access.SettingsError):
        access.check_login_settings(AUTH, {"chair": ["a@example.org"]})
    assert ui.warm_now() == []


def test_no_database_yet_warms_nothing(server_process, use_db, tmp_path):
    use_db(tmp_path / "not-built-yet.duckdb")
    assert ui.warm_now() == []


def test_a_swapped_in_file_is_warmed_afresh(server_process, use_db, demo_db, small_db,
                                            tmp_path):
    live = tmp_path / "fca.duckdb"
    shutil.copyfile(demo_db, live)
    use_db(live)
    assert ui.warm_now() == ["programme"]
    before = db.identity()
    incoming = tmp_path / "incoming.duckdb"
    shutil.copyfile(small_db, incoming)
    os.replace(incoming, live)  # how a rebuild or an import swaps the file in
    db.reset()
    assert ui.warm_now() == ["programme"]
    assert ui._warmed["programme"] == db.identity() != before


@pytest.mark.parametrize("role, left_out", [
    ("steering", "problem_sites"), ("donor", "problem_sites"),
    ("public", "sites, problem_sites, sites_map")])
def test_a_narrower_role_is_warmed_for_what_it_may_read(server_process, use_db, demo_db,
                                                        monkeypatch, caplog, role, left_out):
    use_db(demo_db)
    monkeypatch.setenv("FCA_ROLE", role)
    with caplog.at_level(logging.INFO, logger="dashboard.ui"):
        assert ui.warm_now() == [role]
    assert "Warm-up failed" not in caplog.text
    assert f"Warmed up for {role}" in caplog.text
    assert caplog.text.rstrip().endswith(f"not read by this role: {left_out}")


def test_an_unexpected_error_is_logged_and_the_watch_goes_on(monkeypatch, caplog):
    calls = []

    def failing():
        calls.append(1)
        raise RuntimeError("a bug")

    class Stop(Exception):
        pass

    def sleep(seconds):
        if len(calls) == 2:
            raise Stop

    monkeypatch.setattr(ui, "warm_now", failing)
    monkeypatch.setattr(ui.time, "sleep", sleep)
    with caplog.at_level(logging.ERROR, logger="dashboard.ui"), pytest.raises(Stop):
        ui.warm_at_start(poll_seconds=0)
    assert len(calls) == 2 and caplog.text.count("Warm-up at start failed") == 2
