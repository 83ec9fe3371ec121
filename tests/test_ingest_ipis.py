"""The IPIS open-data importer: mines become sites (matched by IPIS code, by name within 2 km,
or added), visits become site visits; flags stay flags, gaps stay unknown; broken files are
refused with a clear report and the database left byte for byte."""

from __future__ import annotations

import duckdb
import pytest
from ingest_fixtures import TODAY, file_hash, fresh_copy, problems, query, write_csv
from ipis_fixture import HEADER, ROWS, ipis_row

from dashboard.ingest import __main__ as cli
from dashboard.ingest import pipeline
from dashboard.ingest.ipis import import_ipis


@pytest.fixture
def database(small_db, tmp_path):
    path = fresh_copy(small_db, tmp_path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE sites SET ipis_pcode = 'codmine00003' WHERE site_id = 'FCA-0003'")
    con.close()
    return path


def run_ipis(database, path, **options):
    options.setdefault("today", TODAY)
    options.setdefault("user", "tester")
    return import_ipis(database, path, pipeline.Options(**options))



def rules(outcome):
    return {(p["row"], p["column"], p["rule"], p["severity"]) for p in problems(outcome)}


def test_an_ipis_file_loads_sites_and_visits(database, tmp_path):
    path = write_csv(tmp_path / "cod_mines_curated_all_opendata_p_ipis.csv", [HEADER, *ROWS])
    before = query(database, "SELECT count(*) FROM sites")[0][0]
    outcome = run_ipis(database, path)
    assert outcome.result == "loaded", problems(outcome)
    assert {("3", "name", "ipis_matched_by_name", "warning"),
            ("6", "visit_onsite", "ipis_not_visited", "warning"),
            ("8", "visit_date", "ipis_programme_visit_kept", "warning")} <= rules(outcome)
    assert not [p for p in problems(outcome) if p["severity"] == "error"]
    (not_visited,) = [p for p in problems(outcome) if p["rule"] == "ipis_not_visited"]
    assert "reason given: Insécurité" in not_visited["message"]

    # matched sites keep what they had and gain the code; three mines are added
    assert query(database, "SELECT count(*) FROM sites")[0][0] == before + 3
    assert query(database, """SELECT site_id, name, programme_status, source, ipis_pcode
        FROM sites WHERE site_id IN ('FCA-0002', 'FCA-0003') ORDER BY 1""") == [
        ("FCA-0002", "Kamilombe", "programme", "synthetic demo", "codmine00777"),
        ("FCA-0003", "Kapata", "programme", "synthetic demo", "codmine00003")]
    added = query(database, """SELECT site_id, name, province, lat, lon, programme_status,
            enrolled_on, source FROM sites WHERE source = 'IPIS' ORDER BY 1""")
    assert added == [
        ("IPIS-codmine00191", "Kalimbi", "Sud-Kivu", -1.95, 28.93, "comparison", None, "IPIS"),
        ("IPIS-codmine00555", "Mine de Mongbwalu", "Ituri", 1.95, 30.03, "comparison", None,
         "IPIS"),
        ("IPIS-codmine00600", "Site de Kampene", "Maniema", -3.6, 26.65, "comparison", None,
         "IPIS")]

    # visits: flags as flags, never as counts; what IPIS left empty is unknown, never 0
    visits = query(database, """SELECT site_id, visited_on::VARCHAR, workers, women,
            children_under_15, children_under_15_present, women_present, armed_interference,
            minerals FROM site_visits
        WHERE source = 'IPIS' AND (site_id LIKE 'IPIS-%' OR visited_on IN
                                   ('2021-03-10', '2021-05-12'))
        ORDER BY site_id, visited_on""")
    assert visits == [
        ("FCA-0002", "2021-05-12", None, None, None, None, True, None, []),
        ("FCA-0003", "2021-03-10", 250, None, None, True, False, False, ["Cobalt", "Cuivre"]),
        ("IPIS-codmine00191", "2020-02-01", 900, None, None, None, None, None, []),
        ("IPIS-codmine00191", "2021-08-01", 1200, None, None, False, True, True,
         ["Cassitérite", "Or"]),
        ("IPIS-codmine00600", "2021-07-07", None, None, None, None, None, None, [])]
    # the programme's own visit of that day is untouched
    assert query(database, """SELECT source, workers <> 999 FROM site_visits
        WHERE site_id = 'FCA-0003' AND visited_on = '2021-05-01'""") == [
        ("programme monitoring", True)]
    assert any("not stored" in note for note in outcome.notes)


def test_an_ipis_reimport_changes_nothing(database, tmp_path):
    path = write_csv(tmp_path / "ipis.csv", [HEADER, *ROWS])
    assert run_ipis(database, path).result == "loaded"
    before = file_hash(database)
    again = run_ipis(database, path)
    assert again.result == "unchanged" and again.previous
    # the same rows in another file (another hash): every row is found unchanged
    copy = write_csv(tmp_path / "ipis-copy.csv", [HEADER, *ROWS, [""] * len(HEADER)])
    outcome = run_ipis(database, copy)
    assert outcome.result == "unchanged"
    assert sum(c.changes for c in outcome.counts.values()) == 0
    assert file_hash(database) == before


def test_the_command_line_loads_an_ipis_file(database, tmp_path, capsys):
    path = write_csv(tmp_path / "ipis.csv", [HEADER, *ROWS])
    assert cli.main(["ipis", str(path), "--db", str(database), "--dry-run"]) == 0
    assert "Dry run" in capsys.readouterr().out
    assert cli.main(["ipis", str(path), "--db", str(database)]) == 0
    assert query(database, "SELECT count(*) FROM site_visits WHERE site_id LIKE 'IPIS-%'"
                 )[0][0] == 3


def _without(column):
    index = HEADER.index(column)
    return [[v for i, v in enumerate(r) if i != index] for r in (HEADER, *ROWS)]


BROKEN = {
    "missing column": (lambda: _without("latitude"), ("1", "", "ipis_missing_column")),
    "bad coordinates": (lambda: [HEADER, ipis_row("codmine00900", "Mine", "2021-01-01",
                                                  "28,9,1", "-2.5")],
                        ("2", "lon", "not_number")),
    "swapped lat/lon": (lambda: [HEADER, ipis_row("codmine00901", "Mine", "2021-01-01",
                                                  "-2.5", "28.9")],
                        ("2", "lat", "swapped_coordinates")),
    "outside the DRC": (lambda: [HEADER, ipis_row("codmine00902", "Mine", "2021-01-01",
                                                  "29.7", "-1.95")],  # Rwanda
                        ("2", "lat", "outside_drc")),
    "no pcode": (lambda: [HEADER, ipis_row("", "Mine", "2021-01-01", "28.9", "-2.5")],
                 ("2", "pcode", "required")),
    "a flag that is no flag": (lambda: [HEADER, ipis_row("codmine00903", "Mine", "2021-01-01",
                                                         "28.93", "-1.95", child="12")],
                               ("2", "children_under_15_present", "not_boolean")),
    "bad date": (lambda: [HEADER, ipis_row("codmine00904", "Mine", "31/02/2021", "28.93",
                                           "-1.95")], ("2", "visited_on", "not_date")),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_ipis_file_is_refused_and_changes_nothing(database, tmp_path, case):
    rows, (row, column, rule) = BROKEN[case]
    path = write_csv(tmp_path / "ipis.csv", rows())
    before = file_hash(database)
    outcome = run_ipis(database, path)
    assert outcome.result == "refused"
    found = {(p["row"], p["column"], p["rule"]) for p in problems(outcome)}
    assert (row, column, rule) in found, found
    assert all(p["message"] for p in problems(outcome))
    assert file_hash(database) == before


def test_lenient_loads_the_good_ipis_rows(database, tmp_path):
    bad = ipis_row("codmine00901", "Mine", "2021-01-01", "-2.5", "28.9")
    path = write_csv(tmp_path / "ipis.csv", [HEADER, *ROWS, bad])
    outcome = run_ipis(database, path, lenient=True)
    assert outcome.result == "loaded"
    # the bad mine and so its visit are refused, the others are in
    assert query(database, "SELECT count(*) FROM sites WHERE source = 'IPIS'")[0][0] == 3
    assert ("9", "site_id", "unknown_reference") in {
        (p["row"], p["column"], p["rule"]) for p in problems(outcome)}
