"""The IPIS open-data importer: mines become sites (matched by IPIS code, by name within 2 km,
or added), visits become site visits; flags stay flags, gaps stay unknown; broken files are
refused with a clear report and the database left byte for byte."""

from __future__ import annotations

import duckdb
import pytest
from ingest_fixtures import TODAY, file_hash, fresh_copy, problems, write_csv

from dashboard.ingest import __main__ as cli
from dashboard.ingest import pipeline
from dashboard.ingest.ipis import import_ipis

# the IPIS open-data CSV's columns (a selection of its ~85, in its order and spelling)
HEADER = ["id", "vid", "source", "project", "pcode", "name", "visit_date", "visit_onsite",
          "visit_onsite_novisitreason", "longitude", "latitude", "province", "territoire",
          "collectivite", "groupement", "village", "workers_numb", "mineral1", "mineral2",
          "mineral3", "childunder15", "childunder15work", "women", "womenwork", "armed_group1",
          "armed_group2", "armed_group3", "interference", "state_service1", "state_service2",
          "state_service3", "state_service4", "traceability", "qualification", "mercury"]


def ipis_row(pcode, name, date, lon, lat, *, onsite="yes", province="", workers="",
             minerals=("", "", ""), child="", women="", interference="", village=""):
    values = {"id": "1", "vid": "1", "source": "IPIS", "project": "IPIS - 2021", "pcode": pcode,
              "name": name, "visit_date": date, "visit_onsite": onsite, "longitude": lon,
              "latitude": lat, "province": province, "village": village,
              "workers_numb": workers, "mineral1": minerals[0], "mineral2": minerals[1],
              "mineral3": minerals[2], "childunder15": child, "women": women,
              "interference": interference, "armed_group1": "FARDC" if interference else "",
              "state_service1": "SAEMAPE", "traceability": "iTSCi", "qualification": "vert",
              "childunder15work": "Transport" if child == "yes" else ""}
    return [values.get(column, "") for column in HEADER]


ROWS = [
    # 2: FCA-0003 carries this IPIS code (set below): matched by code
    ipis_row("codmine00003", "Kapata (IPIS)", "2021-03-10", "25.384", "-10.772",
             province="Lualaba", workers="250", minerals=("Cobalt", "Cuivre", ""),
             child="yes", women="no", interference="no"),
    # 3: same name as FCA-0002 (Kamilombe), about 1.2 km away: matched by name
    ipis_row("codmine00777", "KAMILOMBE", "12/05/2021", "25.41", "-10.79", child="-1",
             women="yes"),
    # 4 and 5: a new gold mine in Sud-Kivu (province spelled another way), two visits
    ipis_row("codmine00191", "Kalimbi", "2021-08-01T00:00:00Z", "28.93", "-1.95",
             province="SUD KIVU", workers="1200", minerals=("Cassitérite", "Or", ""),
             child="no", women="yes", interference="yes"),
    ipis_row("codmine00191", "Kalimbi", "2020-02-01", "28.93", "-1.95", province="Sud-Kivu",
             workers="900"),
    # 6: not visited on site: the mine is added, no visit
    ipis_row("codmine00555", "Mine de Mongbwalu", "2021-01-05", "30.03", "1.95", onsite="no",
             workers="300"),
    # 7: visited, nothing recorded but the date: every count and flag stays unknown
    ipis_row("codmine00600", "Site de Kampene", "2021-07-07", "26.65", "-3.6", onsite=""),
    # 8: the programme visited FCA-0003 that day: its own visit is kept
    ipis_row("codmine00003", "Kapata (IPIS)", "2021-05-01", "25.384", "-10.772",
             workers="999"),
]


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


def query(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


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
