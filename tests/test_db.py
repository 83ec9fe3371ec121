"""The query runner: named queries, required parameters, clear errors, file swaps."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading

import duckdb
import pytest

from dashboard import data, db
from dashboard.build import write_database


def test_runs_a_named_query_with_parameters(use_db, small_db):
    use_db(small_db)
    sites = db.run("sites_list", province="Lualaba")
    assert len(sites) > 0 and set(sites["province"]) == {"Lualaba"}


def test_a_result_carries_its_level_from_the_one_read_of_the_query(use_db, small_db,
                                                                  monkeypatch):
    use_db(small_db)
    reads = []
    load = db.load_query
    monkeypatch.setattr(db, "load_query", lambda name: reads.append(name) or load(name))
    assert db.execute("sites_list", province=None).level == "site"
    assert db.execute("provinces").level == "aggregate"
    reads.clear()
    sites = data.fetch(data.Viewer(), "sites_list", province="Lualaba")
    assert reads == ["sites_list"] and set(sites["province"]) == {"Lualaba"}


@pytest.mark.parametrize("name, message", [
    ("no_such_query", "Unknown query 'no_such_query'"),
    ("../etc/passwd", "not a valid query name"),
    ("Sites_List", "not a valid query name"),
])
def test_unknown_or_invalid_query_names_are_refused(use_db, small_db, name, message):
    use_db(small_db)
    with pytest.raises(db.QueryError, match=message):
        db.run(name)


def test_missing_and_unexpected_parameters_are_named(use_db, small_db):
    use_db(small_db)
    with pytest.raises(db.QueryError, match="missing province"):
        db.run("sites_list")
    with pytest.raises(db.QueryError, match="unexpected colour"):
        db.run("sites_list", province=None, colour="red")


def test_a_missing_database_says_where_it_looked(use_db, tmp_path):
    use_db(tmp_path / "nowhere.duckdb")
    with pytest.raises(db.DatabaseUnavailable, match="No database at .*nowhere.duckdb"):
        db.run("provinces")


def test_a_corrupt_database_is_reported_not_crashed_on(use_db, tmp_path):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database" * 1000)
    use_db(broken)
    with pytest.raises(db.DatabaseUnavailable, match="not a readable FCA database"):
        db.run("provinces")


def test_a_database_of_another_schema_version_is_refused(use_db, tmp_path):
    import duckdb
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE metadata (key VARCHAR, value VARCHAR)")
        con.execute("INSERT INTO metadata VALUES ('schema_version', '0')")
    use_db(other)
    with pytest.raises(db.DatabaseUnavailable, match="schema version 0"):
        db.run("provinces")


def test_a_new_file_swapped_in_is_picked_up_without_restart(use_db, small_db, tmp_path):
    live = tmp_path / "live.duckdb"
    shutil.copy(small_db, live)
    use_db(live)
    before = db.run("sites_list", province=None)
    replacement = tmp_path / "replacement.duckdb"
    shutil.copy(small_db, replacement)
    import duckdb
    with duckdb.connect(str(replacement)) as con:
        con.execute("UPDATE sites SET name = 'Renamed' WHERE site_id = 'FCA-0001'")
    os.replace(replacement, live)
    after = db.run("sites_list", province=None)
    assert "Renamed" not in set(before["name"]) and "Renamed" in set(after["name"])


def test_a_failed_build_leaves_the_old_database_as_it_was(small_db, tmp_path):
    live = tmp_path / "live.duckdb"
    shutil.copy(small_db, live)
    before = live.read_bytes()

    def fail(con):
        con.execute("INSERT INTO sites (site_id) VALUES ('half an import')")

    with pytest.raises(duckdb.Error):
        write_database(live, fail)
    assert live.read_bytes() == before
    # nothing but the database and the writers' lock file, which stays (see build.writer_lock)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.duckdb", "live.duckdb.lock"]


def test_concurrent_queries_from_many_threads(use_db, small_db):
    use_db(small_db)
    errors = []

    def work():
        try:
            for _ in range(20):
                db.run("indicator_visit_rate_per_1000", province=None, site_id=None,
                       programme_status=None, start=dt.date(2020, 1, 1),
                       end=dt.date(2022, 6, 30), numerator="children_under_15_seen")
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
