"""Importing real-world files: encodings, separators, decimals, dates, spreadsheets, and
broken files that are refused with a clear report and leave the database byte for byte."""

from __future__ import annotations

import codecs
import csv
import datetime as dt

import duckdb
import pytest
from ingest_fixtures import (
    SITE_HEADER,
    VISIT_HEADER,
    file_hash,
    fresh_copy,
    problems,
    query,
    rules_at,
    run,
    site,
    visit,
    write_csv,
    write_xlsx,
)
from support import ROOT

from dashboard.ingest import report, templates


@pytest.fixture
def database(small_db, tmp_path):
    return fresh_copy(small_db, tmp_path)



def test_a_french_excel_csv_loads(database, tmp_path):
    # semicolons, decimal commas, cp1252 (œ and ’ are not Latin-1), day/month/year, French
    # headers in another case and with trailing spaces, a blank line, thousands with spaces
    path = write_csv(tmp_path / "visites.csv", [
        ["IDENTIFIANT DU SITE ", "date de visite", "Travailleurs", "Femmes",
         "Puits actifs", "Puits couverts", "Puits le plus profond (m)",
         "Part portant des EPI", "Capitaine sécurité présent", "Source"],
        ["FCA-0001", "05/02/2023", "1 250", "310", "12", "4", "31,5", "45 %", "Oui",
         "suivi cœur d’équipe"],
        [],
        ["FCA-0002", "6/2/23", "80", "", "", "", "", "0,25", "non", ""],
    ], delimiter=";", encoding="cp1252", line_end="\r\n")
    outcome = run(database, "visits", path, language="fr")
    assert outcome.result == "loaded", problems(outcome)
    assert outcome.counts["visits"].rows_blank == 1
    rows = query(database, """SELECT site_id, visited_on, workers, women, active_pits,
        covered_pits, deepest_pit_m, ppe_use_share, safety_captain_present, source
        FROM site_visits WHERE visited_on >= '2023-01-01' ORDER BY site_id""")
    assert rows == [
        ("FCA-0001", dt.date(2023, 2, 5), 1250, 310, 12, 4, 31.5, 0.45, True,
         "suivi cœur d’équipe"),
        ("FCA-0002", dt.date(2023, 2, 6), 80, None, None, None, None, 0.25, False,
         "programme monitoring"),
    ]


def test_an_xlsx_with_excel_dates_and_serial_numbers_loads(database, tmp_path):
    header = ["round_id", "site_id", "household_id", "interviewed_on", "head_gender",
              "household_size", "income_mining_usd", "income_non_mining_usd",
              "children_5_17", "children_in_mining", "vsla_member", "sampling_weight"]
    path = write_xlsx(tmp_path / "survey.xlsx", [
        header,
        ["2023-R1", "FCA-0001", "H-1", dt.datetime(2023, 3, 6), "femme", 6, 120.5, 30, 3, 1,
         "oui", 12.5],
        ["2023-R1", "FCA-0001", "H-2", 44995, "male", 4, 80, None, 2, 0, False, 12.5],
        [None] * len(header),
        ["2023-R1", "FCA-0002", "H-3", "2023-03-09T08:30:00Z", "Male", 5, 0, 95.25, None,
         None, None, 9],
    ], date_columns=(3,))
    outcome = run(database, "survey", path)
    assert outcome.result == "loaded", problems(outcome)
    rows = query(database, """SELECT household_id, interviewed_on, head_gender,
        income_non_mining_usd, children_5_17, vsla_member FROM household_survey
        WHERE round_id = '2023-R1' ORDER BY household_id""")
    assert rows == [("H-1", dt.date(2023, 3, 6), "female", 30.0, 3, True),
                    ("H-2", dt.date(2023, 3, 10), "male", None, 2, False),
                    ("H-3", dt.date(2023, 3, 9), "male", 95.25, None, None)]
    assert query(database, "SELECT label, fielded_from, fielded_to FROM survey_rounds "
                           "WHERE round_id = '2023-R1'") == [
        ("2023-R1", dt.date(2023, 3, 6), dt.date(2023, 3, 10))]
    # the rollups were rebuilt, and count only what was answered
    assert query(database, """SELECT n_households, n_vsla_recorded, n_income_recorded
        FROM site_round WHERE site_id = 'FCA-0001' AND round_id = '2023-R1'""") == [(2, 2, 1)]


def _broken_sites(tmp_path):
    good = site()
    return {
        "missing column": ([[h for h in SITE_HEADER if h != "lat"],
                            [v for h, v in zip(SITE_HEADER, good) if h != "lat"]],
                           ("1", "lat", "missing_column")),
        "renamed column": ([[("coord_lat" if h == "lat" else h) for h in SITE_HEADER], good],
                           ("1", "lat", "missing_column")),
        "bad type": ([SITE_HEADER, site(lat="minus ten")], ("2", "lat", "not_number")),
        "out of range": ([SITE_HEADER, site(lat="-20.1")], ("2", "lat", "below_minimum")),
        "swapped": ([SITE_HEADER, site(lat="25.45", lon="-10.70")],
                    ("2", "lat", "swapped_coordinates")),
        "in Zambia": ([SITE_HEADER, site(lat="-12.97", lon="28.64")],
                      ("2", "lat", "outside_drc")),
        "bad choice": ([SITE_HEADER, site(status="maybe")],
                       ("2", "programme_status", "not_allowed")),
        "enrolment without status": ([SITE_HEADER, site(enrolled="2022-01-01")],
                                     ("2", "enrolled_on", "rule")),
        "future date": ([SITE_HEADER, site(status="programme", enrolled="2030-01-01")],
                        ("2", "enrolled_on", "future_date")),
    }


@pytest.mark.parametrize("case", list(_broken_sites(None)))
def test_a_broken_sites_file_is_refused_and_changes_nothing(database, tmp_path, case):
    rows, expected = _broken_sites(tmp_path)[case]
    path = write_csv(tmp_path / "sites.csv", rows)
    before = file_hash(database)
    outcome = run(database, "sites", path)
    assert outcome.result == "refused"
    assert expected in rules_at(outcome)
    assert all(p["message"] for p in problems(outcome))
    assert file_hash(database) == before


def test_a_renamed_column_is_reported_as_unused(database, tmp_path):
    path = write_csv(tmp_path / "sites.csv", [
        [("coord_lat" if h == "lat" else h) for h in SITE_HEADER], site()])
    outcome = run(database, "sites", path)
    assert ("1", "", "unused_column") in rules_at(outcome)
    assert any(p["value"] == "coord_lat" for p in problems(outcome))


@pytest.mark.parametrize("case, rows, expected", [
    ("bad integer", [VISIT_HEADER, visit(workers="many")], ("2", "workers", "not_integer")),
    ("half a worker", [VISIT_HEADER, visit(workers="12.5")], ("2", "workers", "not_integer")),
    ("bad date", [VISIT_HEADER, visit(day="31/02/2023")], ("2", "visited_on", "not_date")),
    ("unknown site", [VISIT_HEADER, visit(site="NOWHERE")], ("2", "site_id",
                                                              "unknown_reference")),
    ("more covered than pits", [VISIT_HEADER, visit(covered="11")], ("2", "covered_pits",
                                                                     "rule")),
    ("women without workers", [VISIT_HEADER, visit(workers="")], ("2", "women", "rule")),
    ("share above one", [VISIT_HEADER, visit(ppe="1.5")], ("2", "ppe_use_share",
                                                          "above_maximum")),
    ("missing date", [VISIT_HEADER, visit(day="")], ("2", "visited_on", "required")),
])
def test_a_broken_visits_file_is_refused_and_changes_nothing(database, tmp_path, case, rows,
                                                             expected):
    path = write_csv(tmp_path / "visits.csv", rows)
    before = file_hash(database)
    outcome = run(database, "visits", path)
    assert outcome.result == "refused"
    assert expected in rules_at(outcome)
    assert file_hash(database) == before


def test_children_at_work_cannot_outnumber_the_children(database, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [
        ["round_id", "site_id", "household_id", "interviewed_on", "children_5_17",
         "children_in_mining", "sampling_weight"],
        ["2023-R1", "FCA-0001", "H-1", "2023-03-01", "2", "3", "1"]])
    outcome = run(database, "survey", path)
    assert ("2", "children_in_mining", "rule") in rules_at(outcome)


@pytest.mark.parametrize("name, content, rule", [
    ("empty.csv", b"", "empty_file"),
    ("header-only.csv", b"site_id,visited_on,workers\n", "empty_file"),
    ("truncated.csv", b'site_id,visited_on,source\nFCA-0001,2023-01-05,"programme mon',
     "unreadable"),
    ("extra-value.csv", b"site_id,visited_on,workers\nFCA-0001,2023-01-05,12,5\n",
     "wrong_field_count"),
    ("short-row.csv", b"site_id,visited_on,workers\n\nFCA-0001,2023-01-05,12\nFCA-0001,2",
     "wrong_field_count"),
])
def test_an_empty_or_truncated_csv_is_refused(database, tmp_path, name, content, rule):
    path = tmp_path / name
    path.write_bytes(content)
    before = file_hash(database)
    outcome = run(database, "visits", path)
    assert outcome.result == "refused"
    assert rule in {p["rule"] for p in problems(outcome)}
    if rule == "wrong_field_count":  # the row a spreadsheet shows, blank lines counted
        assert {p["row"] for p in problems(outcome)} == {"2" if "extra" in name else "4"}
    assert file_hash(database) == before


def test_a_sheet_with_a_title_above_its_header_is_read_from_its_header(database, tmp_path):
    """Field sheets often start with a title and a blank row: the header is found below them,
    and a problem names the row the spreadsheet shows."""
    path = write_xlsx(tmp_path / "visites.xlsx", [
        ["Rapport de visites, novembre 2022"], [], [None, "Kolwezi"],
        VISIT_HEADER, visit(site="NOWHERE"), visit(day="2022-06-21")])
    visits = "SELECT count(*) FROM site_visits WHERE source = 'test'"
    assert query(database, visits) == [(0,)]
    outcome = run(database, "visits", path, lenient=True)
    assert rules_at(outcome) == {("5", "site_id", "unknown_reference")}
    assert outcome.result == "loaded"
    assert query(database, visits) == [(1,)]
    assert "header on row 4" in " ".join(outcome.notes)


def test_a_sheet_without_its_header_names_the_first_row(database, tmp_path):
    path = write_xlsx(tmp_path / "visites.xlsx", [["Rapport"], ["FCA-0001"]])
    outcome = run(database, "visits", path)
    assert outcome.result == "refused"
    assert ("1", "missing_column") in {(row, rule) for row, _, rule in rules_at(outcome)}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_an_excel_unicode_text_export_loads(database, tmp_path, encoding):
    """Excel's "Unicode Text" (Texte Unicode) is UTF-16 with a byte-order mark, tab separated."""
    path = tmp_path / "visites.txt"
    lines = ["\t".join(["Identifiant du site", "Date de visite", "Travailleurs", "Source"]),
             "\t".join(["FCA-0001", "05/02/2023", "1 250", "suivi cœur d’équipe"])]
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes((codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b"")
                     + text.encode(encoding))
    outcome = run(database, "visits", path)
    assert outcome.result == "loaded", problems(outcome)
    assert query(database, "SELECT workers, source FROM site_visits WHERE site_id = 'FCA-0001' "
                           "AND visited_on = DATE '2023-02-05'") == [(1250, "suivi cœur d’équipe")]


def test_a_workbook_saved_under_a_csv_name_is_read_as_a_workbook(database, tmp_path):
    book = write_xlsx(tmp_path / "visits.xlsx", [VISIT_HEADER, visit(day="2022-06-19")])
    renamed = tmp_path / "visits.csv"
    renamed.write_bytes(book.read_bytes())
    outcome = run(database, "visits", renamed)
    assert outcome.result == "loaded", problems(outcome)
    assert "read as a spreadsheet" in " ".join(outcome.notes)


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "site_id\tvisited_on\nFCA-0001\t2023-02-01\n".encode("utf-16-le"),  # UTF-16, no mark
], ids=["pdf", "png", "utf-16 without its mark"])
def test_a_file_that_is_not_text_is_refused_with_a_reason(database, tmp_path, content):
    path = tmp_path / "visits.csv"
    path.write_bytes(content)
    before = file_hash(database)
    outcome = run(database, "visits", path)
    assert outcome.result == "refused"
    found = problems(outcome)
    assert {p["rule"] for p in found} == {"unreadable"}
    assert "not a text file" in " ".join(p["message"] for p in found)
    assert file_hash(database) == before


def test_a_csv_with_a_title_and_blank_lines_above_its_header_names_the_rows_it_shows(
        database, tmp_path):
    path = write_csv(tmp_path / "visites.csv", [
        ["Rapport de visites", "", ""], [], VISIT_HEADER, visit(site="NOWHERE"),
        visit(day="2022-06-19")], delimiter=";")
    outcome = run(database, "visits", path, lenient=True)
    assert rules_at(outcome) == {("4", "site_id", "unknown_reference")}
    assert outcome.counts["visits"].rows_accepted == 1
    damaged = write_csv(tmp_path / "coupé.csv", [
        ["Rapport de visites"], VISIT_HEADER, visit(), visit()[:3]])
    assert rules_at(run(database, "visits", damaged)) == {("4", "", "wrong_field_count")}


def test_a_csv_with_old_mac_line_ends_loads(database, tmp_path):
    path = write_csv(tmp_path / "visits.csv", [VISIT_HEADER, visit(day="2022-06-19")],
                     line_end="\r")
    outcome = run(database, "visits", path)
    assert outcome.result == "loaded", problems(outcome)
    assert outcome.counts["visits"].rows_accepted == 1


def test_coordinates_in_degrees_minutes_and_seconds_load_as_decimal_degrees(database, tmp_path):
    path = write_csv(tmp_path / "sites.csv", [
        SITE_HEADER,
        site("NEW-0001", lat="10°42'30\"S", lon="25°28'E"),
        site("NEW-0002", lat="S 10°42,5'", lon="E 25°28'12''"),
        site("NEW-0003", lat="10°72'S", lon="25°28'E"),  # 72 minutes: no such angle
        site("NEW-0004", lat="10°42'W", lon="25°28'E"),  # a latitude is north or south
    ], delimiter=";")
    outcome = run(database, "sites", path, lenient=True)
    assert rules_at(outcome) == {("4", "lat", "not_number"), ("5", "lat", "not_number")}
    assert query(database, "SELECT site_id, round(lat, 6), round(lon, 6) FROM sites "
                           "WHERE site_id LIKE 'NEW-%' ORDER BY site_id") == [
        ("NEW-0001", -10.708333, 25.466667), ("NEW-0002", -10.708333, 25.47)]


def test_a_truncated_xlsx_is_refused(database, tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", [VISIT_HEADER, visit()])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    before = file_hash(database)
    outcome = run(database, "visits", cut)
    assert outcome.result == "refused"
    assert {p["rule"] for p in problems(outcome)} == {"unreadable"}
    assert file_hash(database) == before


def test_duplicate_keys_keep_the_last_row_and_say_so(database, tmp_path):
    path = write_csv(tmp_path / "visits.csv", [
        VISIT_HEADER, visit(workers="100"), visit(site="FCA-0002"), visit(workers="140")])
    outcome = run(database, "visits", path)
    assert outcome.result == "loaded"
    assert ("2", "site_id", "duplicate_key") in rules_at(outcome)
    assert outcome.counts["visits"].duplicates == 1
    assert query(database, "SELECT workers FROM site_visits WHERE site_id = 'FCA-0001' "
                           "AND visited_on = '2023-02-01'") == [(140,)]


def test_lenient_loads_the_good_rows_and_reports_the_others(database, tmp_path):
    path = write_csv(tmp_path / "visits.csv", [
        VISIT_HEADER, visit(), visit(site="NOWHERE"), visit(site="FCA-0002", pits="x")])
    outcome = run(database, "visits", path, lenient=True)
    assert outcome.result == "loaded"
    counts = outcome.counts["visits"]
    assert (counts.rows_read, counts.rows_rejected, counts.rows_new) == (3, 2, 1)
    assert {r for r, _, _ in rules_at(outcome)} == {"3", "4"}
    assert query(database, "SELECT kind, rows_in, rows_accepted, rows_rejected, imported_by "
                           "FROM import_log") == [("visits", 3, 1, 2, "tester")]


def test_the_same_file_twice_changes_nothing_and_says_so(database, tmp_path):
    path = write_csv(tmp_path / "visits.csv", [VISIT_HEADER, visit()])
    assert run(database, "visits", path).result == "loaded"
    before = file_hash(database)
    again = run(database, "visits", path)
    assert again.result == "unchanged" and again.previous
    assert file_hash(database) == before
    # the same rows in another file (another hash): the keys say nothing changed
    copy = write_csv(tmp_path / "copy.csv", [VISIT_HEADER, visit()], line_end="\n")
    by_keys = run(database, "visits", copy)
    assert by_keys.result == "unchanged" and not by_keys.previous
    assert by_keys.counts["visits"].rows_unchanged == 1
    assert file_hash(database) == before


def test_an_upsert_replaces_a_changed_row_and_keeps_its_id(database, tmp_path):
    run(database, "visits", write_csv(tmp_path / "a.csv", [VISIT_HEADER, visit()]))
    (first_id,) = query(database, "SELECT visit_id FROM site_visits "
                                  "WHERE site_id = 'FCA-0001' AND visited_on = '2023-02-01'")
    outcome = run(database, "visits", write_csv(tmp_path / "b.csv",
                                                [VISIT_HEADER, visit(workers="125")]))
    assert outcome.counts["visits"].rows_changed == 1
    assert query(database, "SELECT visit_id, workers FROM site_visits "
                           "WHERE site_id = 'FCA-0001' AND visited_on = '2023-02-01'") == [
        (first_id[0], 125)]


def test_a_site_upsert_keeps_the_columns_the_file_does_not_have(database, tmp_path):
    con = duckdb.connect(str(database))
    con.execute("UPDATE sites SET permit_code = 'PE 525', cooperative = 'COMIKU' "
                "WHERE site_id = 'FCA-0001'")
    con.close()
    path = write_csv(tmp_path / "sites.csv", [
        ["site_id", "name", "lat", "lon", "programme_status", "enrolled_on"],
        ["FCA-0001", "Kasulo (renamed)", "-10.705", "25.479", "programme", "2020-08-01"]])
    outcome = run(database, "sites", path)
    assert outcome.result == "loaded", problems(outcome)
    assert query(database, "SELECT name, permit_code, cooperative, province FROM sites "
                           "WHERE site_id = 'FCA-0001'") == [
        ("Kasulo (renamed)", "PE 525", "COMIKU", "Lualaba")]


def test_a_survey_file_replaces_its_round(database, tmp_path):
    header = ["round_id", "site_id", "household_id", "interviewed_on", "sampling_weight"]
    rows = [["2023-R1", "FCA-0001", f"H-{i}", "2023-03-01", "1"] for i in range(3)]
    run(database, "survey", write_csv(tmp_path / "a.csv", [header, *rows]))
    outcome = run(database, "survey", write_csv(tmp_path / "b.csv", [header, *rows[:2]]))
    counts = outcome.counts["survey"]
    assert (counts.rows_unchanged, counts.rows_removed) == (2, 1)
    assert query(database, "SELECT count(*) FROM household_survey "
                           "WHERE round_id = '2023-R1'") == [(2,)]


def test_supply_appends_and_refuses_a_lot_already_loaded(database, tmp_path):
    header = ["lot_id", "site_id", "sold_on", "buyer", "ore_tonnes", "grade",
              "price_usd_per_t", "reference_price_usd_per_t", "independently_graded",
              "traced", "meets_fair_criteria"]
    (top,) = query(database, "SELECT max(lot_id) + 1 FROM supply")[0]
    lot = [str(top), "FCA-0001", "2022-06-01", "Depot A", "2,5", "12%", "30000", "32000",
           "yes", "yes", "no"]
    path = write_csv(tmp_path / "lots.csv", [header, lot], delimiter=";")
    assert run(database, "supply", path).result == "loaded"
    assert query(database, "SELECT cobalt_tonnes FROM supply WHERE lot_id = $id",
                 {"id": top}) == [(pytest.approx(0.3),)]
    again = write_csv(tmp_path / "again.csv", [header, lot, [str(top + 1), *lot[1:]]],
                      delimiter=";")
    outcome = run(database, "supply", again)
    assert outcome.result == "refused"
    assert ("2", "lot_id", "already_in_database") in rules_at(outcome)


def test_a_dry_run_reports_and_changes_nothing(database, tmp_path):
    path = write_csv(tmp_path / "visits.csv", [VISIT_HEADER, visit()])
    before = file_hash(database)
    outcome = run(database, "visits", path, dry_run=True)
    assert outcome.result == "dry_run" and outcome.counts["visits"].rows_new == 1
    assert file_hash(database) == before


def test_every_run_is_in_the_journal(database, tmp_path):
    good = write_csv(tmp_path / "good.csv", [VISIT_HEADER, visit()])
    bad = write_csv(tmp_path / "bad.csv", [VISIT_HEADER, visit(site="NOWHERE")])
    run(database, "visits", good, dry_run=True)
    run(database, "visits", bad)
    run(database, "visits", good)
    run(database, "visits", good)
    with open(report.journal_path(database), encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert [(line["result"], line["mode"]) for line in lines] == [
        ("dry_run", "dry-run strict"), ("refused", "strict"), ("loaded", "strict"),
        ("unchanged", "strict")]
    assert all(line["source_sha256"] and line["imported_by"] == "tester" for line in lines)
    assert lines[1]["rows_rejected"] == "1"


def test_a_mapping_file_names_the_columns(database, tmp_path):
    mapping = {"site_id": ["Code site"], "visited_on": ["Jour"]}
    path = write_csv(tmp_path / "visits.csv", [["Code site", "Jour", "workers"],
                                               ["FCA-0001", "2023-02-01", "10"]])
    outcome = run(database, "visits", path, mapping=mapping)
    assert outcome.result == "loaded", problems(outcome)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_filled_template_imports(database, tmp_path, language):
    from openpyxl import load_workbook

    path = templates.write_template("incidents", tmp_path / "incidents.xlsx", language)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    kind = "éboulement" if language == "fr" else "pit_collapse"
    sheet.append(["FCA-0001", dt.date(2022, 5, 3), kind, 1, 2])
    book.save(path)
    outcome = run(database, "incidents", path, language=language)
    assert outcome.result == "loaded", problems(outcome)
    assert query(database, "SELECT kind, fatalities, injuries FROM incidents "
                           "WHERE site_id = 'FCA-0001' AND occurred_on = '2022-05-03'") == [
        ("pit_collapse", 1, 2)]


def test_the_report_is_in_the_users_language(database, tmp_path):
    path = write_csv(tmp_path / "visits.csv", [VISIT_HEADER, visit(depth="profond")])
    outcome = run(database, "visits", path, language="fr")
    (problem,) = problems(outcome)
    assert problem == {"ligne": "2", "feuille": "", "colonne": "deepest_pit_m",
                       "valeur": "profond", "règle": "not_number", "gravité": "erreur",
                       "message": "« profond » n'est pas un nombre."}


def test_what_a_file_leaves_empty_stays_unknown_and_the_rollups_count_only_it(database,
                                                                              tmp_path):
    path = write_csv(tmp_path / "visits.csv", [
        ["site_id", "visited_on", "workers", "children_under_15", "active_pits"],
        ["FCA-0001", "2023-02-01", "100", "3", ""],
        ["FCA-0001", "2023-02-15", "", "2", "8"]])
    assert run(database, "visits", path).result == "loaded"
    assert query(database, """SELECT women, covered_pits FROM site_visits
        WHERE site_id = 'FCA-0001' AND visited_on >= '2023-02-01'""") == [(None, None)] * 2
    assert query(database, """SELECT visits, visits_with_workers, workers_seen,
        children_under_15_seen, children_under_15_seen_with_workers,
        workers_seen_with_children_under_15, active_pits, active_pits_with_covered, workforce
        FROM site_month WHERE site_id = 'FCA-0001' AND month = '2023-02-01'""") == [
        (2, 1, 100, 5, 3, 100, 8, None, 100.0)]


def test_a_site_without_a_province_is_in_no_province(database, tmp_path):
    path = write_csv(tmp_path / "sites.csv", [
        ["site_id", "name", "lat", "lon", "programme_status"],
        ["IPIS-1", "Mine d'or", "-2.5", "28.9", "comparison"]])
    assert run(database, "sites", path).result == "loaded"
    sql = (ROOT / "queries" / "provinces.sql").read_text()
    assert None not in [row[0] for row in query(database, sql)]
