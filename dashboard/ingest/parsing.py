"""From text cells to typed values, in DuckDB SQL (so a 2-million-row file parses in seconds).

``install(con)`` creates the macros; ``typed_select(definition, provided, decimal_comma)`` is
the SELECT that turns a staged table of text cells into ``<column>`` (typed, NULL when empty
or unreadable) and ``<column>__raw`` (the trimmed text, for the report) for every column.

What is read:
- empty cells, and NA, N/A, #N/A, NULL: unknown (NULL), never zero;
- numbers with a decimal point or a decimal comma (a comma in a semicolon- or tab-separated
  file or a spreadsheet; in a comma-separated file, a comma is a thousands separator when it
  groups three digits), spaces as thousands separators; a share also as a percentage (45%);
- dates as YYYY-MM-DD (with or without a time and time zone: the date as written is kept),
  YYYY/MM/DD, day/month/year (with /, - or .; a two-digit year is 20YY) and Excel serial
  numbers (days since 1899-12-30); never month/day/year;
- yes/no as yes, no, oui, non, true, false, vrai, faux, 1, 0, y, n, o;
- allowed values as the canonical value or its French label, without regard to case,
  accents, spaces or dashes ('Éboulement' -> pit_collapse);
- lists separated by semicolons or vertical bars.
"""

from __future__ import annotations

from dashboard.ingest.definitions import Column, Definition, normalised

EARLIEST_DATE = "1990-01-01"
MACROS = r"""
CREATE OR REPLACE MACRO cell(v) AS CASE
    WHEN upper(trim(v, ' ' || chr(9) || chr(10) || chr(13) || chr(160)))
         IN ('', 'NA', 'N/A', '#N/A', 'NULL') THEN NULL
    ELSE trim(v, ' ' || chr(9) || chr(10) || chr(13) || chr(160)) END;
CREATE OR REPLACE MACRO number_text(s, decimal_comma) AS CASE
    WHEN contains(s, ',') AND contains(s, '.') THEN
        CASE WHEN strpos(reverse(s), ',') < strpos(reverse(s), '.')
             THEN replace(replace(s, '.', ''), ',', '.') ELSE replace(s, ',', '') END
    WHEN contains(s, ',') THEN
        CASE WHEN decimal_comma THEN replace(s, ',', '.')
             WHEN regexp_full_match(s, '[-+]?\d{1,3}(,\d{3})+') THEN replace(s, ',', '')
             ELSE replace(s, ',', '.') END
    WHEN regexp_full_match(s, '[-+]?\d{1,3}(\.\d{3}){2,}') THEN replace(s, '.', '')
    ELSE s END;
CREATE OR REPLACE MACRO finite(x) AS CASE WHEN isfinite(x) THEN x END;
CREATE OR REPLACE MACRO to_number(v, decimal_comma) AS finite(try_cast(
    number_text(regexp_replace(cell(v), '[\s\x{a0}\x{202f}]', '', 'g'), decimal_comma)
    AS DOUBLE));
CREATE OR REPLACE MACRO to_integer(v, decimal_comma) AS CASE
    WHEN to_number(v, decimal_comma) = trunc(to_number(v, decimal_comma))
         AND abs(to_number(v, decimal_comma)) < 1e15
    THEN to_number(v, decimal_comma)::BIGINT END;
CREATE OR REPLACE MACRO to_share(v, decimal_comma) AS CASE
    WHEN ends_with(cell(v), '%') THEN to_number(rtrim(cell(v), '% '), decimal_comma) / 100
    ELSE to_number(v, decimal_comma) END;
CREATE OR REPLACE MACRO to_boolean(v) AS CASE
    WHEN lower(strip_accents(cell(v))) IN ('yes', 'y', 'oui', 'o', 'true', 'vrai', '1') THEN true
    WHEN lower(strip_accents(cell(v))) IN ('no', 'n', 'non', 'false', 'faux', '0') THEN false
    END;
CREATE OR REPLACE MACRO to_date(v) AS CASE
    WHEN regexp_matches(cell(v), '^\d{4}-\d{1,2}-\d{1,2}([ T].*)?$')
        THEN try_cast(regexp_extract(cell(v), '^\d{4}-\d{1,2}-\d{1,2}') AS DATE)
    WHEN regexp_matches(cell(v), '^\d{4}/\d{1,2}/\d{1,2}( .*)?$')
        THEN try_cast(replace(regexp_extract(cell(v), '^\d{4}/\d{1,2}/\d{1,2}'), '/', '-') AS DATE)
    WHEN regexp_matches(cell(v), '^\d{1,2}[/.-]\d{1,2}[/.-](\d{4}|\d{2})( .*)?$')
        THEN try_cast(
            CASE WHEN length(regexp_extract(cell(v), '^\d+[/.-]\d+[/.-](\d+)', 1)) = 2
                 THEN '20' ELSE '' END
            || regexp_extract(cell(v), '^\d+[/.-]\d+[/.-](\d+)', 1) || '-'
            || regexp_extract(cell(v), '^\d+[/.-](\d+)', 1) || '-'
            || regexp_extract(cell(v), '^(\d+)', 1) AS DATE)
    WHEN regexp_full_match(cell(v), '\d{1,6}(\.\d+)?')
         AND try_cast(cell(v) AS DOUBLE) BETWEEN 1 AND 109574
        THEN DATE '1899-12-30' + floor(try_cast(cell(v) AS DOUBLE))::INTEGER
    END;
CREATE OR REPLACE MACRO norm(v) AS
    lower(regexp_replace(strip_accents(cell(v)), '[^A-Za-z0-9]', '', 'g'));
CREATE OR REPLACE MACRO to_list(v) AS list_filter(
    list_transform(regexp_split_to_array(cell(v), '[;|]'), lambda x: trim(x)),
    lambda x: x <> '');
"""


def install(con) -> None:
    con.execute(MACROS)


def literal(value: object) -> str:
    """A constant from tables.toml as a SQL literal (never user input)."""
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def typed_expression(column: Column, raw: str, decimal_comma: bool) -> str:
    comma = "true" if decimal_comma else "false"
    if column.type == "integer":
        return f"to_integer({raw}, {comma})"
    if column.type == "number":
        return f"to_number({raw}, {comma})"
    if column.type == "share":
        return f"to_share({raw}, {comma})"
    if column.type == "date":
        return f"to_date({raw})"
    if column.type == "boolean":
        return f"to_boolean({raw})"
    if column.type == "list":
        return f"to_list({raw})"
    if column.choices:
        return choice_expression(column, raw)
    return f"cell({raw})"


def choice_expression(column: Column, raw: str) -> str:
    forms: dict[str, str] = {}
    for value, label_fr in column.choices:
        for form in (value, label_fr, value.replace("_", " ")):
            forms.setdefault(normalised(form), value)
    cases = " ".join(f"WHEN {literal(form)} THEN {literal(value)}"
                     for form, value in forms.items())
    return f"CASE norm({raw}) {cases} END"


def typed_select(definition: Definition, provided: set[str], decimal_comma: bool,
                 source: str) -> str:
    """SELECT _row, _sheet, then per column its typed value and its trimmed text."""
    parts = ["_row", "_sheet"]
    for column in definition.columns:
        name = ident(column.name)
        if column.name not in provided:
            raw = "NULL::VARCHAR"
        else:
            raw = name
        value = typed_expression(column, raw, decimal_comma)
        if column.default is not None:
            value = f"CASE WHEN cell({raw}) IS NULL THEN {literal(column.default)} ELSE {value} END"
        sql_type = {"list": "VARCHAR[]", "date": "DATE", "boolean": "BOOLEAN",
                    "integer": "BIGINT", "number": "DOUBLE", "share": "DOUBLE"}.get(
                        column.type, "VARCHAR")
        parts.append(f"({value})::{sql_type} AS {name}")
        parts.append(f"cell({raw}) AS {ident(column.name + '__raw')}")
    return f"SELECT {', '.join(parts)} FROM {source}"
