"""The one definition per import kind agrees with the schema, the locales and the template."""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import load_workbook

from dashboard import i18n
from dashboard.build import SCHEMA_SQL
from dashboard.ingest import definitions, report, templates
from dashboard.ingest.definitions import SQL_TYPES, DefinitionError

KINDS = definitions.kinds()
DUCK_TYPES = {"VARCHAR": "VARCHAR", "BIGINT": ("BIGINT", "INTEGER"), "DOUBLE": "DOUBLE",
              "DATE": "DATE", "BOOLEAN": "BOOLEAN", "VARCHAR[]": "VARCHAR[]"}


@pytest.fixture(scope="module")
def schema():
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text())
    rows = con.execute("""SELECT table_name, column_name, data_type, is_nullable
                          FROM information_schema.columns""").fetchall()
    con.close()
    return {(t, c): (kind, nullable == "YES") for t, c, kind, nullable in rows}


def test_the_kinds_a_programme_fills():
    assert KINDS == ["sites", "visits", "incidents", "survey", "cases", "supply", "credits",
                     "funding", "organisations", "memberships", "activities", "milestones",
                     "targets"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_is_a_database_column_of_a_compatible_type(kind, schema):
    definition = definitions.get(kind)
    for column in definition.columns:
        assert (definition.table, column.name) in schema, column.name
        sql_type, _ = schema[(definition.table, column.name)]
        expected = DUCK_TYPES[SQL_TYPES[column.type]]
        assert sql_type in (expected if isinstance(expected, tuple) else (expected,)), column.name


@pytest.mark.parametrize("kind", KINDS)
def test_every_not_null_column_is_required_defaulted_derived_or_assigned(kind, schema):
    definition = definitions.get(kind)
    for (table, name), (_, nullable) in schema.items():
        if table != definition.table or nullable or name == definition.id:
            continue
        column = definition.column(name)
        assert (column.required or column.default is not None or column.derived
                or column.type == "list"), name  # an empty list cell is an empty list


@pytest.mark.parametrize("kind", KINDS)
def test_a_nullable_database_column_is_never_required_in_the_file(kind, schema):
    definition = definitions.get(kind)
    for column in definition.columns:
        _, nullable = schema[(definition.table, column.name)]
        if nullable and column.name not in definition.key:
            assert not column.required, column.name


def test_every_rule_has_a_message_in_both_languages():
    for language in i18n.LANGUAGES:
        for rule in report.RULES:
            assert f"ingest.rule.{rule}" in i18n.catalog(language), (language, rule)


def test_a_mistake_in_the_definition_file_names_the_kind_and_column(tmp_path):
    bad = tmp_path / "tables.toml"
    bad.write_text('[x]\ntable = "x"\nmode = "upsert"\nkey = ["a"]\nen = "x"\nfr = "x"\n'
                   '[[x.columns]]\nname = "a"\nlabel_fr = "A"\nen = "a"\nfr = "a"\n'
                   'type = "money"\n')
    with pytest.raises(DefinitionError, match=r"\[x\], column 'a': type 'money'"):
        definitions.definitions(bad)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_template_has_headers_validation_and_documentation(tmp_path, language):
    path = templates.write_template("visits", tmp_path / "visits.xlsx", language)
    book = load_workbook(path)
    data, docs = book.worksheets[0], book.worksheets[1]
    definition = definitions.get("visits")
    assert [c.value for c in data[1]] == definition.names
    kinds = {v.type for v in data.data_validations.dataValidation}
    assert {"whole", "decimal", "date", "list"} <= kinds
    text = " ".join(str(c.value) for row in docs.iter_rows() for c in row if c.value)
    assert "upsert" in text and "site_id, visited_on" in text
    for column in definition.columns:
        assert column.meaning(language) in text
    assert book.worksheets[2].sheet_state == "hidden"


def test_the_french_template_offers_french_labels_in_its_drop_downs(tmp_path):
    path = templates.write_template("incidents", tmp_path / "incidents.xlsx", "fr")
    lists = load_workbook(path).worksheets[2]
    values = {c.value for row in lists.iter_rows() for c in row if c.value}
    assert {"éboulement", "chute"} <= values
