"""From text cells to typed values, in DuckDB SQL (so a 2-million-row file parses in seconds).

``install(con)`` creates the macros; ``typed_select(definition, provided, decimal_comma)`` is
the SELECT that turns a staged table of text cells into ``<column>`` (typed, NULL when empty
or unreadable) and ``<column>__raw`` (the trimmed text, for the report) for every column.

What is read:
- empty cells, and NA, N/A, #N/A, NULL: unknown (NULL), never zero;
- numbers with a decimal point or a decimal comma (a comma in a semicolon- or tab-separated
  file or a spreadsheet; in a comma-separated file, a comma is a thousands separator when it
  groups three digits), spaces as thousands separators; a share also as a percentage (45%);
  a coordinate also in degrees, minutes and seconds as a GPS shows them (10°42'30"S,
  S 10°42.5', 25°28'E; O for ouest): south and west are negative;
- dates as YYYY-MM-DD (with or without a time and time zone: the date as written is kept),
  YYYY/MM/DD, day/month/year (with /, - or .; a two-digit year is 20YY) and Excel serial
  numbers (days since 1899-12-30); never month/day/year;
- yes/no as yes, no, oui, non, true, false, vrai, faux, 1, 0, y, n, o;
- allowed values as the canonical value or its French label, without regard to case,
  accents, spaces or dashes ('Éboulement' -> pit_collapse);
- lists separated by semicolons or vertical bars.
"""

from __future__ import annotations

from dashboard.ingest.definitions import SQL_TYPES, Column, Definition, normalised

EARLIEST_DATE = "1990-01-01"
SPACES = "' ' || chr(9) || chr(10) || chr(13) || chr(160)"  # what cell() trims
EDGE_SPACE = r"^[\s\x{a0}]|[\s\x{a0}]$"
# Each macro takes text already trimmed by cell(); typed_select computes each step once per
# column in its own layer (a macro argument repeated in a macro body is repeated in the plan).
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
CREATE OR REPLACE MACRO to_boolean(s) AS CASE
    WHEN lower(strip_accents(s)) IN ('yes', 'y', 'oui', 'o', 'true', 'vrai', '1') THEN true
    WHEN lower(strip_accents(s)) IN ('no', 'n', 'non', 'false', 'faux', '0') THEN false
    END;
CREATE OR REPLACE MACRO to_date(s) AS CASE
    WHEN regexp_matches(s, '^\d{4}-\d{1,2}-\d{1,2}([ T].*)?$')
        THEN try_cast(regexp_extract(s, '^\d{4}-\d{1,2}-\d{1,2}') AS DATE)
    WHEN regexp_matches(s, '^\d{4}/\d{1,2}/\d{1,2}( .*)?$')
        THEN try_cast(replace(regexp_extract(s, '^\d{4}/\d{1,2}/\d{1,2}'), '/', '-') AS DATE)
    WHEN regexp_matches(s, '^\d{1,2}[/.-]\d{1,2}[/.-](\d{4}|\d{2})( .*)?$')
        THEN try_cast(
            CASE WHEN length(regexp_extract(s, '^\d+[/.-]\d+[/.-](\d+)', 1)) = 2
                 THEN '20' ELSE '' END
            || regexp_extract(s, '^\d+[/.-]\d+[/.-](\d+)', 1) || '-'
            || regexp_extract(s, '^\d+[/.-](\d+)', 1) || '-'
            || regexp_extract(s, '^(\d+)', 1) AS DATE)
    WHEN regexp_full_match(s, '\d{1,6}(\.\d+)?')
         AND try_cast(s AS DOUBLE) BETWEEN 1 AND 109574
        THEN DATE '1899-12-30' + floor(try_cast(s AS DOUBLE))::INTEGER
    END;
CREATE OR REPLACE MACRO dms_parts(s) AS regexp_extract(upper(replace(s, ',', '.')),
    '^([NSEWO]?)\s*(-?)(\d{1,3}(?:\.\d+)?)\s*[°º]\s*(?:(\d{1,2}(?:\.\d+)?)\s*[''’′]\s*)?'
    || '(?:(\d{1,2}(?:\.\d+)?)\s*(?:"|''''|”|″)\s*)?([NSEWO]?)$',
    ['before', 'minus', 'd', 'm', 's', 'after']);
CREATE OR REPLACE MACRO dms_value(p, letters) AS CASE
    WHEN p.d <> '' AND (p.before = '' OR p.after = '')
         AND contains(letters, p.before) AND contains(letters, p.after)
         AND coalesce(try_cast(nullif(p.m, '') AS DOUBLE), 0) < 60
         AND coalesce(try_cast(nullif(p.s, '') AS DOUBLE), 0) < 60
    THEN CASE WHEN p.minus = '-' OR p.before IN ('S', 'W', 'O') OR p.after IN ('S', 'W', 'O')
              THEN -1 ELSE 1 END
         * (p.d::DOUBLE + coalesce(try_cast(nullif(p.m, '') AS DOUBLE), 0) / 60
            + coalesce(try_cast(nullif(p.s, '') AS DOUBLE), 0) / 3600)
    END;
CREATE OR REPLACE MACRO to_degrees(s, letters) AS dms_value(dms_parts(s), letters);
CREATE OR REPLACE MACRO norm(s) AS
    lower(regexp_replace(strip_accents(s), '[^A-Za-z0-9]', '', 'g'));
CREATE OR REPLACE MACRO to_list(s) AS list_filter(
    list_transform(regexp_split_to_array(s, '[;|]'), lambda x: trim(x)),
    lambda x: x <> '');
"""
NUMERIC = ("integer", "number", "share")
# the letters a coordinate may carry (O: ouest); a latitude marked E or W is not read
HEMISPHERES = {"lat": "NS", "lon": "EWO"}


def install(con) -> None:
    con.execute(MACROS)


def literal(value: object) -> str:
    """A constant from tables.toml as a SQL literal (never user input)."""
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def typed_expression(column: Column, raw: str, number: str) -> str:
    """The typed value from the trimmed text ``raw`` (and ``number``, its value as a double,
    for numeric columns)."""
    if column.type == "integer":
        return f"CASE WHEN {number} = trunc({number}) AND abs({number}) < 1e15 " \
               f"THEN {number}::BIGINT END"
    if column.type in ("number", "share"):
        return number
    if column.type == "date":  # a plain ISO date skips the patterns
        return f"coalesce(try_strptime({raw}, '%Y-%m-%d')::DATE, to_date({raw}))"
    if column.type == "boolean":
        return (f"CASE WHEN {raw} IN ('true', 'yes', 'oui', '1') THEN true "
                f"WHEN {raw} IN ('false', 'no', 'non', '0') THEN false ELSE to_boolean({raw}) END")
    if column.type == "list":  # an empty cell is an empty list: nothing to add
        return f"coalesce(to_list({raw}), []::VARCHAR[])"
    if column.choices:
        return choice_expression(column, raw)
    return raw


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
    """SELECT _row, _sheet, then per column its typed value and its trimmed text
    (``<column>__raw``), in layers so each step is computed once."""
    comma = "true" if decimal_comma else "false"
    trimmed, cleaned, compact, typed = ["_row", "_sheet"], ["_row", "_sheet"], ["*"], \
        ["_row", "_sheet"]
    for column in definition.columns:
        name, raw = column.name, ident(column.name + "__raw")
        if name in provided:
            # trim only the cells that need it (most do not: trimming every cell with a set
            # of characters was most of the typing's time), then blank and NA-like -> NULL
            trimmed.append(f"""CASE WHEN regexp_matches({ident(name)}, '{EDGE_SPACE}')
                THEN trim({ident(name)}, {SPACES}) ELSE {ident(name)} END AS {raw}""")
            cleaned.append(f"""CASE WHEN length({raw}) <= 4 AND upper({raw}) IN
                ('', 'NA', 'N/A', '#N/A', 'NULL') THEN NULL ELSE {raw} END AS {raw}""")
        else:
            cleaned.append(f"NULL::VARCHAR AS {raw}")
        number = ident(name + "__number")
        if column.type in NUMERIC:
            text = f"regexp_replace({raw}, '[\\s\\x{{a0}}\\x{{202f}}]', '', 'g')"
            if column.type == "share":
                text = f"rtrim({text}, '%')"
            scale = f" / CASE WHEN ends_with({raw}, '%') THEN 100 ELSE 1 END" \
                if column.type == "share" else ""
            # the common case, a plain number, skips the clean-up (CASE evaluates lazily)
            parsed = f"try_cast(number_text({text}, {comma}) AS DOUBLE){scale}"
            if column.unit_en == "degrees":  # a GPS's degrees, minutes and seconds too
                letters = literal(HEMISPHERES.get(name, "NSEWO"))
                parsed = f"coalesce({parsed}, to_degrees({raw}, {letters}))"
            compact.append(f"""CASE WHEN try_cast({raw} AS DOUBLE) IS NOT NULL
                THEN try_cast({raw} AS DOUBLE) ELSE {parsed} END AS {number}""")
            number = f"(CASE WHEN isfinite({number}) THEN {number} END)"
        value = typed_expression(column, raw, number)
        if column.default is not None:
            value = f"CASE WHEN {raw} IS NULL THEN {literal(column.default)} ELSE {value} END"
        sql_type = SQL_TYPES[column.type]
        typed.append(f"({value})::{sql_type} AS {ident(name)}")
        typed.append(raw)
    return (f"SELECT {', '.join(typed)} FROM (SELECT {', '.join(compact)} FROM "
            f"(SELECT {', '.join(cleaned)} FROM (SELECT {', '.join(trimmed)} FROM {source})))")
