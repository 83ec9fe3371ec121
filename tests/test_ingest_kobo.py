"""KoboToolbox / ODK exports of the shipped forms load without hand editing (`--form`): XML
names or labels (English, French), group prefixes with any separator, select_multiple as one
column or 0/1 columns, a repeat group on its own sheet, duplicate submissions; broken exports
are refused with a clear report and leave the database byte for byte."""

from __future__ import annotations

import zipfile

import pytest
from ingest_fixtures import TODAY, file_hash, fresh_copy, problems, query, write_csv
from kobo_fixtures import (
    HOUSEHOLD_FORM,
    VISIT_FORM,
    child,
    export_rows,
    household,
    visit,
    write_workbook,
)

from dashboard import i18n
from dashboard.ingest import kobo, kobo_form, pipeline
from dashboard.ingest.__main__ import main
from dashboard.ingest.report import REPORT_COLUMNS
from dashboard.ingest.sources import SourceError

MAIN_SHEET = "FCA household survey - Enquê"  # Kobo names it after the form, cut to 31


@pytest.fixture
def database(small_db, tmp_path):
    return fresh_copy(small_db, tmp_path)



def run(target, path, form=HOUSEHOLD_FORM, kind="survey", sheet=None, **options):
    options.setdefault("today", TODAY)
    options.setdefault("user", "tester")
    loaded_form, mapping = kobo.load_form(form, None, kind)
    return kobo.import_export(target, kind, path, loaded_form, mapping,
                              pipeline.Options(**options), sheet)


def report(outcome) -> list[dict]:
    """The report's lines, keyed by the English column names whatever its language."""
    names = {i18n.translate(language, f"ingest.report.{c}"): c
             for language in ("en", "fr") for c in REPORT_COLUMNS}
    return [{names[k]: v for k, v in p.items()} for p in problems(outcome)]


def found(outcome) -> set[tuple]:
    return {(p["row"], p["sheet"], p["column"], p["value"], p["rule"])
            for p in report(outcome)}


def survey_rows(database):
    return query(database, """SELECT household_id, site_id, interviewed_on::VARCHAR,
        head_gender, household_size, income_mining_usd, income_non_mining_usd,
        income_women_usd, reported_currency, fx_cdf_per_usd, vsla_member, savings_usd,
        food_insecure, children_5_17, children_in_school, children_in_mining,
        children_hazardous, sampling_weight
        FROM household_survey WHERE round_id = '2025-R1' ORDER BY household_id""")


def households():
    """Four submissions: two households (the first with two children, one at work in
    hazardous conditions), one without consent, and the second sent twice."""
    first = household(1, "u-1")
    first_children = [child(1, first), child(2, first, sex="male", age=15, school="no",
                                             mining="yes", tasks="digging carrying",
                                             hazardous="yes")]
    first.update(household(1, "u-1", children=first_children))
    second = household(2, "u-2", site="FCA-0002", head_gender="male", household_size=4,
                       currency="CDF", income_sources="farming", income_mining=None,
                       income_mining_usd=0, income_non_mining=280000,
                       income_non_mining_usd=100, income_women=0, income_women_usd=0,
                       vsla_member="no", savings=None, savings_usd=0, food_insecure="yes")
    refused = household(3, "u-3", consent="no")
    resent = {**second, "household_size": 5, "_index": 4, "_id": 9004,
              "_submission_time": "2025-03-05T08:00:00"}
    return [first, second, refused, resent], first_children


EXPECTED = [
    ("HH-001", "FCA-0001", "2025-03-04", "female", 6, 120.0, 40.0, 30.0, "USD", 2800.0, True,
     50.0, False, 2, 1, 1, 1, 1.0),
    ("HH-002", "FCA-0002", "2025-03-04", "male", 5, 0.0, 100.0, 0.0, "CDF", 2800.0, False,
     0.0, True, 0, 0, 0, 0, 1.0),
]


def test_an_xlsx_export_with_xml_names_and_a_repeat_sheet_loads(database, tmp_path):
    submissions, children = households()
    # the main row's own totals are set wrong: the counts must come from the repeat sheet
    submissions[0].update(children_5_17=9, children_in_school=9)
    path = write_workbook(tmp_path / "kobo.xlsx", {
        MAIN_SHEET: export_rows(HOUSEHOLD_FORM, submissions),
        "children": export_rows(HOUSEHOLD_FORM, children, repeat="children")})
    outcome = run(database, path)
    assert outcome.result == "loaded", problems(outcome)
    assert survey_rows(database) == EXPECTED
    assert query(database, """SELECT label, fielded_from::VARCHAR, fielded_to::VARCHAR
        FROM survey_rounds WHERE round_id = '2025-R1'""") == [
        ("2025-R1", "2025-03-04", "2025-03-04")]
    assert found(outcome) == {
        ("3", MAIN_SHEET, "_uuid", "u-2", "duplicate_submission"),  # row 5 is kept
        ("4", MAIN_SHEET, "interview/consent", "no", "submission_skipped")}
    messages = {p["rule"]: p["message"] for p in report(outcome)}
    assert "row 5, which is kept" in messages["duplicate_submission"]
    # the same export again changes nothing
    assert run(database, path).result == "unchanged"


@pytest.mark.parametrize("layout", [
    {"labels": "fr", "separator": "/", "multiple": "single"},
    {"labels": "en", "separator": ".", "multiple": "split"},
    {"labels": None, "separator": ":", "multiple": "both"},
    {"labels": None, "groups": False, "multiple": "split"},
    {"labels": "fr", "groups": False, "multiple": "both"},
])
def test_a_semicolon_csv_export_loads_whatever_its_headers(database, tmp_path, layout):
    submissions, _ = households()
    path = write_csv(tmp_path / "kobo.csv", export_rows(HOUSEHOLD_FORM, submissions, **layout),
                     delimiter=";")
    outcome = run(database, path, language="fr" if layout["labels"] == "fr" else "en")
    assert outcome.result == "loaded", problems(outcome)
    # a CSV has no repeat sheet: the household's totals are the form's own
    assert survey_rows(database) == EXPECTED
    assert {p["rule"] for p in report(outcome)} == {"duplicate_submission",
                                                      "submission_skipped"}


def test_french_labels_of_a_select_multiple_with_spaces_and_commas_are_read():
    form = kobo_form.read_form(HOUSEHOLD_FORM)
    item = form.fields["income_sources"]
    lookup = item.choice_lookup()
    text = "Exploitation minière artisanale ou négoce de minerais Agriculture, élevage ou pêche"
    assert kobo_form.parse_multiple(text, item, lookup) == ["mining", "farming"]
    assert kobo_form.parse_multiple("mining trade", item, lookup) == ["mining", "trade"]
    assert kobo_form.parse_multiple("Other; Wages from a job", item, lookup) == ["other", "wage"]
    assert kobo_form.parse_multiple("mining gold", item, lookup) is None


@pytest.mark.parametrize("labels", [None, "fr"])
def test_a_site_visit_export_loads(database, tmp_path, labels):
    submissions = [visit(1, "v-1"), visit(2, "v-2", site="FCA-0002", day="2025-04-03",
                                            active_pits=0, covered_pits=None,
                                            pits_over_30m=None, deepest_pit_m=None,
                                            workers_observed=0, workers_with_ppe=None,
                                            ppe_use_share=None, safety_captain_present="no",
                                            independent_grading="yes")]
    path = write_csv(tmp_path / "visits.csv", export_rows(VISIT_FORM, submissions,
                                                         labels=labels), delimiter=";")
    outcome = run(database, path, form=VISIT_FORM, kind="visits")
    assert outcome.result == "loaded", problems(outcome)
    assert query(database, """SELECT site_id, visited_on::VARCHAR, workers, women,
        children_under_15, children_15_17, active_pits, covered_pits, pits_over_30m,
        deepest_pit_m, ppe_use_share, safety_captain_present, independent_grading, source
        FROM site_visits WHERE visited_on >= '2025-04-01' ORDER BY site_id""") == [
        ("FCA-0001", "2025-04-02", 150, 40, 2, 3, 12, 5, 1, 34.5, 0.45, True, None,
         "fca_site_visit"),
        ("FCA-0002", "2025-04-03", 150, 40, 2, 3, 0, 0, 0, None, None, False, True,
         "fca_site_visit")]


def broken(tmp_path, change) -> tuple:
    submissions, children = households()
    rows = export_rows(HOUSEHOLD_FORM, submissions)
    change(rows)
    return write_workbook(tmp_path / "broken.xlsx", {
        MAIN_SHEET: rows, "children": export_rows(HOUSEHOLD_FORM, children, repeat="children")})


def drop(header):
    def change(rows):
        position = rows[0].index(header)
        for row in rows:
            del row[position]
    return change


def rename(header, new):
    def change(rows):
        rows[0][rows[0].index(header)] = new
    return change


def set_cell(row, header, value):
    def change(rows):
        rows[row - 1][rows[0].index(header)] = value
    return change


@pytest.mark.parametrize(("change", "expected"), [
    (drop("interview/household_id"),
     {("1", MAIN_SHEET, "interview/household_id", "", "missing_field")}),
    (rename("household/household_size", "household/size"),
     {("1", MAIN_SHEET, "household/household_size", "", "missing_field")}),
    (set_cell(2, "household/head_gender", "other"),
     {("2", MAIN_SHEET, "household/head_gender", "other", "unknown_choice")}),
    (set_cell(2, "income/income_sources", "mining gold"),
     {("2", MAIN_SHEET, "income/income_sources", "mining gold", "unknown_choice")}),
    (set_cell(2, "household/household_size", "six"),
     {("2", MAIN_SHEET, "household/household_size", "six", "not_integer")}),
    # the same submission twice: the later one (row 5) is kept, and it is wrong
    (set_cell(5, "interview/interviewed_on", "2031-01-01"),
     {("5", MAIN_SHEET, "interview/interviewed_on", "2031-01-01", "future_date")}),
])
def test_a_broken_export_is_refused_and_changes_nothing(database, tmp_path, change, expected):
    before = file_hash(database)
    path = broken(tmp_path, change)
    outcome = run(database, path)
    assert outcome.result == "refused"
    assert expected <= found(outcome), found(outcome)
    assert file_hash(database) == before


def test_a_renamed_column_is_also_reported_as_unused(database, tmp_path):
    outcome = run(database, broken(tmp_path, rename("household/household_size",
                                                    "household/size")), language="fr")
    lines = {(p["column"], p["value"], p["rule"]): p["message"] for p in report(outcome)}
    assert ("", "household/size", "unused_column") in lines
    assert lines[("household/household_size", "", "missing_field")].startswith(
        "L'export n'a pas de colonne pour household/household_size")


def test_an_answer_read_for_two_columns_is_reported_once(database, tmp_path):
    # vsla_member fills its column and decides savings_usd
    outcome = run(database, broken(tmp_path, set_cell(2, "savings_food/vsla_member", "maybe")))
    assert [(p["row"], p["rule"]) for p in report(outcome) if p["rule"] == "unknown_choice"] \
        == [("2", "unknown_choice")]


def test_lenient_loads_the_good_submissions(database, tmp_path):
    path = broken(tmp_path, set_cell(2, "household/head_gender", "other"))
    outcome = run(database, path, lenient=True)
    assert outcome.result == "loaded"
    assert [row[0] for row in survey_rows(database)] == ["HH-002"]


def test_a_wrong_repeat_entry_refuses_its_submission(database, tmp_path):
    submissions, children = households()
    children[1]["child_in_mining"] = "sometimes"
    before = file_hash(database)
    path = write_workbook(tmp_path / "kobo.xlsx", {
        MAIN_SHEET: export_rows(HOUSEHOLD_FORM, submissions),
        "children": export_rows(HOUSEHOLD_FORM, children, repeat="children")})
    outcome = run(database, path)
    assert outcome.result == "refused"
    assert {("3", "children", "children/child_in_mining", "sometimes", "unknown_choice"),
            ("2", MAIN_SHEET, "children", "3", "bad_repeat_entry")} <= found(outcome)
    assert file_hash(database) == before
    assert run(database, path, lenient=True).result == "loaded"
    assert [row[0] for row in survey_rows(database)] == ["HH-002"]


def test_the_command_line_takes_the_form_or_its_mapping(database, tmp_path, capsys):
    submissions, _ = households()
    path = write_csv(tmp_path / "kobo.csv", export_rows(HOUSEHOLD_FORM, submissions),
                     delimiter=";")
    assert main(["visits", str(path), "--form", "fca_household_survey",
                 "--db", str(database)]) == 2
    assert "fills household_survey (import kind survey), not visits" in capsys.readouterr().err
    mapping = kobo_form.FORMS_DIR / "fca_household_survey.mapping.toml"
    assert main(["survey", str(path), "--mapping", str(mapping), "--db", str(database),
                 "--dry-run"]) == 0
    assert main(["survey", str(path), "--form", str(HOUSEHOLD_FORM),
                 "--db", str(database)]) == 0
    assert [row[0] for row in survey_rows(database)] == ["HH-001", "HH-002"]


def test_a_mapping_naming_a_field_the_form_lacks_is_refused(tmp_path):
    text = (kobo_form.FORMS_DIR / "fca_site_visit.mapping.toml").read_text(encoding="utf-8")
    path = tmp_path / "visit.mapping.toml"
    path.write_text(text.replace('field = "workers"', 'field = "people"'), encoding="utf-8")
    with pytest.raises(SourceError, match=r"\[site_visits.columns\] workers: the form has no "
                                          r"field people"):
        kobo.load_form(VISIT_FORM, path, "visits")


def test_an_odk_central_zip_of_csvs_loads(database, tmp_path):
    submissions, children = households()
    for submission in submissions:
        submission.update(KEY=submission["meta/instanceID"],
                          SubmissionDate=submission["_submission_time"] + ".000Z")
        submission["meta-instanceID"] = submission["KEY"]
    for number, entry in enumerate(children, start=1):
        entry.update(PARENT_KEY=submissions[0]["KEY"],
                     KEY=f"{submissions[0]['KEY']}/children[{number}]")
    submissions[0].update(children_5_17=9)  # the counts come from the repeat file
    main_csv = write_csv(tmp_path / "fca_household_survey.csv", export_rows(
        HOUSEHOLD_FORM, submissions, separator="-", multiple="single",
        metadata=["SubmissionDate", "meta-instanceID", "KEY", "SubmitterID", "ReviewState"]))
    repeat_csv = write_csv(tmp_path / "fca_household_survey-children.csv", export_rows(
        HOUSEHOLD_FORM, children, separator="-", multiple="single", repeat="children",
        metadata=["PARENT_KEY", "KEY"]))
    path = tmp_path / "odk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(main_csv, main_csv.name)
        archive.write(repeat_csv, repeat_csv.name)
    outcome = run(database, path)
    assert outcome.result == "loaded", report(outcome)
    assert survey_rows(database) == EXPECTED
    assert ("3", "fca_household_survey.csv", "meta-instanceID", "uuid:u-2",
            "duplicate_submission") in found(outcome)
