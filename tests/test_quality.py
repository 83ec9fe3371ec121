"""dashboard.quality: completeness, freshness, outliers, duplicates, failed rules, provenance."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from support import shown

from dashboard.ingest import report
from dashboard.quality import completeness, duplicates, imports, outliers, provenance

# -- outliers -------------------------------------------------------------------------------


def test_the_modified_z_score_is_dhis2s():
    values = pd.Series([10.0, 12, 11, 13, 12, 11, 40])
    # median 12, absolute deviations 2 0 1 1 0 1 28 -> MAD 1
    z = outliers.modified_z(values)
    assert z.tolist() == pytest.approx([0.6745 * (v - 12) / 1 for v in values])


def test_a_series_with_no_spread_flags_nothing():
    assert outliers.modified_z(pd.Series([5.0, 5, 5, 5, 9])).isna().all()


def test_outliers_are_judged_within_each_site():
    months = pd.date_range("2023-01-01", periods=8, freq="MS")
    frame = pd.DataFrame({
        "site_id": ["A"] * 8 + ["B"] * 8, "month": list(months) * 2,
        # 400 is ordinary at B, wild at A; a missing month is not a value
        "workers": [100, 102, 98, 101, 99, 100, 400, None,
                    390, 410, 400, 405, 395, 400, 402, 398]})
    found = outliers.outliers(frame, ["workers"])
    assert found[["site_id", "value"]].values.tolist() == [["A", 400.0]]
    assert found.loc[0, "median"] == 100 and found.loc[0, "z"] > 3.5


def test_a_short_series_is_not_judged():
    frame = pd.DataFrame({"site_id": ["A"] * 5, "month": range(5),
                          "workers": [1, 2, 1, 2, 500]})
    assert outliers.outliers(frame, ["workers"]).empty


def test_the_threshold_is_3_5():
    # median 0, MAD 1: z = 0.6745 * x, so x = 5.18 gives 3.49 and 5.2 gives 3.51
    frame = pd.DataFrame({"site_id": ["A"] * 9, "month": range(9),
                          "m": [-1, 1, -1, 1, 0, 0, 0, 5.18, 5.2]})
    assert outliers.outliers(frame, ["m"])["value"].tolist() == [5.2]


# -- completeness and freshness -------------------------------------------------------------

SITES = pd.DataFrame({
    "site_id": ["A", "B", "C"], "name": ["Alpha", "Bravo", "Charlie"],
    "province": ["Lualaba"] * 3, "programme_status": ["programme", "comparison", "comparison"],
    "enrolled_on": [pd.Timestamp("2023-03-15"), pd.NaT, pd.NaT],
    "first_visit": [pd.Timestamp("2023-05-02"), pd.Timestamp("2023-02-10"), pd.NaT],
    "last_visit": [pd.Timestamp("2023-06-20"), pd.Timestamp("2023-05-01"), pd.NaT],
    "last_interview": [pd.Timestamp("2023-06-01"), pd.NaT, pd.NaT],
})


def test_expected_visits_run_from_the_first_monitoring_month_to_the_end():
    months = pd.DataFrame({"site_id": ["A", "A", "B", "B", "B"],
                           "month": pd.to_datetime(["2023-05-01", "2023-06-01", "2023-02-01",
                                                    "2023-04-01", "2023-05-01"]),
                           "visits": [2, 1, 1, 1, 1]})
    result = completeness.visit_completeness(SITES, months, dt.date(2023, 1, 1),
                                             dt.date(2023, 6, 30)).set_index("site_id")
    # A: enrolled in March -> March..June expected (4), 2 visited; B: Feb..June (5), 3 visited
    assert result.loc["A", ["months_expected", "months_visited"]].tolist() == [4, 2]
    assert result.loc["B", ["months_expected", "months_visited"]].tolist() == [5, 3]
    assert result.loc["A", "share_done"] == 0.5 and result.loc["B", "share_done"] == 0.6
    assert result.loc["C", "months_expected"] == 0 and math.isnan(result.loc["C", "share_done"])
    assert list(result.index) == ["A", "B", "C"]  # least complete first, unknown last
    assert completeness.overall_visit_share(result.reset_index()) == 5 / 9


def test_the_period_start_bounds_what_is_expected():
    months = pd.DataFrame({"site_id": ["B"], "month": pd.to_datetime(["2023-05-01"]),
                           "visits": [1]})
    result = completeness.visit_completeness(SITES, months, dt.date(2023, 5, 1),
                                             dt.date(2023, 6, 30)).set_index("site_id")
    assert result.loc["B", ["months_expected", "months_visited"]].tolist() == [2, 1]


MISSING = pd.DataFrame({
    "table_name": ["site_visits"] * 4 + ["incidents"],
    "site_id": ["A", "A", "B", "B", "A"],
    "field": ["workers", "women", "workers", "women", "injuries"],
    "n_rows": [10, 10, 5, 5, 4], "n_filled": [10, 4, 5, 0, 3]})


def test_missing_values_per_table_and_field():
    result = completeness.missing_by_field(MISSING)
    assert result.values.tolist() == [
        ["site_visits", "women", 15, 11, 11 / 15],
        ["incidents", "injuries", 4, 1, 0.25],
        ["site_visits", "workers", 15, 0, 0.0]]


def test_missing_values_per_site_name_the_worst_field():
    result = completeness.missing_by_site(MISSING, SITES)
    first = result.iloc[0]
    assert (first["site_id"], first["table_name"], first["rows"]) == ("B", "site_visits", 5)
    assert first["share_missing"] == 0.5 and first["worst_field"] == "women"
    a_visits = result[(result.site_id == "A") & (result.table_name == "site_visits")].iloc[0]
    assert a_visits["share_missing"] == 6 / 20 and a_visits["worst_share"] == 0.6


def test_freshness_counts_days_to_the_as_of_date_and_lists_the_never_visited_first():
    result = completeness.freshness(SITES, dt.date(2023, 7, 1)).set_index("site_id")
    assert result.loc["A", ["days_since_visit", "days_since_survey"]].tolist() == [11, 30]
    assert result.loc["B", "days_since_visit"] == 61
    assert pd.isna(result.loc["B", "days_since_survey"])
    assert list(result.index) == ["C", "B", "A"]


# -- duplicates -----------------------------------------------------------------------------

GROUPS = pd.DataFrame({
    "table_name": ["site_visits", "site_visits", "sites"],
    "key_columns": ["site_id, visited_on", "site_id, visited_on", "name, province"],
    "site_id": ["A", "B", "A"], "n_rows": [3, 2, 2],
    "shared_value": ["2023-01-05", "2023-02-01", "A, C"]})


def test_duplicates_per_table_count_the_rows_beyond_the_first():
    result = duplicates.by_table(GROUPS)
    assert result.values.tolist() == [["site_visits", "site_id, visited_on", 2, 3],
                                      ["sites", "name, province", 1, 1]]


def test_duplicates_per_site():
    result = duplicates.by_site(GROUPS, SITES)
    assert result.values.tolist() == [["A", "Alpha", "site_visits", 1, 2, "2023-01-05"],
                                      ["A", "Alpha", "sites", 1, 1, "A, C"],
                                      ["B", "Bravo", "site_visits", 1, 1, "2023-02-01"]]


# -- imports --------------------------------------------------------------------------------

def write_report(path, language, rows):
    delimiter = ";" if language == "fr" else ","
    header = {"en": "row,sheet,column,value,rule,severity,message",
              "fr": "ligne;feuille;colonne;valeur;règle;gravité;message"}[language]
    lines = [header] + [delimiter.join(row) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_journal(path, runs):
    import csv
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=report.JOURNAL_COLUMNS)
        writer.writeheader()
        for run in runs:
            writer.writerow({c: run.get(c, "") for c in report.JOURNAL_COLUMNS})


def test_failed_rules_of_the_last_runs_in_either_language(tmp_path):
    reports = tmp_path / "reports"
    english = write_report(reports / "a.csv", "en", [
        ["2", "", "workers", "x", "not_integer", "error", "msg, with comma"],
        ["3", "", "workers", "y", "not_integer", "error", "msg"],
        ["", "", "", "extra", "unused_column", "warning", "msg"]])
    french = write_report(reports / "b.csv", "fr", [
        ["4", "", "lat", "91", "outside_drc", "erreur", "« 91 » ; hors RDC"]])
    outside = write_report(tmp_path / "elsewhere.csv", "en", [
        ["2", "", "x", "y", "required", "error", "secret"]])
    journal = tmp_path / "fca.imports.csv"
    write_journal(journal, [
        {"at": "2025-01-01T10:00:00+00:00", "kind": "visits", "result": "refused",
         "source_file": "/srv/data/uploads/v.csv", "report_file": str(english)},
        {"at": "2025-01-02T10:00:00+00:00", "kind": "sites", "result": "dry_run",
         "source_file": "/srv/s.xlsx", "report_file": str(french)},
        {"at": "2025-01-03T10:00:00+00:00", "kind": "sites", "result": "refused",
         "source_file": "/srv/t.xlsx", "report_file": str(outside)},
        {"at": "2025-01-04T10:00:00+00:00", "kind": "sites", "result": "refused",
         "source_file": "/srv/u.xlsx", "report_file": str(reports / "gone.csv")},
    ])
    runs = imports.read_journal(journal)
    assert runs["file"].tolist() == ["u.xlsx", "t.xlsx", "s.xlsx", "v.csv"]
    failed = imports.failed_rules(runs, reports)
    assert failed[["file", "column", "rule", "severity", "problems"]].values.tolist() == [
        ["s.xlsx", "lat", "outside_drc", "error", 1],
        ["v.csv", "workers", "not_integer", "error", 2],
        ["v.csv", "", "unused_column", "warning", 1]]


def test_no_journal_means_no_runs(tmp_path):
    runs = imports.read_journal(tmp_path / "none.csv")
    assert runs.empty and imports.failed_rules(runs, tmp_path).empty


# -- provenance -----------------------------------------------------------------------------

def sources(n):
    return pd.DataFrame({"source_file": [f"/srv/data/uploads/f{i}*.csv" for i in range(n)],
                         "kinds": ["visits"] * n,
                         "imported_at": [pd.Timestamp("2025-03-04 10:00")] * n,
                         "rows_accepted": [10] * n})


def test_the_footer_says_demo_data():
    metadata = {"synthetic": "true", "generator": "dashboard.demo", "seed": "42",
                "built_at": "2026-11-30T08:00:00+00:00"}
    text = shown(provenance.footer(metadata, sources(0), "en"))
    assert text == ("Data: synthetic demonstration data made by dashboard.demo (seed 42), "
                    "built on Nov 30, 2026.")


def test_the_footer_names_the_imported_files_escaped_newest_first():
    text = provenance.footer({"synthetic": "false", "built_at": "2026-11-30T08:00:00"},
                             sources(5), "fr")
    assert text.startswith("Données : cette base a été construite le 30 nov. 2026. "
                           "Fichiers importés (5)")
    assert "f0\\*\\.csv (visits, 4 mars 2025)" in text and "f3" not in text  # escaped
    assert "et 2 autre(s)" in text and "/srv" not in text


def test_the_footer_without_the_files_names_says_the_kinds_of_data_imported():
    imports = pd.DataFrame({"kinds": ["surveys", "visits"], "files": [1, 4],
                            "imported_at": pd.to_datetime(["2025-03-04", "2025-02-01"])})
    text = shown(provenance.footer({"synthetic": "false", "built_at": "2026-11-30"}, imports,
                                   "en"))
    assert text.endswith("Imported data, newest first: surveys (last loaded Mar 4, 2025), "
                         "visits (last loaded Feb 1, 2025).")


def test_the_footer_of_an_empty_database_says_nothing_was_imported():
    text = provenance.footer({"synthetic": "false"}, sources(0), "en")
    assert text == "Data: this database was built on –. Nothing has been imported into it yet."
