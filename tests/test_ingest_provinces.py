"""A site's province at import: the database's spelling, else the province its position lies
in, so the province filter finds every site, anywhere in the DRC."""

from __future__ import annotations

import duckdb
import pytest
from ingest_fixtures import fresh_copy, problems, run, write_csv


@pytest.fixture
def database(small_db, tmp_path):
    return fresh_copy(small_db, tmp_path)


def provinces_of(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("SELECT site_id, province FROM sites").fetchall())
    finally:
        con.close()


def test_provinces_are_spelled_as_the_database_does_and_filled_from_the_position(database,
                                                                                tmp_path):
    path = write_csv(tmp_path / "sites.csv", [
        ["site_id", "name", "province", "lat", "lon", "programme_status"],
        ["NEW-1", "Spelled in capitals", "HAUT KATANGA", "-11.66", "27.48", "comparison"],
        ["NEW-2", "No province", "", "-1.95", "28.93", "comparison"],
        ["NEW-3", "Former province", "Katanga", "-10.70", "25.48", "comparison"],
        ["NEW-4", "Kasai accent", "kasai-central", "-5.90", "22.42", "comparison"]])
    outcome = run(database, "sites", path)
    assert outcome.result == "loaded", problems(outcome)
    found = provinces_of(database)
    assert [found[s] for s in ("NEW-1", "NEW-2", "NEW-3", "NEW-4")] == [
        "Haut-Katanga", "Sud-Kivu", "Lualaba", "Kasaï Central"]
    (warning,) = [p for p in problems(outcome) if p["rule"] == "unknown_province"]
    assert (warning["row"], warning["value"], warning["severity"]) == ("4", "Katanga", "warning")
    assert "Lualaba" in warning["message"]


def test_a_file_without_a_province_keeps_a_sites_known_province(database, tmp_path):
    before = provinces_of(database)["FCA-0001"]
    path = write_csv(tmp_path / "sites.csv", [
        ["site_id", "name", "lat", "lon", "programme_status", "enrolled_on"],
        ["FCA-0001", "Kasulo", "-10.705", "25.479", "programme", "2020-09-01"],
        ["NEW-5", "East", "1.56", "30.25", "comparison", ""]])
    assert run(database, "sites", path).result == "loaded"
    found = provinces_of(database)
    assert found["FCA-0001"] == before and found["NEW-5"] == "Ituri"
