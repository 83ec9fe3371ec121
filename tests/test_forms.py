"""The shipped XLSForms (dashboard/ingest/forms/): they convert with pyxform and pass ODK
Validate, match their TOML sources, and their mapping files fill every database column from
fields the forms really have."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import duckdb
import openpyxl
import pytest
from pyxform.xls2xform import convert

from dashboard.ingest.forms import xlsform

SCHEMA = Path(__file__).parents[1] / "dashboard" / "sql" / "schema.sql"
FORMS = {"fca_household_survey": ("household_survey", "survey_rounds"),
         "fca_site_visit": ("site_visits",)}
METADATA = {"_id", "_uuid", "_submission_time", "_index"}
YES_NO = {"yes", "no", "dont_know"}


def form_xlsx(form: str) -> Path:
    return xlsform.FORMS / f"{form}.xlsx"


def mapping(form: str) -> dict:
    return tomllib.loads((xlsform.FORMS / f"{form}.mapping.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def converted() -> dict:
    """Each form converted by pyxform, with ODK Validate (JavaRosa, run by Java) checking every
    expression, relevance, constraint and calculation."""
    results = {}
    for form in FORMS:
        warnings: list[str] = []
        results[form] = convert(xlsform=form_xlsx(form), warnings=warnings, validate=True)
        results[form].warnings.extend(warnings)
    return results


def fields(converted_form) -> dict[str, dict]:
    """Every element of the form by name, with the repeat it sits in (or None)."""
    found = {}

    def walk(node: dict, repeat: str | None) -> None:
        for child in node.get("children", []):
            found[child["name"]] = {**child, "in_repeat": repeat}
            walk(child, child["name"] if child["type"] == "repeat" else repeat)
    walk(converted_form._pyxform, None)
    return found


def schema_columns(table: str) -> list[str]:
    with duckdb.connect() as con:
        con.execute(SCHEMA.read_text())
        return [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]


def allowed_values(table: str, column: str) -> set[str] | None:
    """The values a CHECK (column IN (...)) of the schema allows, if it has one."""
    text = SCHEMA.read_text()
    body = text[text.index(f"CREATE TABLE {table} ("):]
    body = body[:body.index(");")]
    match = re.search(rf"\b{column}\s+VARCHAR[^\n]*CHECK \({column} IN \(([^)]*)\)\)", body)
    return set(re.findall(r"'([^']*)'", match.group(1))) if match else None


@pytest.mark.parametrize("form", FORMS)
def test_the_form_converts_and_validates_without_warnings(converted, form):
    result = converted[form]
    assert result.warnings == []
    assert f'id="{form}"' in result.xform
    assert "English (en)" in result.xform and "Français (fr)" in result.xform


@pytest.mark.parametrize("form", FORMS)
def test_the_committed_xlsx_is_what_its_source_builds(form):
    expected = xlsform.sheets(xlsform.read_source(xlsform.FORMS / f"{form}.toml"))
    workbook = openpyxl.load_workbook(form_xlsx(form), read_only=True)
    assert workbook.sheetnames == list(expected)
    for name, rows in expected.items():
        written = [list(row) for row in workbook[name].iter_rows(values_only=True)]
        assert written == rows, f"{form}.xlsx, sheet {name}: run python -m {xlsform.__name__}"


@pytest.mark.parametrize("form", FORMS)
def test_every_label_and_choice_is_in_english_and_french(form):
    sheets = xlsform.sheets(xlsform.read_source(xlsform.FORMS / f"{form}.toml"))
    for name in ("survey", "choices"):
        header, *rows = sheets[name]
        en, fr = header.index("label::English (en)"), header.index("label::Français (fr)")
        labelled = [row for row in rows if row[en] or row[fr]]
        assert labelled and all(row[en] and row[fr] for row in labelled), name


def test_a_source_without_a_french_label_is_refused(tmp_path):
    source = (xlsform.FORMS / "fca_site_visit.toml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(source.replace(', fr = "Date de la visite"', ""), encoding="utf-8")
    with pytest.raises(xlsform.FormSourceError,
                       match=r"broken.toml, survey row \d+ \(visited_on\): label needs both"):
        xlsform.read_source(broken)


def test_the_forms_hold_the_cross_field_rules(converted):
    visit = fields(converted["fca_site_visit"])
    assert visit["covered_pits"]["bind"]["constraint"] == ". >= 0 and . <= ${active_pits}"
    assert visit["women"]["bind"]["constraint"] == ". >= 0 and . <= ${workers}"
    household = fields(converted["fca_household_survey"])
    assert household["children_count"]["bind"]["constraint"].endswith("<= ${household_size}")
    # children at work are counted among the children listed, so never more than them
    assert household["child_in_mining"]["in_repeat"] == "children"
    assert household["income_sources"]["type"] == "select all that apply"
    assert household["children"]["type"] == "repeat"


def column_specs(form: str) -> dict[str, dict[str, dict]]:
    rules = mapping(form)
    return {table: rules[table]["columns"] for table in FORMS[form]}


@pytest.mark.parametrize("form", FORMS)
def test_the_mapping_fills_every_column_of_its_tables(form):
    for table, columns in column_specs(form).items():
        assert list(columns) == schema_columns(table), table


@pytest.mark.parametrize("form", FORMS)
def test_the_mapping_names_only_fields_the_form_has(converted, form):
    known = fields(converted[form])
    rules = mapping(form)
    assert rules["form"]["form_id"] == form
    assert (xlsform.FORMS / rules["form"]["xlsx"]).exists()

    def check(field: str, repeat: str | None = None) -> dict:
        assert field in known or field in METADATA, f"{form}: no field {field}"
        if field in known:
            assert known[field]["in_repeat"] == repeat, f"{form}: {field} not in {repeat}"
        return known.get(field, {})

    for table, columns in column_specs(form).items():
        for column, spec in columns.items():
            assert set(spec) <= {"field", "value", "assigned", "if_empty", "convert", "when",
                                 "otherwise", "repeat", "aggregate", "where", "fallback_field"}
            if "field" in spec:
                element = check(spec["field"])
                if spec.get("convert") == "yes_no":
                    names = {c["name"] for c in converted[form]._pyxform["choices"][
                        element["list_name"]]}
                    assert names <= YES_NO, column
                values = allowed_values(table, column)
                if values and element.get("list_name"):
                    names = {c["name"] for c in converted[form]._pyxform["choices"][
                        element["list_name"]]}
                    assert names <= values, f"{table}.{column}: {names - values}"
            if "when" in spec:
                condition = check(spec["when"]["field"])
                choice = spec["when"].get("has") or spec["when"].get("equals")
                assert choice in {c["name"] for c in converted[form]._pyxform["choices"][
                    condition["list_name"]]}
            if "repeat" in spec:
                assert known[spec["repeat"]]["type"] == "repeat"
                check(spec["fallback_field"])
                if "where" in spec:
                    check(spec["where"]["field"], spec["repeat"])
            assert sum(k in spec for k in ("field", "value", "repeat", "assigned")) == 1, column


@pytest.mark.parametrize("form", FORMS)
def test_every_question_is_mapped_or_said_not_stored(converted, form):
    rules = mapping(form)
    used = set(rules.get("not_stored", {}))
    for columns in column_specs(form).values():
        for spec in columns.values():
            used |= {spec.get("field"), spec.get("fallback_field"), spec.get("repeat"),
                     (spec.get("where") or {}).get("field"), (spec.get("when") or {}).get("field")}
    if "keep_when" in rules["submissions"]:
        used.add(rules["submissions"]["keep_when"]["field"])
    elements = {name for name, element in fields(converted[form]).items()
                if element["type"] not in ("group", "repeat")
                and name not in ("instanceID", "instanceName")}
    assert elements <= used, sorted(elements - used)
    assert set(rules.get("not_stored", {})) <= set(fields(converted[form]))
